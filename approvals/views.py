"""Reviewer pages: the queue (with its live rows fragment), the review page and the decision."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.dateparse import parse_datetime
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from approvals import assignment, bulk, selectors, services
from approvals import compare as compare_revisions
from approvals.forms import DecisionForm, ReviseBriefForm
from approvals.models import ApprovalRequest
from approvals.output_decisions import decisions_by_output
from approvals.review import high_impact_reasons
from approvals.safety import BAND_LABELS
from production.models import Client, Role
from production.tenancy import has_role

DONE_MESSAGES = {
    services.APPROVE: "Approved “{title}”.",
    services.APPROVE_WITH_CHANGES: (
        "Approved “{title}” with changes: revision {revision} makes them, without another review."
    ),
    services.REQUEST_CHANGES: "Changes requested on “{title}”; revision {revision} is on its way.",
    services.REJECT: (
        "Rejected “{title}”: it stops here and waits for the client to revise the brief or cancel."
    ),
}


def _status_for(error: services.DecisionError) -> int:
    if isinstance(error, services.NotAllowed):
        return 403
    if isinstance(error, services.AlreadyDecided) or error.code == "stale_revision":
        return 409
    return 400


@login_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    """The queue page; htmx polls the same view for its rows."""
    pending = list(selectors.pending_for_reviewer(request.user))
    for item in pending:
        item.band_label = BAND_LABELS.get(item.job.safety_band, "")  # type: ignore[attr-defined]
    context: dict[str, Any] = {"pending": pending}
    if getattr(request, "htmx", False):
        return render(request, "approvals/_queue_rows.html", context)
    # Owners set up their clients' review stages from here.
    context["owned_clients"] = Client.objects.filter(
        memberships__user_id=request.user.pk, memberships__role=Role.OWNER
    ).order_by("name")
    return render(request, "approvals/queue.html", context)


def _review_context(
    request: HttpRequest,
    approval: ApprovalRequest,
    form: DecisionForm | None = None,
    error_message: str = "",
) -> dict[str, Any]:
    can_decide = approval.is_pending and services.can_decide(request.user, approval)
    if form is None:
        form = DecisionForm(initial={"expected_revision": approval.revision})
    outputs = selectors.reviewed_outputs(approval)
    decided = decisions_by_output(approval)
    for item in outputs:
        item.decision = decided.get(item.output.pk)
    return {
        "approval": approval,
        "job": approval.job,
        "outputs": outputs,
        # Deciding output by output makes sense when there is more than one.
        "per_output": can_decide and len(outputs) > 1,
        "outputs_decided": len(decided),
        "history": selectors.decision_history(approval),
        "band_label": BAND_LABELS.get(approval.job.safety_band, ""),
        "needs_reason": services.needs_approval_reason(approval, approval.job),
        "high_impact_reasons": high_impact_reasons(approval.job),
        "can_decide": can_decide,
        "stopped": services.is_stopped_by_rejection(approval.job),
        "can_set_due": approval.is_pending
        and has_role(request.user, approval.job.client_id, Role.MEMBER),
        "assignable": selectors.possible_assignees(approval) if can_decide else [],
        "form": form,
        "error_message": error_message,
    }


@login_required
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, request_id: int) -> HttpResponse:
    """The review page; its decision form posts back here, so the URL always reloads."""
    approval = selectors.request_for(request.user, request_id)
    if request.method == "POST":
        return _decide(request, approval)
    return render(request, "approvals/review.html", _review_context(request, approval))


@login_required
@require_POST
def decide(request: HttpRequest, request_id: int) -> HttpResponse:
    """The older decision address: same handling as a POST to the review page."""
    approval = selectors.request_for(request.user, request_id)
    return _decide(request, approval)


def _decide(request: HttpRequest, approval: ApprovalRequest) -> HttpResponse:
    form = DecisionForm(request.POST)
    if not form.is_valid():
        context = _review_context(request, approval, form)
        return render(request, "approvals/review.html", context, status=400)
    decision = form.cleaned_data["decision"]
    try:
        decided = services.decide(
            request_id=approval.pk,
            user=request.user,
            decision=decision,
            feedback=form.cleaned_data["feedback"],
            expected_revision=form.cleaned_data["expected_revision"],
        )
    except services.DecisionError as error:
        approval.refresh_from_db()
        if error.field in ("decision", "feedback"):
            form.add_error(error.field, error.message)
            context = _review_context(request, approval, form)
        else:
            # Stale or already decided: show the current state with a fresh form.
            context = _review_context(request, approval, error_message=error.message)
        return render(request, "approvals/review.html", context, status=_status_for(error))
    decided.job.refresh_from_db()
    if decided.is_pending:
        # A stage that needs several approvals: this one is kept, the stage stays open.
        messages.success(
            request,
            f"Your approval of “{decided.job.title}” is recorded: {decided.approval_progress}.",
        )
        return redirect("reviews:queue")
    messages.success(
        request,
        DONE_MESSAGES[decision].format(title=decided.job.title, revision=decided.job.revision),
    )
    return redirect("reviews:queue")


@login_required
@require_http_methods(["GET", "POST"])
def revise_brief(request: HttpRequest, job_id: UUID) -> HttpResponse:
    """Rejected work waits here for the client's revised brief (or a cancel on the job page)."""
    job = selectors.job_for(request.user, job_id)
    rejection = selectors.last_rejection(job)
    stopped = services.is_stopped_by_rejection(job)
    form = ReviseBriefForm(request.POST or None, initial={"description": job.description})
    status = 200
    if request.method == "POST" and stopped:
        if form.is_valid():
            try:
                services.resume_after_rejection(
                    job=job,
                    user=request.user,
                    description=form.cleaned_data["description"],
                    note=form.cleaned_data["note"],
                )
            except services.DecisionError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
                status = _status_for(error)
            else:
                messages.success(request, f"Revised brief saved; “{job.title}” runs again.")
                return redirect("job_detail", job.pk)
        else:
            status = 400
    elif request.method == "POST":
        status = 409
    context = {"job": job, "rejection": rejection, "stopped": stopped, "form": form}
    return render(request, "approvals/revise_brief.html", context, status=status)


