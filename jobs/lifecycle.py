"""The job status machine: the one place where a job changes status.

A transition locks the job row, checks the table, changes the status, writes the history row
and runs the follow-ups registered for the new status, in that order, every time. Follow-ups
run inside the transaction; what they send to Redis is sent on commit. This module knows the
models and the table only: the engine registers its follow-ups from the jobs app's ready(),
so nothing here imports the engine.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

from jobs.models import JobEvent, ProductionJob, Status
from production.models import Client

S = Status
TRANSITIONS: dict[str, frozenset[str]] = {
    S.PENDING: frozenset({S.QUEUED, S.CANCELLED}),
    S.QUEUED: frozenset({S.PROCESSING, S.CANCELLED}),
    # processing -> queued: a step failed and waits for its retry, or a crash was recovered.
    S.PROCESSING: frozenset({S.DRAFT, S.REVIEW, S.FAILED, S.CANCELLED, S.QUEUED}),
    S.DRAFT: frozenset({S.REVIEW, S.APPROVED, S.CANCELLED}),
    # review -> queued: a mid-workflow gate was passed and the workflow goes on.
    S.REVIEW: frozenset({S.APPROVED, S.REVISION, S.QUEUED, S.CANCELLED}),
    # approved or completed -> review: a fact or testimonial the work relied on was edited or
    # withdrawn, and the work is recalled for another look (approvals/evidence_recall.py).
    S.APPROVED: frozenset({S.COMPLETED, S.REVISION, S.REVIEW}),
    S.REVISION: frozenset({S.QUEUED, S.CANCELLED}),
    S.FAILED: frozenset({S.QUEUED, S.CANCELLED}),
    S.COMPLETED: frozenset({S.REVIEW}),
    S.CANCELLED: frozenset(),
}


# Work that follows a job into a status (the engine's: schedule steps on queued, stop them on
# cancelled), called under the job's lock after the history row is written.
FollowUp = Callable[[ProductionJob], None]
_follow_ups: dict[str, list[FollowUp]] = {}

# Sent, under the job's lock, when a pending job is about to start its first run. A receiver
# answering True holds it (e.g. over budget): the job stays pending and nothing is scheduled.
run_requested = Signal()


class TransitionNotAllowed(Exception):
    """A transition the table forbids; the API maps it to 409 with the current status."""

    def __init__(self, job_id: Any, current: str, attempted: str, reason: str = "") -> None:
        self.job_id = job_id
        self.current = current
        self.attempted = attempted
        detail = (
            reason or f"allowed from {current}: {', '.join(sorted(TRANSITIONS[current])) or 'none'}"
        )
        super().__init__(f"Job {job_id} cannot move from {current} to {attempted} ({detail}).")


def allowed(current: str, target: str) -> bool:
    return target in TRANSITIONS.get(current, frozenset())


def lock_job(job_id: Any, client: Client | None = None) -> ProductionJob:
    """Load the job (and its client) with a row lock on the job; callers must be in a transaction.

    A caller that has just read the job's client may pass it: only the job row is read then
    (the client's brand data is the bulk of the bytes).
    """
    if client is None:
        return (
            ProductionJob.objects.select_for_update(of=("self",))
            .select_related("client")
            .get(pk=job_id)
        )
    job = ProductionJob.objects.select_for_update().get(pk=job_id)
    job.client = client
    return job


def transition(
    job: ProductionJob | Any,
    target: str,
    *,
    actor: AbstractBaseUser | None = None,
    actor_label: str = "",
    note: str = "",
    action: str = "status_changed",
    payload: dict | None = None,
    expected: Iterable[str] | None = None,
    locked: bool = False,
    save_fields: Iterable[str] = (),
) -> ProductionJob:
    """Move a job to `target`, atomically, with its history row.

    `locked=True` means the caller already holds the row lock on this very instance (the
    engine does, to save a query on the hot path). `expected` narrows the allowed sources
    further, e.g. a worker claiming only a queued job. `save_fields` are other fields the
    caller changed on the locked instance, saved in the same UPDATE.
    """
    # A caller holding the lock owns the transaction and lets failures abort it, so it needs
    # no savepoint (two fewer round trips on the engine's hot path). Others keep one, so a
    # refused transition leaves their transaction usable.
    with transaction.atomic(savepoint=not locked):
        if not locked:
            job = lock_job(job.pk if isinstance(job, ProductionJob) else job)
        current = job.status
        if expected is not None and current not in set(expected):
            raise TransitionNotAllowed(job.pk, current, target, f"expected {', '.join(expected)}")
        if not allowed(current, target):
            raise TransitionNotAllowed(job.pk, current, target)
        if current == S.PENDING and target == S.QUEUED and _run_held(job):
            return job
        now = timezone.now()
        job.status = target
        job.updated_at = now
        fields = ["status", "updated_at", *save_fields]
        if target == S.PROCESSING and job.started_at is None:
            job.started_at = now
            fields.append("started_at")
        if target in (S.COMPLETED, S.CANCELLED, S.FAILED):
            job.finished_at = now
            fields.append("finished_at")
        elif job.finished_at is not None:
            job.finished_at = None
            fields.append("finished_at")
        job.save(update_fields=list(dict.fromkeys(fields)))
        _write_event(
            job=job,
            action=action,
            from_status=current,
            to_status=target,
            actor=actor if actor is not None and actor.is_authenticated else None,
            actor_label=actor_label or ("" if actor else "system"),
            note=note,
            payload=payload or {},
            revision=job.revision,
        )
        _follow_up(job, target)
    return job


def record_event(
    job: ProductionJob,
    action: str,
    *,
    actor: AbstractBaseUser | None = None,
    actor_label: str = "",
    note: str = "",
    payload: dict | None = None,
) -> JobEvent:
    """A history row that is not a status change (a decision, an output created...)."""
    return _write_event(
        job=job,
        action=action,
        from_status=job.status,
        to_status=job.status,
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_label=actor_label or ("" if actor else "system"),
        note=note,
        payload=payload or {},
        revision=job.revision,
    )


def _run_held(job: ProductionJob) -> bool:
    return any(answer for _, answer in run_requested.send(sender=ProductionJob, job=job))


def _write_event(**fields: Any) -> JobEvent:
    return JobEvent.objects.create(**fields)


def on_status(status: str, follow_up: FollowUp) -> None:
    """Call `follow_up(job)` whenever a job enters `status` (registering twice is harmless)."""
    registered = _follow_ups.setdefault(status, [])
    if follow_up not in registered:
        registered.append(follow_up)


def _follow_up(job: ProductionJob, target: str) -> None:
    for follow_up in _follow_ups.get(target, ()):
        follow_up(job)
