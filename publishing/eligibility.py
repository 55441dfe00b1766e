"""What may be published: approved work of the job's current revision (signed off if high-impact),
and which of its outputs each platform can take."""

from __future__ import annotations

from django.db.models import QuerySet

from approvals.models import ApprovalRequest, ApprovalStatus, ApprovalType
from jobs.models import Output, OutputKind, ProductionJob, Status
from publishing.models import Platform

TEXT_KINDS = (OutputKind.MARKDOWN, OutputKind.HTML, OutputKind.TEXT)
# What each platform publishes as its main deliverable.
MAIN_KINDS: dict[str, tuple[str, ...]] = {
    Platform.WORDPRESS: TEXT_KINDS,
    Platform.YOUTUBE: (OutputKind.VIDEO,),
    Platform.INSTAGRAM: (OutputKind.IMAGE, OutputKind.VIDEO),
}
SIGNED_OFF = (ApprovalStatus.APPROVED, ApprovalStatus.APPROVED_WITH_CHANGES)


def publish_blocker(job: ProductionJob) -> str | None:
    """Why the job cannot be published now, in words for a person; None when it can."""
    if job.status not in (Status.APPROVED, Status.COMPLETED):
        return (
            f"Only approved work can be published; “{job.title}” is "
            f"{job.get_status_display().lower()}."
        )
    if job.high_impact and not (
        job.status == Status.COMPLETED
        and ApprovalRequest.objects.filter(
            job=job,
            revision=job.revision,
            approval_type=ApprovalType.OWNER_SIGNOFF,
            status__in=SIGNED_OFF,
        ).exists()
    ):
        return "This is high-impact work: an owner must sign it off before it is published."
    return None


def current_outputs(job: ProductionJob) -> QuerySet[Output]:
    """Outputs of the revision that was approved; earlier revisions were superseded."""
    return Output.objects.filter(job=job, revision=job.revision).order_by("created_at", "id")


def publishable(job: ProductionJob, platform: str) -> list[Output]:
    """Outputs of the current revision the platform can take as its main deliverable."""
    kinds = MAIN_KINDS[platform]
    outputs = [o for o in current_outputs(job) if o.kind in kinds]
    if platform != Platform.WORDPRESS:
        outputs = [o for o in outputs if o.file]
    return outputs


def featured_images(job: ProductionJob) -> list[Output]:
    return [o for o in current_outputs(job) if o.kind == OutputKind.IMAGE and o.file]
