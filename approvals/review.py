"""Review policy: what happens after generation, when owners must sign off, gates and feedback."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from approvals import deadlines
from approvals.autoapproval import decide_auto_approval
from approvals.models import ApprovalRequest, ApprovalStatus, ApprovalType, OutputDecision
from approvals.scoring import rollup
from jobs import lifecycle
from jobs.job_types.specs import HIGH_IMPACT_TYPES
from jobs.models import Output, ProductionJob, Status
from production.models import Role

REVIEW_DUE = timedelta(hours=24)
SIGNOFF_DUE = timedelta(hours=48)


ROLLUP_FIELDS = ("safety_score", "safety_band", "safety_flags", "truth_verified")


def apply_rollup(
    job: ProductionJob, *, save: bool = True, outputs: list[Output] | None = None
) -> list[int]:
    """Copy the lowest output score, band, flags and truth verdict of this revision to the job.

    Returns the revision's output ids. With save=False the caller saves ROLLUP_FIELDS itself
    (the review path folds them into its status change). `outputs` are the revision's
    outputs when the caller already holds them.
    """
    if outputs is None:
        outputs = list(
            Output.objects.filter(job=job, revision=job.revision).only(
                "id", "key", "title", "safety_score", "safety_flags", "truth_verified"
            )
        )
    summary = rollup(outputs, job.client)
    job.safety_score = summary["score"]
    job.safety_band = summary["band"]
    job.safety_flags = summary["flags"]
    job.truth_verified = summary["verified"]
    if save:
        job.save(update_fields=list(ROLLUP_FIELDS))
    return [o.pk for o in outputs]


def auto_approve_eligible(job: ProductionJob) -> bool:
    return decide_auto_approval(job).allowed


def high_impact_reasons(job: ProductionJob) -> list[str]:
    """Why the job is high-impact: the one definition admin, API and pages all show.

    High-impact work needs an owner's sign-off after approval. Brand and website work, work
    marked so, work scored below the "safe" band and work whose claims are not all verified.
    """
    reasons = []
    if job.job_type in HIGH_IMPACT_TYPES:
        reasons.append(f"{job.get_job_type_display()} work")
    if job.safety_score is not None and job.safety_score < job.client.threshold_safe:
        reasons.append(f"safety score {job.safety_score} is below {job.client.threshold_safe}")
    if not job.truth_verified:
        reasons.append("a claim or testimonial is not verified")
    if job.high_impact and not reasons:
        reasons.append("marked high impact")
    return reasons


def needs_owner_signoff(job: ProductionJob) -> bool:
    return bool(job.high_impact or high_impact_reasons(job))


def mark_high_impact(job: ProductionJob) -> None:
    """Record on the job (unsaved) that it is high-impact, so every view reads the same flag."""
    job.high_impact = needs_owner_signoff(job)


def submit_for_review(job: ProductionJob, outputs: list[Output] | None = None) -> None:
    """The job is a draft (row locked): auto-approve it, or ask the client's reviewers.

    `outputs` are the revision's outputs when the caller already holds them.
    """
    output_ids = apply_rollup(job, save=False, outputs=outputs)
    mark_high_impact(job)
    approved_with = _approved_with_changes(job)
    if approved_with is not None:
        lifecycle.transition(
            job,
            Status.APPROVED,
            actor_label="system",
            action="decision.changes_applied",
            note=f"The changes {approved_with.decided_by_label or 'the reviewer'} listed were "
            "made; approved without another full review.",
            payload={"revision": job.revision, "request_id": approved_with.pk},
            locked=True,
            save_fields=(*ROLLUP_FIELDS, "high_impact"),
        )
        complete_or_request_signoff(job)
        return
    if auto_approve_eligible(job):
        lifecycle.transition(
            job,
            Status.APPROVED,
            actor_label="system",
            action="decision.auto_approved",
            note=f"Auto-approved: score {job.safety_score}, truth verified.",
            payload={"decision": "approve", "revision": job.revision, "auto": True},
            locked=True,
            save_fields=(*ROLLUP_FIELDS, "high_impact"),
        )
        complete_or_request_signoff(job)
        return
    # The client's review stages, if any, decide who reviews first (local import: stages
    # opens its requests through this module).
    from approvals.stages import open_final_review

    open_final_review(job, output_ids)
    lifecycle.transition(
        job,
        Status.REVIEW,
        actor_label="worker",
        locked=True,
        save_fields=(*ROLLUP_FIELDS, "high_impact"),
    )


def _approved_with_changes(job: ProductionJob) -> ApprovalRequest | None:
    """The previous revision's final review, when it approved this one's changes in advance."""
    if job.revision == 1:
        return None  # a first revision has no earlier review
    return ApprovalRequest.objects.filter(
        job=job,
        gate="final",
        revision=job.revision - 1,
        status=ApprovalStatus.APPROVED_WITH_CHANGES,
    ).first()


def complete_or_request_signoff(job: ProductionJob) -> None:
    """After approval: complete, unless an owner must sign this revision off first.

    High-impact work always needs it; a client's sign-off stage may ask it of all work, and
    says who signs, by which rule and how soon (else any one owner within 48 hours).
    """
    from approvals.models import StageKind
    from approvals.stages import open_signoff_stage, signoff_stage_for

    stage = signoff_stage_for(job)
    high_impact = high_impact_reasons(job)
    reasons = list(high_impact)
    if not reasons and stage is not None and stage.kind == StageKind.SIGNOFF_ALL:
        reasons = [f"{job.client.name} signs off all work"]
    signed = ApprovalRequest.objects.filter(
        job=job, gate="owner_signoff", revision=job.revision, status=ApprovalStatus.APPROVED
    ).exists()
    if not reasons or signed:
        lifecycle.transition(job, Status.COMPLETED, actor_label="system", locked=True)
        return
    if stage is not None:
        open_signoff_stage(job, stage)
    else:
        open_request(
            job, gate="owner_signoff", approval_type=ApprovalType.OWNER_SIGNOFF, role=Role.OWNER
        )
    if high_impact and not job.high_impact:
        job.high_impact = True
        job.save(update_fields=["high_impact"])
    lifecycle.record_event(
        job,
        "signoff_requested",
        note=f"{'High-impact content' if high_impact else 'Sign-off'} ("
        + "; ".join(reasons)
        + "): an owner must sign off before it completes.",
        payload={"revision": job.revision, "reasons": reasons},
    )


def open_request(
    job: ProductionJob,
    *,
    gate: str,
    approval_type: str,
    role: str,
    output_ids: list[int] | None = None,
    due: timedelta | None = None,
    **stage: object,
) -> ApprovalRequest:
    """Open a request; `stage` carries a review stage's fields (see approvals.stages)."""
    if output_ids is None:
        output_ids = list(
            Output.objects.filter(job=job, revision=job.revision).values_list("id", flat=True)
        )
    if due is None:
        due = SIGNOFF_DUE if role == Role.OWNER else REVIEW_DUE
    request = ApprovalRequest.objects.create(
        job=job,
        gate=gate,
        approval_type=approval_type,
        approver_role=role,
        revision=job.revision,
        output_ids=output_ids,
        due_at=timezone.now() + due,
        **stage,
    )
    deadlines.schedule_on_commit(request)
    return request


