"""The workflow engine: advances each job's DAG from database state and runs its steps.

PostgreSQL is the source of truth and Redis only the transport: every decision here is taken
under the job's row lock from the StepRun rows, so a lost or duplicated RQ job changes nothing.
A step runs in two transactions around its handler: the claim (queued -> running, with a lease
that a thread renews while the handler runs), then its finish or failure (the step, its
outputs, the job's fields and statuses, their history, and the next steps sent on commit).
"""

from __future__ import annotations

import logging
import threading
import time
import traceback
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import close_old_connections, connection, transaction
from django.utils import timezone

from jobs import lifecycle
from jobs.models import (
    STEP_DONE_STATUSES,
    Output,
    ProductionJob,
    Status,
    StepRun,
    StepStatus,
)
from jobs.queues import cancel_rq_jobs_on_commit, enqueue_step_on_commit, new_rq_job_id
from jobs.workflows import workflow_for
from jobs.workflows.base import OutputSpec, Step, StepContext, StepFailure

log = logging.getLogger(__name__)

OPEN_STEP_STATUSES = (StepStatus.QUEUED, StepStatus.RUNNING, StepStatus.WAITING)
WORKER = "worker"


# --- scheduling --------------------------------------------------------------------------------


def schedule_ready_steps(job: ProductionJob) -> list[StepRun]:
    """Create or re-open the StepRuns whose dependencies are met, and enqueue them on commit.

    Called under the job's row lock whenever the job enters `queued` or a step finishes.
    Failed and cancelled steps of the current revision are re-opened (a retry resumes from
    the failure: steps that succeeded are kept). A new revision of a workflow with partial
    re-runs first carries forward the steps its rejection does not cover.
    """
    steps = workflow_for(job).steps(job)
    runs = {run.step: run for run in StepRun.objects.filter(job=job, revision=job.revision)}
    if not runs and job.revision > 1:
        _carry_forward(job, steps, runs)
    opened = _open_ready(job, steps, runs)
    if runs and not any(r.status in OPEN_STEP_STATUSES for r in runs.values()):
        # Nothing to run (a gate was passed and the next step is a gate, or it was the last):
        # go straight on to the next gate or the end of the workflow.
        lifecycle.transition(job, Status.PROCESSING, actor_label=WORKER, locked=True)
        _advance(job, runs)
    return opened


def _open_ready(job: ProductionJob, steps: list[Step], runs: dict[str, StepRun]) -> list[StepRun]:
    """Queue every step whose dependencies are done; record untaken branches as skipped.

    Repeats until nothing changes, so a skipped step lets its successors open in one call.
    """
    opened: list[StepRun] = []
    changed = True
    while changed:
        changed = False
        done = {name for name, run in runs.items() if run.status in STEP_DONE_STATUSES}
        for step in steps:
            run = runs.get(step.name)
            if run is not None and run.status in (*OPEN_STEP_STATUSES, *STEP_DONE_STATUSES):
                continue
            if not all(dep in done for dep in step.depends_on):
                continue
            if step.when is not None and not step.when(job):
                runs[step.name] = _skip(job, step, run)
                changed = True
                continue
            if step.kind == "gate":
                continue  # gates open only when the job is processing (see _advance)
            note = step.why(job) if step.why is not None else ""
            if run is None:
                run = StepRun.objects.create(
                    job=job,
                    step=step.name,
                    revision=job.revision,
                    step_revision=_next_step_revision(job, step.name),
                    status=StepStatus.QUEUED,
                    rq_job_id=new_rq_job_id(),
                    note=note,
                )
                runs[step.name] = run
            else:
                run.status = StepStatus.QUEUED
                run.attempt = 1
                run.rq_job_id = new_rq_job_id()
                run.save(update_fields=["status", "attempt", "rq_job_id"])
            enqueue_step_on_commit(
                step_run_id=run.pk,
                attempt=run.attempt,
                rq_job_id=run.rq_job_id,
                priority=job.priority,
            )
            opened.append(run)
    return opened


def _skip(job: ProductionJob, step: Step, run: StepRun | None) -> StepRun:
    """A branch (or conditional gate) not taken: a real `skipped` run saying why."""
    now = timezone.now()
    note = step.why(job) if step.why is not None else "Branch not taken."
    if run is None:
        run = StepRun(job=job, step=step.name, revision=job.revision)
        run.step_revision = _next_step_revision(job, step.name)
    run.status, run.note, run.error = StepStatus.SKIPPED, note, ""
    run.started_at = run.finished_at = now
    run.save()
    return run


