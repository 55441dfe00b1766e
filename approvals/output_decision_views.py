"""The review page's per-output decision: approve this output, or ask changes to it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from approvals import selectors, services
from approvals.output_decisions import decide_output
from approvals.views import DONE_MESSAGES, _review_context, _status_for
from production.input_safety import positive_int


@login_required
@require_POST
def decide(request: HttpRequest, request_id: int, output_id: int) -> HttpResponse:
    approval = selectors.request_for(request.user, request_id)
    decision = request.POST.get("decision", "")
    feedback = request.POST.get("feedback", "")
    try:
        progress = decide_output(
            request_id=approval.pk,
            output_id=output_id,
            user=request.user,
            decision=decision,
            feedback=feedback,
            expected_revision=positive_int(request.POST.get("expected_revision")),
        )
    except services.DecisionError as error:
        if isinstance(error, services.NotFound):
            raise
        approval.refresh_from_db()
        context = _review_context(request, approval)
        # Shown at the output's own form, with what was typed.
        context["output_error"] = {"output": output_id, "message": error.message}
        context["output_feedback"] = {output_id: feedback}
        return render(request, "approvals/review.html", context, status=_status_for(error))
    job = progress.request.job
    if progress.settled:
        job.refresh_from_db()
        messages.success(
            request, DONE_MESSAGES[progress.settled].format(title=job.title, revision=job.revision)
        )
        return redirect("reviews:queue")
    verb = "Approved" if decision == services.APPROVE else "Changes asked on"
    messages.success(
        request,
        f"{verb} this output; {progress.decided} of {progress.total} outputs decided. The "
        "review is decided when every output is.",
    )
    return redirect(reverse("reviews:review", args=[approval.pk]) + f"#output-{output_id}")
