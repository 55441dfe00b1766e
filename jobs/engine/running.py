"""Running one step: load it, claim it (queued -> running), run its handler, record the result.

A step runs in two transactions around its handler: the claim, then its finish or failure
(see recording). Every step is claimed with a lease before its handler runs, and only the
handler's progress renews it (see liveness), so the reconciler can tell a step that moves
from one that is stuck or whose worker died by its lease alone.
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import close_old_connections, connection, transaction
from django.utils import timezone

from jobs import lifecycle, live
from jobs.engine import kept, liveness, recording, states
from jobs.engine.reviews import reviews
from jobs.engine.scheduling import WORKER
from jobs.models import Output, ProductionJob, Status, StepRun, StepStatus
from jobs.workflows import workflow_for
from jobs.workflows.base import OutputSpec, Step, StepContext
from production import tenant_scope

log = logging.getLogger(__name__)


def _refresh_connections() -> None:
    # Long-lived (non-forking) workers must drop broken or expired connections between jobs;
    # a caller already inside a transaction (inline runs in tests, demo seeding) keeps its own.
    if not connection.in_atomic_block:
        close_old_connections()


def run_step(step_run_id: int, attempt: int) -> str:
    """Entry point of a step's RQ job: claim, run the handler, record the result."""
    _refresh_connections()
    try:
        run = _load(step_run_id, attempt)
        if run is None:
            return "skipped"
        # The step sees only its job's client's rows (PostgreSQL row security).
        with tenant_scope.clients([run.job.client_id]):
            return _run(run, attempt)
    finally:
        _refresh_connections()


def _run(run: StepRun, attempt: int) -> str:
    step = _step_of(run.job, run)
    job = _claim(run, attempt, liveness.first_lease(step))
    if job is None:
        return "skipped"
    context = _context(job, run, step)
    approved, whole_step = _kept_for(job, step)
    started = time.monotonic()
    with liveness.heartbeat(run, step) as heartbeat:
        context.heartbeat_callback = heartbeat.beat
        try:
            if not (whole_step and kept.keep_all(context, approved)):
                step.handler(context)  # type: ignore[misc]
                kept.keep_approved(context, approved)
            _store_files(job, run, context.outputs)
        except Exception as exc:  # noqa: BLE001 - every failure is recorded and retried
            log.warning("step %s of job %s failed: %s", step.name, job.pk, exc)
            recording.fail(run.pk, attempt, context, exc, time.monotonic() - started)
            return "failed"
    finished = recording.finish(run.pk, attempt, context, time.monotonic() - started)
    if not finished:
        _discard_unrecorded(job, context.outputs)
    return "succeeded" if finished else "skipped"


def _load(step_run_id: int, attempt: int) -> StepRun | None:
    """The step run with its job and client in one read; None when it is not this attempt's."""
    run = StepRun.objects.select_related("job__client").filter(pk=step_run_id).first()
    if run is None or run.status != StepStatus.QUEUED or run.attempt != attempt:
        return None
    return run


def _step_of(job: ProductionJob, run: StepRun) -> Step:
    return next(s for s in workflow_for(job).steps(job) if s.name == run.step)


def _claim(run: StepRun, attempt: int, lease_seconds: float) -> ProductionJob | None:
    """Mark the step running (with a lease) and the job processing; None if it is not ours."""
    with transaction.atomic():
        # Lock order everywhere: the job first, then its step runs.
        job = lifecycle.lock_job(run.job_id, client=run.job.client)
        now = timezone.now()
        lease = now + timedelta(seconds=lease_seconds)
        claimed = states.move_where(
            StepRun.objects.filter(pk=run.pk, attempt=attempt),
            StepStatus.QUEUED,
            StepStatus.RUNNING,
            started_at=now,
            lease_expires_at=lease,
        )
        if not claimed:
            return None
        if job.status == Status.QUEUED:
            lifecycle.transition(job, Status.PROCESSING, actor_label=WORKER, locked=True)
        elif job.status != Status.PROCESSING:
            states.move_where(
                StepRun.objects.filter(pk=run.pk),
                StepStatus.RUNNING,
                StepStatus.CANCELLED,
                finished_at=now,
                lease_expires_at=None,
            )
            return None
        live.notify(run.job_id, "step")  # open pages show the step under way
    run.status, run.started_at, run.lease_expires_at = StepStatus.RUNNING, now, lease
    return job


def _context(job: ProductionJob, run: StepRun, step: Step) -> StepContext:
    feedback = _feedback_for(job)
    upstream = _upstream_outputs(job, step)
    return StepContext(
        job=job,
        step=step,
        step_run=run,
        feedback=feedback,
        upstream=upstream,
        input_snapshot=_snapshot(job, feedback, upstream),
        progress_callback=lambda done, total: _record_progress(run, done, total),
        cancelled_check=lambda: ProductionJob.objects.filter(
            pk=job.pk, status=Status.CANCELLED
        ).exists(),
    )


def _record_progress(run: StepRun, done: int, total: int) -> None:
    StepRun.objects.filter(pk=run.pk).update(items_done=done, items_total=total)
    live.notify(run.job_id, "step")


def _snapshot(
    job: ProductionJob, feedback: list[str], upstream: dict[str, list[Output]]
) -> dict[str, Any]:
    """What the step ran with, kept on its run: inputs, feedback and upstream outputs."""
    return {
        "inputs": job.input_data or {},
        "revision": job.revision,
        "feedback": feedback,
        "upstream": {
            name: [{"id": o.pk, "key": o.key, "kind": o.kind, "title": o.title} for o in found]
            for name, found in upstream.items()
        },
    }


def _feedback_for(job: ProductionJob) -> list[str]:
    if job.revision <= 1:
        return []
    return reviews().feedback_for(job)


def _kept_for(job: ProductionJob, step: Step) -> tuple[dict[str, Output], bool]:
    """What the step keeps from the previous revision's per-output review (see kept)."""
    if job.revision <= 1:
        return {}, False
    approved = reviews().kept_outputs(job)
    if not approved:
        return {}, False
    return kept.for_step(job, approved, workflow_for(job).steps(job), step.name)


def _upstream_outputs(job: ProductionJob, step: Step) -> dict[str, list[Output]]:
    if not step.depends_on:
        return {}
    found: dict[str, list[Output]] = {name: [] for name in step.depends_on}
    for output in Output.objects.filter(
        job=job, revision=job.revision, step__in=step.depends_on
    ).order_by("item"):
        found[output.step].append(output)
    return found


def _discard_unrecorded(job: ProductionJob, specs: list[OutputSpec]) -> None:
    """This attempt's finish was refused (a newer attempt owns the step): the files it wrote
    under names no output records are removed, so work done twice leaves nothing behind."""
    written = [spec.file_name for spec in specs if spec.file_name]
    recorded = set(Output.objects.filter(job=job, file__in=written).values_list("file", flat=True))
    for name in written:
        if name not in recorded:
            default_storage.delete(name)


def _store_files(job: ProductionJob, run: StepRun, specs: list[OutputSpec]) -> None:
    """Binary content goes to storage before the database commit; names are per revision."""
    for spec in specs:
        if spec.content is None:
            continue
        filename = spec.filename or f"{spec.key}.bin"
        name = f"outputs/{job.client_id}/{job.pk}/r{job.revision}/{run.step}-{spec.item}-{filename}"
        if default_storage.exists(name):
            default_storage.delete(name)  # a re-run replaces its own file
        spec.file_name = default_storage.save(name, ContentFile(spec.content))
