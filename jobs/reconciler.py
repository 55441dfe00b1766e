"""Finds work the database says is queued or running but no live RQ job carries, and re-sends it.

A killed worker leaves a running step whose lease stops being renewed; a restarted Redis
loses queued RQ jobs. Both are found here from database state, so nothing is lost silently.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field

import django_rq
from django.db import transaction
from django.utils import timezone
from rq.job import Job, JobStatus
from rq.registry import StartedJobRegistry

from jobs import lifecycle
from jobs.models import ProductionJob, Status, StepRun, StepStatus
from jobs.queues import enqueue_step_on_commit, new_rq_job_id

log = logging.getLogger(__name__)

LIVE_RQ_STATUSES = {JobStatus.QUEUED, JobStatus.SCHEDULED, JobStatus.DEFERRED, JobStatus.STARTED}


@dataclass
class ReconcileReport:
    requeued_queued: list[int] = field(default_factory=list)
    requeued_running: list[int] = field(default_factory=list)
    advanced_jobs: list[str] = field(default_factory=list)
    closed_orphans: int = 0

    @property
    def total(self) -> int:
        return len(self.requeued_queued) + len(self.requeued_running) + len(self.advanced_jobs)


def _rq_job_alive(rq_job_id: str, connection) -> bool:  # noqa: ANN001 - a redis client
    if not rq_job_id:
        return False
    try:
        job = Job.fetch(rq_job_id, connection=connection)
        status = job.get_status(refresh=False)
    except Exception:  # noqa: BLE001 - missing or unreadable means not alive
        return False
    if status == JobStatus.STARTED:
        return _execution_fresh(job, connection)
    return status in LIVE_RQ_STATUSES


def _execution_fresh(job: Job, connection) -> bool:  # noqa: ANN001 - a redis client
    """A started RQ job is alive while its worker keeps its started-registry entry fresh.

    A quick step stays queued in the database while it runs, so this is its liveness: a
    worker killed mid-step leaves an entry that expires (within the worker's heartbeat TTL)
    and the step is sent again.
    """
    key = StartedJobRegistry(job.origin, connection=connection).key
    now = time.time()
    return any(
        score > now for _, score in connection.zscan_iter(key, match=f"{job.id}:*", count=500)
    )


def reconcile() -> ReconcileReport:
    report = ReconcileReport()
    connection = django_rq.get_connection("normal")
    now = timezone.now()
    active_jobs = ProductionJob.objects.filter(status__in=(Status.QUEUED, Status.PROCESSING))
    queued = StepRun.objects.filter(job__in=active_jobs, status=StepStatus.QUEUED).values_list(
        "id", "rq_job_id"
    )
    for run_id, rq_job_id in queued:
        if not _rq_job_alive(rq_job_id, connection) and _resend(run_id, expected=StepStatus.QUEUED):
            report.requeued_queued.append(run_id)
    expired = StepRun.objects.filter(
        job__in=active_jobs, status=StepStatus.RUNNING, lease_expires_at__lt=now
    ).values_list("id", flat=True)
    for run_id in expired:
        if _resend(run_id, expected=StepStatus.RUNNING):
            report.requeued_running.append(run_id)
    report.closed_orphans = _close_orphaned_runs(now)
    report.advanced_jobs.extend(_advance_stalled_jobs())
    if report.total:
        log.info(
            "reconciler re-sent %d queued and %d abandoned steps, advanced %d jobs",
            len(report.requeued_queued),
            len(report.requeued_running),
            len(report.advanced_jobs),
        )
    return report


def _resend(run_id: int, *, expected: str) -> bool:
    with transaction.atomic():
        run = StepRun.objects.filter(pk=run_id).only("job_id").first()
        if run is None:
            return False
        job = lifecycle.lock_job(run.job_id)
        run = StepRun.objects.get(pk=run_id)
        if run.status != expected or job.status not in (Status.QUEUED, Status.PROCESSING):
            return False
        if expected == StepStatus.RUNNING and (
            run.lease_expires_at is None or run.lease_expires_at >= timezone.now()
        ):
            return False
        # A new attempt number: if the lost worker ever wakes up, its claim and finish no-op.
        run.status = StepStatus.QUEUED
        run.attempt += 1
        run.rq_job_id = new_rq_job_id()
        run.lease_expires_at = None
        run.save(update_fields=["status", "attempt", "rq_job_id", "lease_expires_at"])
        lifecycle.record_event(
            job,
            "step_recovered",
            actor_label="reconciler",
            note=f"Step {run.step} had no live worker; sent again (attempt {run.attempt}).",
            payload={"step": run.step, "was": expected, "attempt": run.attempt},
        )
        enqueue_step_on_commit(
            step_run_id=run.pk, attempt=run.attempt, rq_job_id=run.rq_job_id, priority=job.priority
        )
        return True


def _close_orphaned_runs(now) -> int:  # noqa: ANN001 - a datetime
    """A step still marked running on a job that was cancelled meanwhile, whose worker died
    before it could notice: nothing will finish it, so it is closed as cancelled."""
    return StepRun.objects.filter(
        status=StepStatus.RUNNING, lease_expires_at__lt=now, job__status=Status.CANCELLED
    ).update(status=StepStatus.CANCELLED, finished_at=now, lease_expires_at=None)


def _advance_stalled_jobs() -> list[str]:
    """Jobs in processing with no open step: a crash between finishing and advancing."""
    from jobs import engine

    advanced = []
    stalled = ProductionJob.objects.filter(status__in=(Status.QUEUED, Status.PROCESSING)).exclude(
        step_runs__status__in=engine.OPEN_STEP_STATUSES
    )
    for job_id in stalled.values_list("id", flat=True)[:500]:
        with transaction.atomic():
            job = lifecycle.lock_job(job_id)
            if job.status not in (Status.QUEUED, Status.PROCESSING):
                continue
            runs = {r.step: r for r in StepRun.objects.filter(job=job, revision=job.revision)}
            if any(r.status in engine.OPEN_STEP_STATUSES for r in runs.values()):
                continue
            if job.status == Status.QUEUED:
                engine.schedule_ready_steps(job)
            else:
                engine._advance(job, runs)  # noqa: SLF001 - the engine's own recovery path
            advanced.append(str(job_id))
    return advanced
