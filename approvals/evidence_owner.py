"""An owner's word on evidence: confirm it (only then does it back its claim), or retract or
expire it (then it backs nothing, and the work that relied on it goes back to review)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from approvals.evidence import EvidenceError, User, apply_resolutions
from approvals.evidence_recall import RecalledJob, recall_evidence
from approvals.models import ClaimResolution, ResolutionKind
from approvals.safety.flags import quote_excerpt
from jobs import lifecycle
from jobs.models import ProductionJob
from jobs.selectors import visible_to
from production.models import Role
from production.tenancy import has_role

ACTIONS = ("confirm", "retract", "expire")


def _label(user: User) -> str:
    return (user.get_full_name() or user.get_username())[:80]  # type: ignore[union-attr]


def _evidence_for(job: ProductionJob, user: User, resolution_id: Any) -> ClaimResolution:
    if not user.is_authenticated:
        raise EvidenceError("Sign in to act on evidence.", status=403)
    if not visible_to(user, job):
        raise EvidenceError("Job not found.", status=404)
    try:
        pk = int(resolution_id)
    except (TypeError, ValueError):
        raise EvidenceError("Pick the evidence to act on.", "evidence_id") from None
    resolution = ClaimResolution.objects.filter(
        job=job, pk=pk, kind=ResolutionKind.EVIDENCE
    ).first()
    if resolution is None:
        raise EvidenceError("That evidence is not part of this job.", "evidence_id", status=404)
    if not has_role(user, job.client_id, Role.OWNER):
        raise EvidenceError(
            f"Only an owner of {job.client.name} can confirm or retract evidence.", status=403
        )
    return resolution


def confirm_evidence(*, job: ProductionJob, user: User, evidence_id: Any) -> ClaimResolution:
    """An owner confirms evidence a member or reviewer attached: from now on it backs its claim."""
    with transaction.atomic():
        job = lifecycle.lock_job(job.pk)
        resolution = _evidence_for(job, user, evidence_id)
        if job.is_terminal:
            raise EvidenceError(
                f"This job is {job.get_status_display().lower()}; its evidence can no longer "
                "change.",
                status=409,
            )
        if resolution.retracted_at:
            raise EvidenceError("This evidence was retracted; attach it again.", status=409)
        if resolution.expires_at and resolution.expires_at <= timezone.now():
            raise EvidenceError("This evidence has expired; attach fresh evidence.", status=409)
        if resolution.confirmed_at:
            return resolution  # confirming twice changes nothing
        resolution.confirmed_at = timezone.now()
        resolution.confirmed_by = user  # type: ignore[assignment]
        resolution.confirmed_by_label = _label(user)
        resolution.save(update_fields=["confirmed_at", "confirmed_by", "confirmed_by_label"])
        apply_resolutions(job)
        lifecycle.record_event(
            job,
            "claim.evidence_confirmed",
            actor=user,  # type: ignore[arg-type]
            note=(
                f"Evidence for “{quote_excerpt(resolution.excerpt)}” confirmed by an owner "
                f"(attached by {resolution.created_by_label or 'someone'}): {resolution.text}"
            ),
            payload={"resolution_id": resolution.pk, "claim": resolution.excerpt},
        )
    return resolution


def withdraw_evidence(
    *, job: ProductionJob, user: User, evidence_id: Any, action: str, reason: str = ""
) -> tuple[ClaimResolution, RecalledJob | None]:
    """An owner retracts evidence or expires it now; the work that relied on it is recalled."""
    if action not in ("retract", "expire"):
        raise EvidenceError("Choose retract or expire.", "action")
    reason = (reason or "").strip()[:500]
    with transaction.atomic():
        job = lifecycle.lock_job(job.pk)
        resolution = _evidence_for(job, user, evidence_id)
        now = timezone.now()
        if action == "retract":
            if resolution.retracted_at:
                return resolution, None
            resolution.retracted_at, resolution.retracted_by_label = now, _label(user)
            fields = ["retracted_at", "retracted_by_label"]
        else:
            if resolution.expires_at and resolution.expires_at <= now:
                return resolution, None
            resolution.expires_at = now
            fields = ["expires_at"]
        resolution.save(update_fields=fields)
        done = "retracted" if action == "retract" else "expired"
        lifecycle.record_event(
            job,
            f"claim.evidence_{done}",
            actor=user,  # type: ignore[arg-type]
            note=f"Evidence for “{quote_excerpt(resolution.excerpt)}” {done} by an owner"
            + (f": {reason}" if reason else "."),
            payload={"resolution_id": resolution.pk, "claim": resolution.excerpt},
        )
        apply_resolutions(job)
        recalled = recall_evidence(resolution, change=done, actor=user)
    return resolution, recalled