def _next_step_revision(job: ProductionJob, step: str) -> int:
    """1 for a step's first run; one more than its last run of an earlier revision."""
    if job.revision <= 1:
        return 1
    last = (
        StepRun.objects.filter(job=job, step=step, revision__lt=job.revision)
        .order_by("-revision")
        .values_list("step_revision", flat=True)
        .first()
    )
    return (last or 0) + 1


def _carry_forward(job: ProductionJob, steps: list[Step], runs: dict[str, StepRun]) -> None:
    """Copy into this revision the finished steps (and outputs) a rejection did not cover.

    Only that step and its successors run again; the others keep their step revision and
    point at the revision that ran them (`reused_from`).
    """
    workflow = workflow_for(job)
    rerun = workflow.rerun_after(job, steps) if workflow.rerun_after else None
    if rerun is None:
        return
    previous = {r.step: r for r in StepRun.objects.filter(job=job, revision=job.revision - 1)}
    kept = [
        previous[s.name]
        for s in steps
        if s.name not in rerun
        and s.name in previous
        and previous[s.name].status in STEP_DONE_STATUSES
    ]
    for old in kept:
        runs[old.step] = StepRun.objects.create(
            job=job,
            step=old.step,
            revision=job.revision,
            step_revision=old.step_revision,
            reused_from=old.reused_from or old.revision,
            status=old.status,
            provider=old.provider,
            note=old.note,
            items_total=old.items_total,
            items_done=old.items_done,
            started_at=old.started_at,
            finished_at=old.finished_at,
        )
    copies = []
    for output in Output.objects.filter(
        job=job, revision=job.revision - 1, step__in=[r.step for r in kept]
    ):
        output.pk = None
        output.revision = job.revision
        copies.append(output)
    Output.objects.bulk_create(copies)


def _advance(job: ProductionJob, runs: dict[str, StepRun]) -> None:
    """After a step finished: open what is ready, open a gate, or finish the workflow."""
    workflow = workflow_for(job)
    steps = workflow.steps(job)
    _open_ready(job, steps, runs)
    done = {n for n, r in runs.items() if r.status in STEP_DONE_STATUSES}
    if any(r.status in OPEN_STEP_STATUSES for r in runs.values()):
        _update_progress(job, steps, runs)
        return
    for step in steps:
        if step.kind == "gate" and step.name not in runs and set(step.depends_on) <= done:
            _open_gate(job, step, runs)
            return
    if all(s.name in done for s in steps):
        job.progress = 100
        lifecycle.transition(
            job, Status.DRAFT, actor_label=WORKER, locked=True, save_fields=["progress"]
        )
        from approvals.review import apply_rollup, submit_for_review

        if not workflow.gates_decide:
            submit_for_review(job)
            return
        # Every gate of the workflow was passed by the people it names: that is the approval.
        apply_rollup(job)
        lifecycle.transition(
            job, Status.APPROVED, actor_label="system", locked=True, note="Every gate passed."
        )
        lifecycle.transition(job, Status.COMPLETED, actor_label="system", locked=True)


def _open_gate(job: ProductionJob, step: Step, runs: dict[str, StepRun]) -> None:
    from approvals.review import open_gate

    runs[step.name] = StepRun.objects.create(
        job=job,
        step=step.name,
        revision=job.revision,
        step_revision=_next_step_revision(job, step.name),
        status=StepStatus.WAITING,
        note=step.why(job) if step.why is not None else "",
    )
    _update_progress(job, workflow_for(job).steps(job), runs)
    lifecycle.transition(
        job, Status.REVIEW, actor_label=WORKER, locked=True, note=f"Waiting for {step.label}."
    )
    open_gate(job, step)


def _update_progress(job: ProductionJob, steps: list[Step], runs: dict[str, StepRun]) -> None:
    total = len(steps) or 1
    done = sum(1 for s in steps if runs.get(s.name) and runs[s.name].status in STEP_DONE_STATUSES)
    progress = int(100 * done / total)
    if progress != job.progress:
        job.progress = progress
        job.save(update_fields=["progress"])


