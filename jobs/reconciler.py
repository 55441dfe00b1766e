"""Finds work the database says is queued or running but nothing will run, and re-sends it.

A queued step is alive only while its message waits in its queue (or in the scheduled or
deferred registry, for a delayed retry); a running step only while its own progress renews its
lease (jobs/engine/liveness.py). A worker killed after popping a message, or mid-step, a step
stuck in a call that never returns, and a restarted Redis that lost its queues are all found
here from database state within seconds, so nothing is lost silently.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from jobs import engine, lifecycle
from jobs.engine import states
from jobs.models import ProductionJob, Status, StepRun, StepStatus
from jobs.queues import enqueue_step_on_commit, get_queue, new_rq_job_id

log = logging.getLogger(__name__)

# A worker claims a step (queued -> running) milliseconds after popping its message, and a
# message is sent milliseconds after its step's commit. A step queued in the database whose
# message is nowhere, and still so after this long, was lost with the process that popped it.
LOST_GRACE_SECONDS = 2.0


@dataclass
class ReconcileReport:
    requeued_queued: list[int] = field(default_factory=list)
    requeued_running: list[int] = field(default_factory=list)
    failed_running: list[int] = field(default_factory=list)  # stuck on every attempt
    advanced_jobs: list[str] = field(default_factory=list)
    closed_orphans: int = 0

    @property
    def total(self) -> int:
        return (
            len(self.requeued_queued)
            + len(self.requeued_running)
            + len(self.failed_running)
            + len(self.advanced_jobs)
        )


def _message_waiting(rq_job_id: str, priority: str) -> bool:
    """The step's message is still waiting to be taken: scheduled (a delayed retry), deferred,
    or in its queue. A popped message is in none of them, whatever status its RQ hash says."""
    if not rq_job_id:
        return False
    queue = get_queue(priority)
    try:
        # Registries first: the scheduler moves a message from its registry into the queue.
        return (
            rq_job_id in queue.scheduled_job_registry
            or rq_job_id in queue.deferred_job_registry
            or queue.get_job_position(rq_job_id) is not None
        )
    except Exception:  # noqa: BLE001 - an unreachable Redis holds nothing for us
        log.warning("could not look for step message %s in Redis", rq_job_id, exc_info=True)
        return False


def _lost_queued_steps(active_jobs) -> list[tuple[int, str]]:  # noqa: ANN001 - a queryset
    """Queued steps (id, message id) whose message is waiting nowhere, twice, some time apart."""
    queued = StepRun.objects.filter(job__in=active_jobs, status=StepStatus.QUEUED)
    fields = ("id", "rq_job_id", "job__priority")
    suspects = [
        (run_id, rq_job_id)
        for run_id, rq_job_id, priority in queued.values_list(*fields)
        if not _message_waiting(rq_job_id, priority)
    ]
    if not suspects:
        return []
    # A message being taken up right now looks lost for a moment: look again a little later.
    time.sleep(LOST_GRACE_SECONDS)
    still = {
        (run_id, rq_job_id): priority
        for run_id, rq_job_id, priority in queued.filter(
            pk__in=[run_id for run_id, _ in suspects]
        ).values_list(*fields)
    }
    return [
        (run_id, rq_job_id)
        for run_id, rq_job_id in suspects
        if (run_id, rq_job_id) in still
        and not _message_waiting(rq_job_id, still[run_id, rq_job_id])
    ]


def reconcile() -> ReconcileReport:
    report = ReconcileReport()
    now = timezone.now()
    active_jobs = ProductionJob.objects.filter(status__in=(Status.QUEUED, Status.PROCESSING))
    for run_id, rq_job_id in _lost_queued_steps(active_jobs):
        if _resend(run_id, rq_job_id=rq_job_id):
            report.requeued_queued.append(run_id)
    # A running step's lease is renewed only by its own progress (jobs/engine/liveness.py):
    # once it lapses the step is stuck or its worker died, and it is taken back, whatever
    # RQ's job timeout says.
    expired = StepRun.objects.filter(
        job__in=active_jobs, status=StepStatus.RUNNING, lease_expires_at__lt=timezone.now()
    ).values_list("id", flat=True)
    for run_id in expired:
        outcome = engine.take_back(run_id)
        if outcome == "requeued":
            report.requeued_running.append(run_id)
        elif outcome == "failed":
            report.failed_running.append(run_id)
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


def _resend(run_id: int, *, rq_job_id: str) -> bool:
    """Send a queued step again as a new attempt, if it is still queued and still carried by
    the message `rq_job_id`, under its job's lock."""
    with transaction.atomic():
        run = StepRun.objects.filter(pk=run_id).only("job_id").first()
        if run is None:
            return False
        job = lifecycle.lock_job(run.job_id)
        run = StepRun.objects.get(pk=run_id)
        if run.status != StepStatus.QUEUED or job.status not in (Status.QUEUED, Status.PROCESSING):
            return False
        if run.rq_job_id != rq_job_id:
            return False
        # A new attempt number: if the lost worker ever wakes up, its claim is a no-op.
        states.move(run, StepStatus.QUEUED, attempt=run.attempt + 1, rq_job_id=new_rq_job_id())
        lifecycle.record_event(
            job,
            "step_recovered",
            actor_label="reconciler",
            note=f"Step {run.step} was lost with its message; sent again (attempt {run.attempt}).",
            payload={"step": run.step, "was": StepStatus.QUEUED, "attempt": run.attempt},
        )
        enqueue_step_on_commit(
            step_run_id=run.pk, attempt=run.attempt, rq_job_id=run.rq_job_id, priority=job.priority
        )
        return True


def _close_orphaned_runs(now) -> int:  # noqa: ANN001 - a datetime
    """Steps still open on a job that ended (cancelled, or failed at another step) meanwhile:
    a running one whose worker died before it could notice, or a queued one whose message was
    lost. Nothing would ever finish them, so they are closed as cancelled; a retry of the job
    re-opens cancelled steps."""
    ended = (Status.CANCELLED, Status.FAILED)
    running = states.move_where(
        StepRun.objects.filter(lease_expires_at__lt=now, job__status__in=ended),
        StepStatus.RUNNING,
        StepStatus.CANCELLED,
        finished_at=now,
        lease_expires_at=None,
    )
    # A worker taking a queued step of an ended job would cancel it too; its claim after this
    # is a no-op.
    queued = states.move_where(
        StepRun.objects.filter(job__status__in=ended),
        StepStatus.QUEUED,
        StepStatus.CANCELLED,
        finished_at=now,
    )
    return running + queued


def _advance_stalled_jobs() -> list[str]:
    """Jobs in processing with no open step: a crash between finishing and advancing."""
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
                engine.advance(job, runs)
            advanced.append(str(job_id))
    return advanced