def open_gate(job: ProductionJob, step) -> ApprovalRequest:  # noqa: ANN001 - a workflow Step
    return open_request(
        job, gate=step.name, approval_type=step.approval_type, role=step.approver_role
    )


def cancel_open_requests(job: ProductionJob) -> None:
    ApprovalRequest.objects.filter(job=job, status=ApprovalStatus.PENDING).update(
        status=ApprovalStatus.CANCELLED, decided_at=timezone.now(), decided_by_label="system"
    )


def kept_outputs(job: ProductionJob) -> dict[tuple[str, str], Output]:
    """The previous revision's outputs a reviewer approved one by one when sending the rest
    back, by (step, key): the new revision keeps them as they were and rewrites only the others.

    Only a review decided output by output counts (every output has its decision): changes
    asked of the whole job may concern every output.
    """
    if job.revision <= 1:
        return {}
    sent_back = (
        ApprovalRequest.objects.filter(
            job=job,
            gate="final",
            revision=job.revision - 1,
            status=ApprovalStatus.CHANGES_REQUESTED,
        )
        .order_by("-decided_at", "-id")
        .first()
    )
    if sent_back is None:
        return {}
    decisions = dict(
        OutputDecision.objects.filter(request=sent_back).values_list("output_id", "decision")
    )
    if not decisions or set(sent_back.output_ids) - set(decisions):
        return {}
    approved = [pk for pk, decision in decisions.items() if decision == "approve"]
    return {
        (o.step, o.key): o
        for o in Output.objects.filter(job=job, revision=job.revision - 1, pk__in=approved)
    }


def feedback_for(job: ProductionJob) -> list[str]:
    """Feedback the next revision must take into account, oldest first."""
    return [
        text
        for text in ApprovalRequest.objects.filter(
            job=job,
            status__in=(
                ApprovalStatus.CHANGES_REQUESTED,
                ApprovalStatus.REJECTED,
                ApprovalStatus.APPROVED_WITH_CHANGES,
            ),
        )
        .order_by("decided_at", "id")
        .values_list("feedback", flat=True)
        if text
    ]