def cancel_open_steps(job: ProductionJob) -> None:
    """Stop what has not started; a running step notices (between items, and when it
    finishes), records itself as cancelled and keeps what it produced."""
    open_runs = list(
        StepRun.objects.filter(job=job, status__in=(StepStatus.QUEUED, StepStatus.WAITING)).only(
            "id", "rq_job_id", "status"
        )
    )
    StepRun.objects.filter(pk__in=[r.pk for r in open_runs]).update(
        status=StepStatus.CANCELLED, finished_at=timezone.now()
    )
    cancel_rq_jobs_on_commit([r.rq_job_id for r in open_runs if r.status == StepStatus.QUEUED])
    from approvals.review import cancel_open_requests

    cancel_open_requests(job)


def resume_after_gate(job: ProductionJob, gate: str) -> None:
    """A human passed a mid-workflow gate: mark it done and let the workflow go on."""
    StepRun.objects.filter(job=job, revision=job.revision, step=gate).update(
        status=StepStatus.SUCCEEDED, finished_at=timezone.now()
    )
    lifecycle.transition(job, Status.QUEUED, actor_label="system", locked=True, note="Gate passed.")


# --- running a step ----------------------------------------------------------------------------


def _refresh_connections() -> None:
    # Long-lived (non-forking) workers must drop broken or expired connections between jobs;
    # a caller already inside a transaction (inline runs in tests, demo seeding) keeps its own.
    if not connection.in_atomic_block:
        close_old_connections()


def run_step(step_run_id: int, attempt: int) -> str:
    """Entry point of a step's RQ job: claim, run the handler, record the result.

    Every step is claimed (running, with a lease) before its handler runs, so the reconciler
    can tell a live step from one whose worker died by the lease alone.
    """
    _refresh_connections()
    try:
        run = _load(step_run_id, attempt)
        if run is None:
            return "skipped"
        job = _claim(run, attempt)
        if job is None:
            return "skipped"
        step = _step_of(job, run)
        context = _context(job, run, step)
        started = time.monotonic()
        with _LeaseRenewer(run.pk):
            try:
                step.handler(context)  # type: ignore[misc]
                _store_files(job, run, context.outputs)
            except Exception as exc:  # noqa: BLE001 - every failure is recorded and retried
                log.warning("step %s of job %s failed: %s", step.name, job.pk, exc)
                _fail(run.pk, attempt, context, exc, time.monotonic() - started)
                return "failed"
        finished = _finish(run.pk, attempt, context, time.monotonic() - started)
        return "succeeded" if finished else "skipped"
    finally:
        _refresh_connections()


def _load(step_run_id: int, attempt: int) -> StepRun | None:
    """The step run with its job and client in one read; None when it is not this attempt's."""
    run = StepRun.objects.select_related("job__client").filter(pk=step_run_id).first()
    if run is None or run.status != StepStatus.QUEUED or run.attempt != attempt:
        return None
    return run


def _step_of(job: ProductionJob, run: StepRun) -> Step:
    return next(s for s in workflow_for(job).steps(job) if s.name == run.step)


def _claim(run: StepRun, attempt: int) -> ProductionJob | None:
    """Mark the step running (with a lease) and the job processing; None if it is not ours."""
    with transaction.atomic():
        # Lock order everywhere: the job first, then its step runs.
        job = lifecycle.lock_job(run.job_id, client=run.job.client)
        now = timezone.now()
        lease = now + timedelta(seconds=settings.STEP_LEASE_SECONDS)
        claimed = StepRun.objects.filter(
            pk=run.pk, status=StepStatus.QUEUED, attempt=attempt
        ).update(status=StepStatus.RUNNING, started_at=now, lease_expires_at=lease)
        if not claimed:
            return None
        if job.status == Status.QUEUED:
            lifecycle.transition(job, Status.PROCESSING, actor_label=WORKER, locked=True)
        elif job.status != Status.PROCESSING:
            StepRun.objects.filter(pk=run.pk).update(
                status=StepStatus.CANCELLED, finished_at=now, lease_expires_at=None
            )
            return None
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
        progress_callback=lambda done, total: StepRun.objects.filter(pk=run.pk).update(
            items_done=done, items_total=total
        ),
        cancelled_check=lambda: ProductionJob.objects.filter(
            pk=job.pk, status=Status.CANCELLED
        ).exists(),
    )


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
    from approvals.review import feedback_for

    return feedback_for(job)


def _upstream_outputs(job: ProductionJob, step: Step) -> dict[str, list[Output]]:
    if not step.depends_on:
        return {}
    found: dict[str, list[Output]] = {name: [] for name in step.depends_on}
    for output in Output.objects.filter(
        job=job, revision=job.revision, step__in=step.depends_on
    ).order_by("item"):
        found[output.step].append(output)
    return found


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