# --- who reviews, by when ----------------------------------------------------------------------


def _back(request: HttpRequest, approval_id: int) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("reviews:review", approval_id)


def _assignment_action(
    request: HttpRequest, request_id: int, action: Any, done: str
) -> HttpResponse:
    try:
        action()
    except services.DecisionError as error:
        if isinstance(error, services.NotFound):
            raise
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return _back(request, request_id)


@login_required
@require_POST
def claim(request: HttpRequest, request_id: int) -> HttpResponse:
    return _assignment_action(
        request,
        request_id,
        lambda: assignment.claim(request_id=request_id, user=request.user),
        "You are reviewing this now.",
    )


@login_required
@require_POST
def release(request: HttpRequest, request_id: int) -> HttpResponse:
    return _assignment_action(
        request,
        request_id,
        lambda: assignment.release(request_id=request_id, user=request.user),
        "Given back to the queue.",
    )


@login_required
@require_POST
def assign(request: HttpRequest, request_id: int) -> HttpResponse:
    raw = request.POST.get("assignee", "")
    if not raw.isdigit():
        messages.error(request, "Choose who should review this.")
        return _back(request, request_id)
    return _assignment_action(
        request,
        request_id,
        lambda: assignment.assign(request_id=request_id, user=request.user, assignee_id=int(raw)),
        "Assigned.",
    )


@login_required
@require_POST
def set_due(request: HttpRequest, request_id: int) -> HttpResponse:
    due = parse_datetime(request.POST.get("due_at", "").strip())
    if due is None:
        messages.error(request, "Give the due time as a date and time, e.g. 2026-12-24 17:00.")
        return _back(request, request_id)
    return _assignment_action(
        request,
        request_id,
        lambda: assignment.set_due(request_id=request_id, user=request.user, due_at=due),
        "Due time saved; reminders follow it.",
    )


# --- bulk decisions from the queue ---------------------------------------------------------------


@login_required
@require_POST
def bulk_decide(request: HttpRequest) -> HttpResponse:
    """First post: a confirmation listing what will be decided. Confirmed: decide each."""
    picks = bulk.parse_picks(request.user, request.POST.getlist("pick"))
    decision = request.POST.get("decision", "")
    feedback = request.POST.get("feedback", "").strip()
    errors = []
    if not picks:
        errors.append("Tick at least one request in the queue.")
    if decision not in bulk.BULK_DECISIONS:
        errors.append("Choose approve or request changes.")
    if decision == services.REQUEST_CHANGES and not feedback:
        errors.append("Feedback is required to request changes.")
    if len(feedback) > services.MAX_FEEDBACK:
        errors.append(f"Feedback is limited to {services.MAX_FEEDBACK} characters.")
    context = {"picks": picks, "decision": decision, "feedback": feedback, "errors": errors}
    if errors or request.POST.get("confirm") != "yes":
        context["decision_label"] = dict(bulk_labels()).get(decision, "")
        return render(
            request, "approvals/bulk_confirm.html", context, status=400 if errors else 200
        )
    results = bulk.bulk_decide(user=request.user, picks=picks, decision=decision, feedback=feedback)
    done = [r for r in results if r.ok]
    if done:
        verb = "Approved" if decision == services.APPROVE else "Requested changes on"
        messages.success(request, f"{verb} {len(done)} of {len(results)}.")
    for result in results:
        if not result.ok:
            messages.error(request, f"“{result.request.job.title}”: {result.message}")
    return redirect("reviews:queue")


def bulk_labels() -> list[tuple[str, str]]:
    return [(services.APPROVE, "Approve"), (services.REQUEST_CHANGES, "Request changes")]


# --- comparing revisions ------------------------------------------------------------------------


@login_required
@require_GET
def compare(request: HttpRequest, job_id: UUID) -> HttpResponse:
    """Two revisions side by side; every member of the client may look, not reviewers only."""
    job = selectors.job_for(request.user, job_id)
    revisions = compare_revisions.revisions_of(job)
    if len(revisions) < 2:
        return render(request, "approvals/compare.html", {"job": job, "revisions": revisions})
    after = _revision_param(request, "b", revisions, revisions[-1])
    before = _revision_param(
        request, "a", revisions, revisions[-2] if after == revisions[-1] else revisions[0]
    )
    context = {
        "job": job,
        "revisions": revisions,
        "before": before,
        "after": after,
        "pairs": compare_revisions.pairs(job, before, after),
    }
    return render(request, "approvals/compare.html", context)


def _revision_param(request: HttpRequest, name: str, revisions: list[int], default: int) -> int:
    raw = request.GET.get(name, "")
    return int(raw) if raw.isdigit() and int(raw) in revisions else default
