"""The StepRun state machine: which status may follow which, and the one way to write it.

Every change of a step run's status goes through `move`, `move_where` or `create`, so the
table below is the whole truth about what a step can do; anything else is refused with an
error that names the step and both statuses.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet

from jobs.models import StepRun, StepStatus

S = StepStatus
OPEN_STEP_STATUSES = (S.QUEUED, S.RUNNING, S.WAITING)

TRANSITIONS: dict[str, frozenset[str]] = {
    # queued -> queued: its message was lost and it is sent again as a new attempt.
    S.QUEUED: frozenset({S.RUNNING, S.CANCELLED, S.QUEUED}),
    # running -> queued: a retry after a failed attempt, or taken back after its heartbeat
    # stopped.
    S.RUNNING: frozenset({S.SUCCEEDED, S.FAILED, S.CANCELLED, S.QUEUED}),
    # A gate waits for a person: passed, or cancelled with its job or by a rejection.
    S.WAITING: frozenset({S.SUCCEEDED, S.CANCELLED}),
    # A retry of the job re-opens what failed or was cancelled; a branch no longer taken on
    # that retry is recorded as skipped.
    S.FAILED: frozenset({S.QUEUED, S.SKIPPED}),
    S.CANCELLED: frozenset({S.QUEUED, S.SKIPPED}),
    S.SUCCEEDED: frozenset(),
    S.SKIPPED: frozenset(),
}

# What a run may be created as: a step sent to its queue, a gate waiting for its person, a
# branch not taken, or (carried forward from the previous revision) a step already done.
INITIAL: frozenset[str] = frozenset({S.QUEUED, S.WAITING, S.SKIPPED, S.SUCCEEDED})


class StepTransitionNotAllowed(Exception):
    """A step run status change the table forbids: a bug in the caller, never retried."""

    def __init__(self, step: str, current: str | None, attempted: str) -> None:
        self.step = step
        self.current = current
        self.attempted = attempted
        if current is None:
            detail = f"a new step run may start as {', '.join(sorted(INITIAL))}"
            where = "a new run"
        else:
            detail = f"allowed from {current}: {', '.join(sorted(TRANSITIONS[current])) or 'none'}"
            where = current
        name = f"Step {step}" if step else "A step run"
        super().__init__(f"{name} cannot move from {where} to {attempted} ({detail}).")


def allowed(current: str, target: str) -> bool:
    return target in TRANSITIONS.get(current, frozenset())


def check(step: str, current: str, target: str) -> None:
    if not allowed(current, target):
        raise StepTransitionNotAllowed(step, current, target)


def create(*, status: str, **fields: Any) -> StepRun:
    """A new step run (INSERT) in one of the INITIAL statuses."""
    if status not in INITIAL:
        raise StepTransitionNotAllowed(str(fields.get("step", "?")), None, status)
    return StepRun.objects.create(status=status, **fields)


def move(run: StepRun, target: str, *, save: bool = True, **changes: Any) -> StepRun:
    """Move a loaded run (its row locked through its job's lock) to `target`, with `changes`.

    With save=False the caller saves the run itself, with other fields it changed.
    """
    check(run.step, run.status, target)
    run.status = target
    for name, value in changes.items():
        setattr(run, name, value)
    if save:
        run.save(update_fields=["status", *changes])
    return run


def move_where(
    runs: QuerySet[StepRun], sources: str | Iterable[str], target: str, **changes: Any
) -> int:
    """Conditional update: the runs of `runs` that are in `sources` move to `target`.

    Returns how many moved; a caller claiming work checks the count (another worker or the
    reconciler may have moved the run first).
    """
    sources = (sources,) if isinstance(sources, str) else tuple(sources)
    for source in sources:
        check("", source, target)
    return runs.filter(status__in=sources).update(status=target, **changes)
