"""Recording a step's finish or failure: the step, its outputs, the job's fields and statuses,
their history and the next steps (sent on commit), in one transaction.

Both are conditional on the attempt: if the reconciler gave the step to another worker, that
worker records it and this late finish or failure changes nothing.
"""

from __future__ import annotations

import traceback
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from approvals.scoring import score_for_client
from jobs import lifecycle
from jobs.engine import retry, states
from jobs.engine.scheduling import WORKER, advance
from jobs.models import Output, ProductionJob, Status, StepRun, StepStatus
from jobs.queues import enqueue_step_on_commit, new_rq_job_id
from jobs.workflows.base import OutputSpec, StepContext


def finish(step_run_id: int, attempt: int, context: StepContext, elapsed: float) -> bool:
    """Record a step's success, write its outputs and advance the workflow.

    False when the step is no longer this attempt's (nothing is written then).
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
        target = StepStatus.CANCELLED if job.status == Status.CANCELLED else StepStatus.SUCCEEDED
        states.move(run, target, save=False)
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
            advance(
                job, {r.step: r for r in StepRun.objects.filter(job=job, revision=job.revision)}
            )
    return True


def fail(
    step_run_id: int, attempt: int, context: StepContext, exc: Exception, elapsed: float
) -> None:
    """Record a failed attempt: retry after the step policy's delay, or fail the job.

    The step's retry policy (jobs/engine/retry.py) decides; a deterministic error fails the
    step at once. The person reads the policy's message; the exception's type and trace go
    to the history's payload for staff.
    """
    decision = retry.decide(context.step, attempt, exc)
    message = decision.message
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
            states.move(run, StepStatus.CANCELLED, save=False)
            run.save()
            return
        if decision.retry:
            delay = decision.delay
            states.move(
                run, StepStatus.QUEUED, save=False, attempt=attempt + 1, rq_job_id=new_rq_job_id()
            )
            run.save()
            lifecycle.record_event(
                job,
                "step_retry",
                actor_label=WORKER,
                note=f"{context.step.label} failed (attempt {attempt}); retrying in {delay:g}s: {message}",
                payload={
                    "step": run.step,
                    "attempt": attempt,
                    "error": message,
                    "error_type": type(exc).__name__,
                    "delay": delay,
                },
            )
            enqueue_step_on_commit(
                step_run_id=run.pk,
                attempt=run.attempt,
                rq_job_id=run.rq_job_id,
                priority=job.priority,
                delay_seconds=delay,
            )
            return
        states.move(run, StepStatus.FAILED, save=False, finished_at=timezone.now())
        run.save()
        job.error = f"{context.step.label}: {message}"
        lifecycle.transition(
            job,
            Status.FAILED,
            actor_label=WORKER,
            locked=True,
            note=(
                f"{context.step.label} failed: {message}"
                if decision.deterministic
                else f"{context.step.label} failed after {attempt} attempts: {message}"
            ),
            payload={
                "step": run.step,
                "error": message,
                "error_type": type(exc).__name__,
                "attempts": attempt,
                "trace": traceback.format_exc()[-2000:],
            },
            save_fields=["error"],
        )


def _score(job: ProductionJob, specs: list[OutputSpec]) -> dict[int, Any]:
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
