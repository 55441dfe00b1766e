"""Runs a job's queued steps in this process: for demo data and for tests that need no worker."""

from __future__ import annotations

from typing import Any

from jobs import engine
from jobs.models import StepRun, StepStatus


def run_inline(job_id: Any, max_steps: int = 200) -> int:
    """Run queued steps of the job until none is left; returns how many ran."""
    ran = 0
    for _ in range(max_steps):
        run = (
            StepRun.objects.filter(job_id=job_id, status=StepStatus.QUEUED)
            .order_by("id")
            .only("id", "attempt")
            .first()
        )
        if run is None:
            break
        engine.run_step(run.pk, run.attempt)
        ran += 1
    return ran
