"""The job status machine: the one place where a job changes status.

A transition locks the job row, checks the table, changes the status, writes the history row
and schedules follow-up work on commit, in that order, every time.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from jobs.models import JobEvent, ProductionJob, Status
from production.models import Client
from production.prepared import PreparedLookup
from production.statement_batch import StatementBatch

S = Status
M = TypeVar("M", bound=Model)
TRANSITIONS: dict[str, frozenset[str]] = {
    S.PENDING: frozenset({S.QUEUED, S.CANCELLED}),
    S.QUEUED: frozenset({S.PROCESSING, S.CANCELLED}),
    # processing -> queued: a step failed and waits for its retry, or a crash was recovered.
    S.PROCESSING: frozenset({S.DRAFT, S.REVIEW, S.FAILED, S.CANCELLED, S.QUEUED}),
    S.DRAFT: frozenset({S.REVIEW, S.APPROVED, S.CANCELLED}),
    # review -> queued: a mid-workflow gate was passed and the workflow goes on.
    S.REVIEW: frozenset({S.APPROVED, S.REVISION, S.QUEUED, S.CANCELLED}),
    S.APPROVED: frozenset({S.COMPLETED, S.REVISION}),
    S.REVISION: frozenset({S.QUEUED, S.CANCELLED}),
    S.FAILED: frozenset({S.QUEUED, S.CANCELLED}),
    S.COMPLETED: frozenset(),
    S.CANCELLED: frozenset(),
}


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


_LOCKED_JOB = PreparedLookup(
    lambda pk: (
        ProductionJob.objects.select_for_update(of=("self",)).select_related("client").filter(pk=pk)
    )
)


_LOCKED_JOB_ROW = PreparedLookup(lambda pk: ProductionJob.objects.select_for_update().filter(pk=pk))


def lock_job(job_id: Any, client: Client | None = None) -> ProductionJob:
    """Load the job (and its client) with a row lock on the job; callers must be in a transaction.

    A caller that has just read the job's client may pass it: only the job row is read then
    (the engine's hot path, where the client's brand data is the bulk of the row's bytes).
    """
    if client is None:
        return _LOCKED_JOB.get(job_id)
    job = _LOCKED_JOB_ROW.get(job_id)
    job.client = client
    return job


def locked_job_statement(job_id: Any) -> tuple[str, list[Any]]:
    """The SELECT … FOR UPDATE of the job row alone, for a caller batching it with other reads
    (production.statement_batch.read_together); `locked_job_from_row` builds the job."""
    return _LOCKED_JOB_ROW.statement(job_id)


def locked_job_from_row(row: tuple, client: Client) -> ProductionJob:
    job = _LOCKED_JOB_ROW.build_row(row)
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
        save_job(job, fields)
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
        _follow_up(job, current, target)
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


_pending = threading.local()


@contextmanager
def batched_writes(prologue: Iterable[tuple[str, list[Any]]] = ()) -> Iterator[StatementBatch]:
    """Collect the history rows, job saves and other plain writes made inside the block and
    send them at its end in one batch (production.statement_batch: one round trip on
    PostgreSQL): one UPDATE per job, one INSERT for all history rows.

    For the engine's hot path, inside one transaction (the caller holds the job's row lock):
    a step's finish moves the job through several statuses and writes rows nobody reads back
    in the same transaction. Code inside the block must not re-read what it wrote unless it
    calls `flush_writes()` first. `prologue` statements go ahead of the first writes sent.
    """
    batch = getattr(_pending, "batch", None)
    if batch is not None:
        yield batch  # already batching: the outer block writes
        return
    batch = _pending.batch = StatementBatch(prologue=list(prologue))
    _pending.events, _pending.saves = [], {}
    try:
        yield batch
        flush_writes()
    finally:
        _pending.batch = _pending.events = _pending.saves = None


def flush_writes() -> None:
    """Send what the enclosing batched_writes block holds so far (nothing outside one)."""
    batch = getattr(_pending, "batch", None)
    if batch is None:
        return
    events, saves = _pending.events, _pending.saves
    _pending.events, _pending.saves = [], {}
    for job, fields in saves.values():
        batch.update(job, fields)
    batch.insert(events)
    batch.flush()


def save_job(job: ProductionJob, fields: Iterable[str]) -> None:
    """Save these fields of the job now, or at the end of the enclosing batched_writes block."""
    saves = getattr(_pending, "saves", None)
    if saves is None:
        job.save(update_fields=list(dict.fromkeys(fields)))
        return
    _, pending = saves.setdefault(id(job), (job, []))
    pending.extend(f for f in fields if f not in pending)


def insert_row(obj: M) -> M:
    """Insert a new row now, or at the end of the enclosing batched_writes block (its pk then
    stays unset: nothing inside the block may need it)."""
    batch = getattr(_pending, "batch", None)
    if batch is None:
        obj.save(force_insert=True)
    else:
        batch.insert([obj])
    return obj


def update_row(obj: Model, fields: Iterable[str]) -> None:
    """`obj.save(update_fields=fields)` now, or at the end of the enclosing batched_writes block
    (the fields' values are read when the UPDATE is built, that is now)."""
    batch = getattr(_pending, "batch", None)
    if batch is None:
        obj.save(update_fields=list(fields))
    else:
        batch.update(obj, fields)


def insert_rows(objs: list[M]) -> list[M]:
    """Several new rows of one model in one INSERT: with primary keys set (reserved), at the
    end of the enclosing batched_writes block; without, now, returning their keys."""
    batch = getattr(_pending, "batch", None)
    if objs and objs[0].pk is not None and batch is not None:
        batch.insert(objs)
    else:
        (batch or StatementBatch()).insert_now(objs)
    return objs


def _write_event(**fields: Any) -> JobEvent:
    event = JobEvent(**fields)
    batch = getattr(_pending, "events", None)
    if batch is None:
        event.save()
    else:
        batch.append(event)
    return event


def _follow_up(job: ProductionJob, source: str, target: str) -> None:
    # Imported here: the engine depends on this module, not the other way round.
    from jobs import engine

    if target == S.QUEUED:
        engine.schedule_ready_steps(job)
    elif target == S.CANCELLED:
        engine.cancel_open_steps(job)
