"""Step liveness from progress: a running step proves it moves, not only that its worker lives.

A step's own work beats its heartbeat: a provider call returned (StepContext.record_attempts),
an item is done (StepContext.progress), ffmpeg reported progress (jobs.mediakit.ffmpeg calls
`step_progress`), or a handler calls `context.heartbeat()`. One daemon thread per process
renews the lease of every step it runs, every third of STEP_LEASE_SECONDS, to the earlier of
two times: STEP_LEASE_SECONDS from now (the worker lives) and the last beat plus the step's
heartbeat timeout (Step.heartbeat_seconds, else STEP_HEARTBEAT_SECONDS: the work moves). So
a worker that died lets its steps' leases lapse within STEP_LEASE_SECONDS, a step whose work
stopped (a provider that never answers, an ffmpeg that stalls) lapses at its heartbeat
timeout, and a slow provider call shorter than that timeout is left alone. The reconciler
takes a lapsed step back (`take_back`): sent again as a new attempt, or failed with a
message for the person once its attempts are spent.

Beats are kept in memory and written by the one thread, so a beat costs no query and may come
from any thread of the step (ffmpeg renders run in a pool): no thread but that one opens a
database connection for liveness.
"""

from __future__ import annotations

import contextvars
import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from django.conf import settings
from django.db import connection as thread_connection
from django.db import transaction
from django.utils import timezone

from jobs import lifecycle
from jobs.engine import retry, states
from jobs.models import ProductionJob, Status, StepRun, StepStatus
from jobs.queues import enqueue_step_on_commit, new_rq_job_id
from jobs.workflows import workflow_for
from jobs.workflows.base import Step

log = logging.getLogger(__name__)

RECONCILER = "reconciler"


def timeout_for(step: Step) -> float:
    """Seconds a step may go without progress before it is taken back."""
    return float(step.heartbeat_seconds or settings.STEP_HEARTBEAT_SECONDS)


def first_lease(step: Step) -> float:
    """Seconds the claim's lease lasts: until the worker's first renewal is due, at most."""
    return min(timeout_for(step), settings.STEP_LEASE_SECONDS)


class Heartbeat:
    """The progress of one running attempt of a step, in this process."""

    def __init__(self, step_run_id: int, attempt: int, timeout: float) -> None:
        self.step_run_id = step_run_id
        self.attempt = attempt
        self.timeout = timeout
        self.last = time.time()  # the claim wrote a lease from about now
        self.written = self.last

    def beat(self) -> None:
        self.last = time.time()

    def lease(self) -> datetime:
        """The earlier of the worker's next renewal falling due and the progress deadline."""
        alive = time.time() + settings.STEP_LEASE_SECONDS
        return datetime.fromtimestamp(min(alive, self.last + self.timeout), tz=UTC)


_current: contextvars.ContextVar[Heartbeat | None] = contextvars.ContextVar(
    "step_heartbeat", default=None
)


def step_progress() -> None:
    """The running step (of this thread's context) made progress; a no-op outside a step."""
    heartbeat = _current.get()
    if heartbeat is not None:
        heartbeat.beat()


@contextmanager
def heartbeat(run: StepRun, step: Step) -> Iterator[Heartbeat]:
    """While the handler runs: its beats renew the lease, and nothing else does."""
    beating = Heartbeat(run.pk, run.attempt, timeout_for(step))
    token = _current.set(beating)
    _Writer.add(beating)
    try:
        yield beating
    finally:
        _Writer.discard(beating)
        _current.reset(token)


class _Writer:
    """One daemon thread per process writing the beats of every step it runs to their leases."""

    _lock = threading.Lock()
    _active: set[Heartbeat] = set()
    _thread: threading.Thread | None = None

    @classmethod
    def add(cls, heartbeat: Heartbeat) -> None:
        with cls._lock:
            cls._active.add(heartbeat)
            if cls._thread is None or not cls._thread.is_alive():
                cls._thread = threading.Thread(target=cls._write_forever, daemon=True)
                cls._thread.start()

    @classmethod
    def discard(cls, heartbeat: Heartbeat) -> None:
        with cls._lock:
            cls._active.discard(heartbeat)

    @classmethod
    def _write_forever(cls) -> None:
        while True:
            with cls._lock:
                active = list(cls._active)
            # Renewed well within both windows: a third of the lease or the shortest timeout.
            windows = [settings.STEP_LEASE_SECONDS, *(h.timeout for h in active)]
            time.sleep(max(min(windows) / 3, 0.1))
            if not active:
                continue
            try:
                for beat in active:
                    last = beat.last
                    StepRun.objects.filter(
                        pk=beat.step_run_id, attempt=beat.attempt, status=StepStatus.RUNNING
                    ).update(lease_expires_at=beat.lease())
                    beat.written = last
            except Exception:  # noqa: BLE001 - a missed write is retried on the next round
                log.exception("could not write step heartbeats")
            finally:
                # Writes are a third of a lease apart: holding no connection between them
                # keeps the thread from pinning the database (or a test database).
                thread_connection.close()


def take_back(step_run_id: int) -> str:
    """A running step whose lease lapsed: send it again, or fail it once its attempts are spent.

    Returns "requeued", "failed" or "" (it finished, beat again or was moved meanwhile).
    """
    with transaction.atomic():
        job_id = StepRun.objects.filter(pk=step_run_id).values_list("job_id", flat=True).first()
        if job_id is None:
            return ""
        job = lifecycle.lock_job(job_id)
        run = StepRun.objects.get(pk=step_run_id)
        if run.status != StepStatus.RUNNING or job.status not in (Status.QUEUED, Status.PROCESSING):
            return ""
        if run.lease_expires_at is None or run.lease_expires_at >= timezone.now():
            return ""
        step = next((s for s in workflow_for(job).steps(job) if s.name == run.step), None)
        if step is None:
            return ""
        silent = int(timeout_for(step))
        attempts = retry.policy_for(step).maximum_attempts or 1
        if run.attempt < attempts or job.status != Status.PROCESSING:
            # A new attempt number: if the stuck worker ever wakes up, its finish is a no-op.
            states.move(
                run,
                StepStatus.QUEUED,
                attempt=run.attempt + 1,
                rq_job_id=new_rq_job_id(),
                lease_expires_at=None,
            )
            lifecycle.record_event(
                job,
                "step_recovered",
                actor_label=RECONCILER,
                note=f"{step.label} stopped: its worker stopped, or it showed no progress for "
                f"{silent} s; sent again (attempt {run.attempt}).",
                payload={"step": run.step, "was": StepStatus.RUNNING, "attempt": run.attempt},
            )
            enqueue_step_on_commit(
                step_run_id=run.pk,
                attempt=run.attempt,
                rq_job_id=run.rq_job_id,
                priority=job.priority,
            )
            return "requeued"
        _fail_stalled(job, run, step, silent)
        return "failed"


def _fail_stalled(job: ProductionJob, run: StepRun, step: Step, silent: int) -> None:
    message = (
        f"its worker stopped, or it showed no progress for {silent} s, on each of "
        f"{run.attempt} attempts (a provider or a render that never answered, or a worker "
        "that kept dying)"
    )
    states.move(
        run,
        StepStatus.FAILED,
        finished_at=timezone.now(),
        lease_expires_at=None,
        error=message,
    )
    job.error = f"{step.label}: {message}"
    lifecycle.transition(
        job,
        Status.FAILED,
        actor_label=RECONCILER,
        locked=True,
        note=f"{step.label} was stopped: {message}.",
        payload={"step": run.step, "error": message, "attempts": run.attempt},
        save_fields=["error"],
    )
