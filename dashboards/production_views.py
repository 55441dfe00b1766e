"""Production pages: the workflow selector, a step run's record, and the per-step metrics panel."""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from approvals import services as decisions
from dashboards.production_metrics import step_metrics
from jobs.models import JobType, Output, ProductionWorkflow, StepRun
from jobs.selectors import jobs_for
from jobs.services import can_create_jobs
from jobs.workflows.production.estimates import estimate_for
from jobs.workflows.production.services import ProductionError, decide_gate, start_production
from jobs.workflows.production.signoff import signoff_state
from production.tenancy import clients_for


def _workflow_cards() -> list[dict[str, Any]]:
    cards = []
    for workflow in ProductionWorkflow.objects.filter(is_active=True).order_by("name"):
        steps = workflow.definition.get("steps", [])
        cards.append(
            {
                "workflow": workflow,
                "estimate": estimate_for(workflow),
                "roles": [s.get("role") or s["label"] for s in steps if s["kind"] != "gate"],
                "gates": [f"{s['approver']} ({s['label']})" for s in steps if s["kind"] == "gate"],
                "fanouts": [s for s in steps if s["kind"] == "fanout"],
                "branches": [s["label"] for s in steps if s["kind"] == "branch"],
            }
        )
    return cards


@login_required
@require_http_methods(["GET", "POST"])
def workflow_selector(request: HttpRequest) -> HttpResponse:
    """Pick a workflow (description, estimated duration and cost) and start it with a brief."""
    clients = [
        c for c in clients_for(request.user).order_by("name") if can_create_jobs(request.user, c)
    ]
    errors: dict[str, str] = {}
    values = {
        k: request.POST.get(k, "") for k in ("workflow", "brief", "budget", "client", "title")
    }
    if request.method == "POST":
        client = next((c for c in clients if str(c.pk) == values["client"]), None)
        if client is None and len(clients) == 1 and not values["client"]:
            client = clients[0]
        if client is None:
            errors["client"] = "Choose the client this production is for."
        brief: dict[str, Any] = {"brief": values["brief"].strip()}
        if values["budget"].strip():
            try:
                brief["budget_usd"] = float(Decimal(values["budget"].replace(",", "").strip()))
            except (InvalidOperation, ValueError):
                errors["budget"] = "Enter the budget as a number of dollars, e.g. 25000."
        if not errors:
            try:
                job = start_production(
                    client=client,  # type: ignore[arg-type]
                    user=request.user,
                    workflow=values["workflow"],
                    brief=brief,
                    title=values["title"],
                )
                return redirect("job_detail", job_id=job.pk)
            except ProductionError as exc:
                field = {"brief.brief": "brief", "brief.budget_usd": "budget"}.get(
                    exc.field, exc.field
                )
                errors[field if field in values else "brief"] = exc.message.split(": ", 1)[-1]
    context = {"cards": _workflow_cards(), "clients": clients, "errors": errors, "values": values}
    return render(
        request, "dashboards/productions/selector.html", context, status=400 if errors else 200
    )


def _visible_run(request: HttpRequest, run_id: int) -> StepRun:
    run = (
        StepRun.objects.select_related("job")
        .filter(pk=run_id, job__in=jobs_for(request.user))
        .first()
    )
    if run is None:
        raise Http404("Step run not found.")
    return run


@login_required
@require_GET
def step_run(request: HttpRequest, run_id: int) -> HttpResponse:
    """Everything one step run recorded: inputs, prompts, outputs, calls, tokens, cost, error."""
    run = _visible_run(request, run_id)
    source = run.reused_from or run.revision
    outputs = Output.objects.filter(job=run.job, revision=source, step=run.step).order_by("item")
    context = {
        "run": run,
        "job": run.job,
        "outputs": outputs,
        "snapshot": json.dumps(run.input_snapshot, indent=2, ensure_ascii=False),
        "prompts": run.prompts[:20],
        "more_prompts": max(0, len(run.prompts) - 20),
        "attempts": run.provider_attempts[-20:],
    }
    return render(request, "dashboards/productions/run.html", context)


@login_required
@require_POST
def budget_signoff(request: HttpRequest, job_id: str) -> HttpResponse:
    """An owner signs off a production's estimated cost (it starts) or declines (cancelled)."""
    job = jobs_for(request.user).filter(pk=job_id, job_type=JobType.PRODUCTION).first()
    state = signoff_state(job) if job is not None else None
    if state is None:
        raise Http404("No budget sign-off for this production.")
    decision = request.POST.get("decision", "")
    if decision not in ("approve", "decline"):
        messages.error(request, "Choose to sign off or to decline.")
        return redirect("job_detail", job_id=job.pk)  # type: ignore[union-attr]
    try:
        decide_gate(
            request_id=state.request.pk,
            user=request.user,
            approve=decision == "approve",
            feedback=request.POST.get("note", "")[:2000],
        )
    except (decisions.NotAllowed, decisions.DecisionError, ProductionError) as exc:
        messages.error(request, getattr(exc, "message", None) or str(exc))
    else:
        messages.success(
            request,
            "Signed off: the production starts now."
            if decision == "approve"
            else "Declined: the production was cancelled before it started; nothing was charged.",
        )
    return redirect("job_detail", job_id=job.pk)  # type: ignore[union-attr]


@login_required
@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    """Seed 003's agent panel: per workflow and step, duration, success rate, cost and runs."""
    rows = step_metrics(jobs_for(request.user))
    return render(request, "dashboards/productions/metrics.html", {"rows": rows})


@login_required
@require_GET
def step_runs(request: HttpRequest, workflow: str, step: str) -> HttpResponse:
    """The runs behind one row of the metrics panel, newest first."""
    runs = (
        StepRun.objects.filter(job__in=jobs_for(request.user), job__workflow__slug=workflow)
        .filter(step__regex=rf"^{step}(\.[0-9]+)?$")
        .filter(reused_from__isnull=True)
        .select_related("job")
        .order_by("-created_at")[:100]
    )
    return render(
        request,
        "dashboards/productions/runs.html",
        {"runs": runs, "workflow": workflow, "step": step},
    )
