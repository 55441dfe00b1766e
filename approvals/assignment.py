"""Who reviews a request and by when: claim, assign, release, and the client's due time."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from approvals import deadlines
from approvals.models import ApprovalRequest, ApprovalStatus
from approvals.services import DecisionError, NotAllowed, NotFound, User, can_decide
from jobs import lifecycle
from jobs.selectors import visible_to
from production.models import Role
from production.tenancy import has_role


def _visible(user: User, request_id: int) -> ApprovalRequest:
    found = (
        ApprovalRequest.objects.select_related("job__client", "assignee")
        .filter(pk=request_id)
        .first()
    )
    if found is None or not user.is_authenticated:
        raise NotFound(f"Approval request {request_id} not found.")
    if not visible_to(user, found.job):
        raise NotFound(f"Approval request {request_id} not found.")
    if found.status != ApprovalStatus.PENDING:
        raise DecisionError("This request is already decided.", code="terminal")
    return found


def _name(user: object) -> str:
    return user.get_full_name() or user.get_username()  # type: ignore[attr-defined]


def claim(*, request_id: int, user: User) -> ApprovalRequest:
    """The user takes the request ("I am reviewing this"); someone else's claim is kept."""
    request = _visible(user, request_id)
    if not can_decide(user, request):
        raise NotAllowed("Only someone who can decide on this request can claim it.")
    taken = ApprovalRequest.objects.filter(
        pk=request.pk, status=ApprovalStatus.PENDING, assignee__isnull=True
    ).update(assignee=user)
    request.refresh_from_db()
    if not taken and request.assignee_id != user.pk:
        raise DecisionError(
            f"{_name(request.assignee)} is already reviewing this.", code="already_claimed"
        )
    return request


def assign(*, request_id: int, user: User, assignee_id: int) -> ApprovalRequest:
    """An owner (or a reviewer of the request) gives the request to someone who can decide it."""
    request = _visible(user, request_id)
    if not (can_decide(user, request) or has_role(user, request.job.client_id, Role.OWNER)):
        raise NotAllowed("Only reviewers and owners of this client can assign reviews.")
    assignee = get_user_model().objects.filter(pk=assignee_id, is_active=True).first()
    if assignee is None or not can_decide(assignee, request):
        raise DecisionError("Choose someone who can decide on this request.", "assignee")
    ApprovalRequest.objects.filter(pk=request.pk, status=ApprovalStatus.PENDING).update(
        assignee=assignee
    )
    request.refresh_from_db()
    return request


def release(*, request_id: int, user: User) -> ApprovalRequest:
    """The assignee gives the request back to the queue."""
    request = _visible(user, request_id)
    ApprovalRequest.objects.filter(pk=request.pk, assignee=user).update(assignee=None)
    request.refresh_from_db()
    return request


def set_due(*, request_id: int, user: User, due_at: datetime) -> ApprovalRequest:
    """People at the client set when they need the decision; reminders follow the new time."""
    request = _visible(user, request_id)
    if not has_role(user, request.job.client_id, Role.MEMBER):
        raise NotAllowed(f"Only people at {request.job.client.name} can set the due time.")
    if timezone.is_naive(due_at):
        due_at = timezone.make_aware(due_at)
    if due_at <= timezone.now():
        raise DecisionError("The due time must be in the future.", "due_at")
    with transaction.atomic():
        job = lifecycle.lock_job(request.job_id)
        changed = ApprovalRequest.objects.filter(
            pk=request.pk, status=ApprovalStatus.PENDING
        ).update(due_at=due_at, reminded_at=None, escalated_at=None)
        if not changed:
            raise DecisionError("This request is already decided.", code="terminal")
        request.refresh_from_db()
        lifecycle.record_event(
            job,
            "review.due_set",
            actor=user,  # type: ignore[arg-type]
            payload={"request_id": request.pk, "due_at": due_at.isoformat()},
        )
        deadlines.schedule_on_commit(request)
    return request
