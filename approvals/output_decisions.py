"""Decisions per output: a reviewer approves some outputs of a request and asks changes on
others; the request is decided when every output it covers has a decision.

All approved: the request is approved (and moves on as any approval: next stage, sign-off or
completion). Any sent back: the request asks for changes with one line of feedback per output
sent back, naming the outputs kept, so the next revision knows what to rewrite and what to
leave. Until the last output is decided a reviewer may change any of their output decisions.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from approvals import services
from approvals.models import ApprovalRequest, ApprovalStatus, OutputDecision
from jobs import lifecycle
from jobs.models import Output

APPROVE, REQUEST_CHANGES = services.APPROVE, services.REQUEST_CHANGES
OUTPUT_DECISIONS = (APPROVE, REQUEST_CHANGES)


@dataclass
class Progress:
    """Where the request stands after an output decision."""

    decided: int
    total: int
    request: ApprovalRequest
    # The request's own decision once every output had one, else "".
    settled: str = ""


def _name(output: Output) -> str:
    return output.title or output.key or f"Output {output.pk}"


def decide_output(
    *,
    request_id: int,
    output_id: int,
    user: services.User,
    decision: str,
    feedback: str = "",
    expected_revision: int | None = None,
) -> Progress:
    """Record `decision` on one output of an open request; settle the request when complete."""
    if decision not in OUTPUT_DECISIONS:
        raise services.DecisionError("Choose approve or request changes.", "decision")
    feedback = (feedback or "").strip()
    if decision == REQUEST_CHANGES and not feedback:
        raise services.DecisionError("Say what should change in this output.", "feedback")
    if len(feedback) > services.MAX_FEEDBACK:
        raise services.DecisionError(
            f"Feedback is limited to {services.MAX_FEEDBACK} characters.", "feedback"
        )
    found = ApprovalRequest.objects.select_related("job__client").filter(pk=request_id).first()
    if found is None:
        raise services.NotFound(f"Approval request {request_id} not found.")
    services.check_visible(user, found.job.client_id, f"Approval request {request_id}")
    if not services.can_decide(user, found):
        raise services.NotAllowed(services.role_message(found, found.job.client.name))
    label = services.display_name(user)[:80]
    with transaction.atomic():
        job = lifecycle.lock_job(found.job_id)
        request = ApprovalRequest.objects.select_for_update().get(pk=request_id)
        if request.status != ApprovalStatus.PENDING:
            raise services.AlreadyDecided(request)
        if expected_revision is not None and int(expected_revision) != request.revision:
            raise services.DecisionError(
                f"The content changed since you opened it: you reviewed revision "
                f"{expected_revision}, this request is for revision {request.revision}. "
                "Reload the page and review it again.",
                "expected_revision",
                code="stale_revision",
                current_revision=request.revision,
            )
        covered = list(request.output_ids)
        if output_id not in covered:
            raise services.DecisionError(
                f"Output {output_id} is not part of this review (revision {request.revision}).",
                "output",
            )
        OutputDecision.objects.update_or_create(
            request=request,
            output_id=output_id,
            defaults={
                "decision": decision,
                "feedback": feedback,
                "decided_by": user if user.is_authenticated else None,
                "decided_by_label": label,
            },
        )
        decisions = {d.output_id: d for d in request.output_decisions.all()}
        output = Output.objects.get(pk=output_id)
        lifecycle.record_event(
            job,
            "review.output_decided",
            actor=user if user.is_authenticated else None,  # type: ignore[arg-type]
            note=f"{_name(output)}: "
            + ("approved" if decision == APPROVE else f"changes asked: {feedback}"),
            payload={
                "request_id": request.pk,
                "output_id": output_id,
                "decision": decision,
                "revision": request.revision,
            },
        )
        progress = Progress(decided=len(decisions), total=len(covered), request=request)
        if set(covered) - set(decisions):
            return progress
        outputs = {o.pk: o for o in Output.objects.filter(pk__in=covered)}
        sent_back = [decisions[pk] for pk in covered if decisions[pk].decision == REQUEST_CHANGES]
        settled = REQUEST_CHANGES if sent_back else APPROVE
        if sent_back:
            lines = [f"{_name(outputs[d.output_id])}: {d.feedback}" for d in sent_back]
            kept = [_name(outputs[pk]) for pk in covered if decisions[pk].decision == APPROVE]
            if kept:
                lines.append("Approved as they are, keep unchanged: " + ", ".join(kept) + ".")
            summary = "\n".join(lines)
        else:
            summary = "\n".join(
                f"{_name(outputs[pk])}: {decisions[pk].feedback}"
                for pk in covered
                if decisions[pk].feedback
            )
        progress.request = services.record_decision(
            request_id=request.pk,
            user=user,
            label=label,
            decision=settled,
            feedback=summary[: services.MAX_FEEDBACK],
            expected_revision=request.revision,
        )
        progress.settled = settled
    return progress


def decisions_by_output(request: ApprovalRequest) -> dict[int, OutputDecision]:
    return {d.output_id: d for d in request.output_decisions.all()}
