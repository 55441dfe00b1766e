"""The workflow engine: advances each job's DAG from database state and runs its steps.

PostgreSQL is the source of truth and Redis only the transport: every decision is taken under
the job's row lock from the StepRun rows, so a lost or duplicated RQ job changes nothing.

One idea per module:
- `scheduling`: which steps may open; queue them, record untaken branches as skipped, open
  gates, finish the workflow.
- `running`: claim a step (queued -> running) and run its handler.
- `recording`: record a finish or a failure, in one transaction.
- `liveness`: heartbeats from a step's own progress renew its lease; a lapsed one is taken
  back.
- `retry`: a step's retry policy, which failures run again and after how long.
- `states`: the StepRun transition table and the one way to change a run's status.
- `reviews`: what the engine needs from review, registered by the approvals app.

This module is the small API the rest of the code calls.
"""

from __future__ import annotations

from jobs.engine import running
from jobs.engine.liveness import step_progress, take_back
from jobs.engine.scheduling import (
    advance,
    cancel_open_steps,
    resume_after_gate,
    schedule_ready_steps,
)
from jobs.engine.states import OPEN_STEP_STATUSES, StepTransitionNotAllowed
from operations.tracing import traced_step

# Each step a trace span when an OTLP endpoint is set (nothing otherwise).
run_step = traced_step(running.run_step)

__all__ = [
    "OPEN_STEP_STATUSES",
    "StepTransitionNotAllowed",
    "advance",
    "cancel_open_steps",
    "resume_after_gate",
    "run_step",
    "schedule_ready_steps",
    "step_progress",
    "take_back",
]
