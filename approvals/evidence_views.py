"""Acting on a flag from the review page: attach evidence or dismiss. Errors come back as the
flag's own fragment (htmx swaps it in place); success reloads the page, whose verdict,
badges and reasons change with it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from approvals.evidence import EvidenceError, resolve_claim
from approvals.evidence_forms import DismissForm, EvidenceForm, auto_id
from approvals.evidence_owner import confirm_evidence, withdraw_evidence
from approvals.models import ResolutionKind
from approvals.templatetags.trust import flag_context
from jobs.models import Output
from jobs.selectors import jobs_for


def _answer(
    request: HttpRequest,
    output: Output,
    index: int,
    *,
    status: int = 200,
    error_message: str = "",
    **forms: EvidenceForm | DismissForm,
) -> HttpResponse:
    output.refresh_from_db()
    flags = output.safety_flags or []
    flag = flags[index] if 0 <= index < len(flags) else {}
    context = flag_context(request, output, flag, index, **forms)
    context["error_message"] = error_message
    return render(request, "approvals/_flag_evidence.html", context, status=status)


def _back(request: HttpRequest, output: Output) -> HttpResponse:
    target = request.POST.get("next") or request.headers.get("referer", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect("job_detail", output.job_id)


def _act(request: HttpRequest, output_id: int, index: int, kind: str) -> HttpResponse:
    output = get_object_or_404(
        Output.objects.select_related("job__client"),
        pk=output_id,
        job__in=jobs_for(request.user),
    )
    form_class = EvidenceForm if kind == ResolutionKind.EVIDENCE else DismissForm
    letter = "e" if kind == ResolutionKind.EVIDENCE else "d"
    form = form_class(request.POST, auto_id=auto_id(output.pk, index, letter))
    form_name = "evidence_form" if kind == ResolutionKind.EVIDENCE else "dismiss_form"
    if not form.is_valid():
        return _answer(request, output, index, status=400, **{form_name: form})
    data = form.cleaned_data
    try:
        resolve_claim(
            job=output.job,
            user=request.user,
            kind=kind,
            output_id=output.pk,
            flag_index=index,
            text=data.get("text") or data.get("reason", ""),
            source=data.get("source", ""),
            expires_at=data.get("expires_at"),
        )
    except EvidenceError as error:
        if error.field in form.fields:
            form.add_error(error.field, error.message)
            return _answer(request, output, index, status=error.status, **{form_name: form})
        return _answer(request, output, index, status=error.status, error_message=error.message)
    if getattr(request, "htmx", False):
        # The job's verdict, badges and reasons change too: the whole page reloads.
        response = _answer(request, output, index)
        response["HX-Refresh"] = "true"
        return response
    done = "Evidence attached." if kind == ResolutionKind.EVIDENCE else "Flag dismissed."
    messages.success(request, done)
    return _back(request, output)


@login_required
@require_POST
def attach_evidence(request: HttpRequest, output_id: int, index: int) -> HttpResponse:
    return _act(request, output_id, index, ResolutionKind.EVIDENCE)


@login_required
@require_POST
def dismiss_flag(request: HttpRequest, output_id: int, index: int) -> HttpResponse:
    return _act(request, output_id, index, ResolutionKind.DISMISSAL)


def _owner_act(request: HttpRequest, output_id: int, evidence_id: int, action: str) -> HttpResponse:
    output = get_object_or_404(
        Output.objects.select_related("job__client"),
        pk=output_id,
        job__in=jobs_for(request.user),
    )
    try:
        index = int(request.POST.get("index", -1))
    except ValueError:
        index = -1
    try:
        if action == "confirm":
            confirm_evidence(job=output.job, user=request.user, evidence_id=evidence_id)
            done = "Evidence confirmed: it now backs the claim."
        else:
            _, recalled = withdraw_evidence(
                job=output.job,
                user=request.user,
                evidence_id=evidence_id,
                action=request.POST.get("action", ""),
                reason=request.POST.get("reason", ""),
            )
            done = "Evidence withdrawn." + (
                " The work that relied on it is back in review." if recalled else ""
            )
    except EvidenceError as error:
        return _answer(request, output, index, status=error.status, error_message=error.message)
    if getattr(request, "htmx", False):
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    messages.success(request, done)
    return _back(request, output)


@login_required
@require_POST
def confirm(request: HttpRequest, output_id: int, evidence_id: int) -> HttpResponse:
    return _owner_act(request, output_id, evidence_id, "confirm")


@login_required
@require_POST
def withdraw(request: HttpRequest, output_id: int, evidence_id: int) -> HttpResponse:
    return _owner_act(request, output_id, evidence_id, "withdraw")