def _score(job: ProductionJob, specs: list[OutputSpec]) -> dict[int, Any]:
    from approvals.scoring import score_for_client

    reports = {}
    for index, spec in enumerate(specs):
        text = (
            spec.scored_text
            if spec.scored_text is not None
            else (spec.text if spec.kind in ("text", "markdown", "html") else None)
        )
        if text:
            reports[index] = score_for_client(text, job.client)
    return reports


def _finish(step_run_id: int, attempt: int, context: StepContext, elapsed: float) -> bool:
    """Record a step's success, write its outputs and advance the workflow, in one transaction.

    Conditional on the attempt: if the reconciler gave this step to another worker, that
    worker records it and this late finish changes nothing.
    """
    reports = _score(context.job, context.outputs)
    totals = _attempt_totals(context.provider_attempts)
    with transaction.atomic():
        job = lifecycle.lock_job(context.job.pk, client=context.job.client)
        # Every change of a step run's status or attempt is made under its job's lock, so
        # what is read after the lock is what the finish may act on.
        run = StepRun.objects.get(pk=step_run_id)
        if run.status != StepStatus.RUNNING or run.attempt != attempt:
            return False
        run.status = (
            StepStatus.CANCELLED if job.status == Status.CANCELLED else StepStatus.SUCCEEDED
        )
        run.finished_at = timezone.now()
        run.duration_ms = int(elapsed * 1000)
        run.lease_expires_at = None
        run.note = context.note or run.note
        run.error = ""
        run.input_snapshot = context.input_snapshot
        run.prompts = context.prompts
        run.provider = totals["provider"] or run.provider
        _add_usage(run, context, totals)
        run.save()
        created = _write_outputs(job, run, context.outputs, reports, replace=attempt > 1)
        if totals["calls"]:
            job.cost_usd += totals["cost"]
            job.tokens_total += totals["tokens_in"] + totals["tokens_out"]
            job.save(update_fields=["cost_usd", "tokens_total"])
        if created:
            _record_generated(job, run, created)
        if job.status == Status.PROCESSING:
            _advance(
                job, {r.step: r for r in StepRun.objects.filter(job=job, revision=job.revision)}
            )
    return True


def _add_usage(run: StepRun, context: StepContext, totals: dict[str, Any]) -> None:
    """Add this attempt's provider calls, tokens and cost to the step run's totals."""
    run.provider_attempts = run.provider_attempts + context.provider_attempts
    run.calls += totals["calls"]
    run.tokens_in += totals["tokens_in"]
    run.tokens_out += totals["tokens_out"]
    run.cost_usd += totals["cost"]


def _write_outputs(
    job: ProductionJob,
    run: StepRun,
    specs: list[OutputSpec],
    reports: dict[int, Any],
    *,
    replace: bool,
) -> list[Output]:
    # Idempotent: a step that runs again (a later attempt) replaces its own rows for this
    # revision. A first attempt has nothing to replace: outputs are only written on success.
    if replace:
        Output.objects.filter(job=job, step=run.step, revision=job.revision).delete()
    rows = []
    for index, spec in enumerate(specs):
        report = reports.get(index)
        rows.append(
            Output(
                job=job,
                step=run.step,
                revision=job.revision,
                item=spec.item,
                key=spec.key,
                kind=spec.kind,
                title=spec.title[:200],
                text=spec.text,
                file=spec.file_name or "",
                mime_type=spec.guessed_mime() if spec.content is not None else "",
                metadata=spec.metadata,
                size_bytes=spec.size,
                checksum=spec.checksum,
                safety_score=report.score if report else None,
                safety_band=report.band if report else "",
                safety_flags=[f.as_dict() for f in report.flags] if report else [],
                truth_verified=report.verified if report else False,
            )
        )
    return Output.objects.bulk_create(rows)


def _record_generated(job: ProductionJob, run: StepRun, outputs: list[Output]) -> None:
    """The seed's integration points: content_generated and visual_created events."""
    visual = [o for o in outputs if o.kind in ("image", "video")]
    textual = [o for o in outputs if o not in visual]
    for action, group in (("content_generated", textual), ("visual_created", visual)):
        if group:
            lifecycle.record_event(
                job,
                action,
                actor_label=WORKER,
                payload={
                    "step": run.step,
                    "outputs": [{"key": o.key, "kind": o.kind} for o in group],
                },
            )


