"""What in the rest of the system causes a notification: approval requests and job history.

The history row of a job (`JobEvent`) drives notices, as it drives the timeline; receivers
only look at the saved row and do nothing for the many rows that concern no one.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.urls import reverse

from approvals.models import ApprovalRequest, ApprovalStatus, Comment
from jobs.models import JobEvent, ProductionJob, Status
from notifications.models import Event
from notifications.services import members_with_role, mentioned_users, notify
from production.models import Role

DECISION_WORDS = {
    "decision.approved": "approved",
    "decision.stage_approved": "approved a review stage of",
    "decision.changes_requested": "asked for changes on",
    "decision.rejected": "rejected",
    "decision.sent_back": "sent back",
    "decision.signed_off": "signed off",
    "decision.cancelled": "cancelled",
}


@receiver(post_save, sender=ApprovalRequest, dispatch_uid="notify_approval_request")
def approval_opened(sender: Any, instance: ApprovalRequest, created: bool, **kwargs: Any) -> None:
    if not created or instance.status != ApprovalStatus.PENDING:
        return
    job = instance.job
    url = reverse("reviews:review", args=[instance.pk])
    if instance.approver_role == Role.OWNER:
        notify(
            users=members_with_role(job.client_id, Role.OWNER),
            event=Event.SIGNOFF_NEEDED,
            title=f"Sign-off needed: “{job.title}” (revision {instance.revision})",
            body="Approved high-impact work waits for an owner's sign-off before it completes.",
            url=url,
            key=f"signoff_needed:{instance.pk}",
            job=job,
        )
        return
    if instance.named_only:
        # A stage that names its decision makers: they are set just after the row is saved.
        transaction.on_commit(lambda: _review_requested(instance, list(instance.deciders.all())))
        return
    _review_requested(instance, members_with_role(job.client_id, instance.approver_role))


def _review_requested(request: ApprovalRequest, users: list[Any]) -> None:
    job = request.job
    stage = f" · {request.stage_label}" if request.stage_count else ""
    notify(
        users=users,
        event=Event.REVIEW_REQUESTED,
        title=f"Review requested: “{job.title}” (revision {request.revision}){stage}",
        body=f"{request.get_approval_type_display()} of {job.client.name}'s work.",
        url=reverse("reviews:review", args=[request.pk]),
        key=f"review_requested:{request.pk}",
        job=job,
    )


@receiver(post_save, sender=JobEvent, dispatch_uid="notify_job_event")
def job_event_written(sender: Any, instance: JobEvent, created: bool, **kwargs: Any) -> None:
    if not created:
        return
    if instance.action in DECISION_WORDS and instance.actor_id is not None:
        _decision_made(instance)
    elif instance.action in ("review.due_soon", "review.overdue"):
        _deadline(instance)
    elif instance.to_status == Status.FAILED and instance.from_status != Status.FAILED:
        _job_failed(instance)


def _interested(job: ProductionJob) -> list[Any]:
    """Who hears about a job's outcome: whoever created it, else the client's members."""
    if job.created_by_id is not None:
        return [job.created_by]
    return members_with_role(job.client_id, Role.MEMBER)


def _decision_made(event: JobEvent) -> None:
    job = ProductionJob.objects.select_related("client", "created_by").get(pk=event.job_id)
    who = event.actor.get_full_name() or event.actor.get_username()
    verb = DECISION_WORDS[event.action]
    url = reverse("job_detail", args=[job.pk])
    if event.action == "decision.rejected":
        url = reverse("reviews:revise_brief", args=[job.pk])
    body = f"“{event.note}”" if event.note else ""
    notify(
        users=_interested(job),
        event=Event.DECISION_MADE,
        title=f"{who} {verb} “{job.title}” (revision {event.revision})",
        body=body,
        url=url,
        key=f"decision_made:{event.pk}",
        job=job,
        exclude=event.actor,
    )
    mentioned = mentioned_users(event.note, job.client_id)
    if mentioned:
        notify(
            users=mentioned,
            event=Event.MENTION,
            title=f"{who} mentioned you on “{job.title}”",
            body=f"“{event.note}”",
            url=url,
            key=f"mention:event:{event.pk}",
            job=job,
            exclude=event.actor,
        )


def _job_failed(event: JobEvent) -> None:
    job = ProductionJob.objects.select_related("client", "created_by").get(pk=event.job_id)
    notify(
        users=[*_interested(job), *members_with_role(job.client_id, Role.OWNER)],
        event=Event.JOB_FAILED,
        title=f"“{job.title}” failed",
        body=event.note or "A step failed after its retries.",
        url=reverse("job_detail", args=[job.pk]),
        key=f"job_failed:{event.pk}",
        job=job,
    )


def _deadline(event: JobEvent) -> None:
    """Due soon: whoever reviews it. Overdue: them and the client's owners (the escalation)."""
    request = (
        ApprovalRequest.objects.select_related("job__client", "assignee")
        .filter(pk=event.payload.get("request_id"))
        .first()
    )
    if request is None:
        return
    job = request.job
    reviewers = (
        [request.assignee]
        if request.assignee is not None
        else members_with_role(job.client_id, request.approver_role)
    )
    url = reverse("reviews:review", args=[request.pk])
    due = event.payload.get("due_at", "")
    if event.action == "review.due_soon":
        notify(
            users=reviewers,
            event=Event.DUE_SOON,
            title=f"Due soon: “{job.title}” (revision {request.revision})",
            body=event.note,
            url=url,
            key=f"due_soon:{request.pk}:{due}",
            job=job,
        )
        return
    notify(
        users=[*reviewers, *members_with_role(job.client_id, Role.OWNER)],
        event=Event.OVERDUE,
        title=f"Overdue: “{job.title}” (revision {request.revision})",
        body=event.note,
        url=url,
        key=f"overdue:{request.pk}:{due}",
        job=job,
    )


@receiver(post_save, sender=Comment, dispatch_uid="notify_comment_mentions")
def comment_written(sender: Any, instance: Comment, created: bool, **kwargs: Any) -> None:
    """@name in a comment tells that person of the client (never anyone of another client)."""
    if not created:
        return
    mentioned = mentioned_users(instance.body, instance.job.client_id)
    if not mentioned:
        return
    job = instance.job
    request = (
        ApprovalRequest.objects.filter(job=job, revision__gte=instance.revision)
        .order_by("-created_at", "-id")
        .first()
    )
    url = (
        reverse("reviews:review", args=[request.pk])
        if request
        else reverse("job_detail", args=[job.pk])
    )
    root = instance.parent_id or instance.pk
    notify(
        users=mentioned,
        event=Event.MENTION,
        title=f"{instance.author_label} mentioned you on “{job.title}”",
        body=f"“{instance.body}”",
        url=f"{url}#thread-{root}",
        key=f"mention:comment:{instance.pk}",
        job=job,
        exclude=instance.author,
    )
