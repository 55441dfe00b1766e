"""RQ entry points: thin functions that take ids and call the engine."""

from __future__ import annotations

from jobs import engine


def run_step(step_run_id: int, attempt: int) -> str:
    return engine.run_step(step_run_id, attempt)