def _attempt_totals(attempts: list[dict[str, Any]]) -> dict[str, Any]:
    last_ok = next((a for a in reversed(attempts) if a.get("outcome") == "ok"), None)
    return {
        "provider": (last_ok or {}).get("provider", ""),
        "calls": sum(1 for a in attempts if a.get("outcome") != "circuit_open"),
        "tokens_in": sum(int(a.get("tokens_in") or 0) for a in attempts),
        "tokens_out": sum(int(a.get("tokens_out") or 0) for a in attempts),
        "cost": sum((Decimal(str(a.get("cost_usd") or 0)) for a in attempts), Decimal("0")),
    }


def _fail(
    step_run_id: int, attempt: int, context: StepContext, exc: Exception, elapsed: float
) -> None:
    """Record a failed attempt: retry with backoff, or fail the job after the last attempt.

    A StepFailure is not retried: it fails the step at once with its message for the person.
    """
    final = isinstance(exc, StepFailure)
    message = exc.message if isinstance(exc, StepFailure) else f"{type(exc).__name__}: {exc}"
    with transaction.atomic():
        job = lifecycle.lock_job(context.job.pk, client=context.job.client)
        run = StepRun.objects.get(pk=step_run_id)
        if run.status != StepStatus.RUNNING or run.attempt != attempt:
            return
        _add_usage(run, context, _attempt_totals(context.provider_attempts))
        run.duration_ms = int(elapsed * 1000)
        run.error = message
        run.lease_expires_at = None
        run.input_snapshot = context.input_snapshot
        run.prompts = context.prompts
        if job.status != Status.PROCESSING:
            run.status = StepStatus.CANCELLED
            run.save()
            return
        if attempt < settings.STEP_MAX_ATTEMPTS and not final:
            delays = settings.STEP_RETRY_DELAYS
            delay = delays[min(attempt - 1, len(delays) - 1)]
            run.status = StepStatus.QUEUED
            run.attempt = attempt + 1
            run.rq_job_id = new_rq_job_id()
            run.save()
            lifecycle.record_event(
                job,
                "step_retry",
                actor_label=WORKER,
                note=f"{context.step.label} failed (attempt {attempt}); retrying in {delay}s: {message}",
                payload={"step": run.step, "attempt": attempt, "error": message},
            )
            enqueue_step_on_commit(
                step_run_id=run.pk,
                attempt=run.attempt,
                rq_job_id=run.rq_job_id,
                priority=job.priority,
                delay_seconds=delay,
            )
            return
        run.status = StepStatus.FAILED
        run.finished_at = timezone.now()
        run.save()
        job.error = f"{context.step.label}: {message}"
        lifecycle.transition(
            job,
            Status.FAILED,
            actor_label=WORKER,
            locked=True,
            note=(
                f"{context.step.label} failed: {message}"
                if final
                else f"{context.step.label} failed after {attempt} attempts: {message}"
            ),
            payload={"step": run.step, "error": message, "trace": traceback.format_exc()[-2000:]},
            save_fields=["error"],
        )


class _LeaseRenewer:
    """Keeps running steps' leases fresh so the reconciler knows their worker is alive.

    One daemon thread per process serves every step it runs, so a short step costs a set
    insertion, not a thread start.
    """

    _lock = threading.Lock()
    _active: set[int] = set()
    _thread: threading.Thread | None = None

    def __init__(self, step_run_id: int) -> None:
        self.step_run_id = step_run_id

    def __enter__(self) -> _LeaseRenewer:
        cls = type(self)
        with cls._lock:
            cls._active.add(self.step_run_id)
            if cls._thread is None or not cls._thread.is_alive():
                cls._thread = threading.Thread(target=cls._renew_forever, daemon=True)
                cls._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        with type(self)._lock:
            type(self)._active.discard(self.step_run_id)

    @classmethod
    def _renew_forever(cls) -> None:
        from django.db import connection as thread_connection

        interval = max(settings.STEP_LEASE_SECONDS / 3, 0.2)
        while True:
            time.sleep(interval)
            with cls._lock:
                active = list(cls._active)
            if not active:
                continue
            try:
                StepRun.objects.filter(pk__in=active, status=StepStatus.RUNNING).update(
                    lease_expires_at=timezone.now() + timedelta(seconds=settings.STEP_LEASE_SECONDS)
                )
            except Exception:  # noqa: BLE001 - a missed renewal is retried next interval
                log.exception("could not renew step leases")
            finally:
                # Renewals are rare (every lease/3 seconds): holding no connection between
                # them keeps the thread from pinning the database (or a test database).
                thread_connection.close()
