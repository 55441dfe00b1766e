"""What a person may do to a job from the dashboard, and doing it through the services.

The buttons shown and the actions accepted come from the same rules: the transition must be
allowed from the job's status and the person's role in the job's client must permit it.
Roles are duties, not ranks: members and owners order work (start, cancel, retry, delete),
reviewers review, owners also sign off. A reviewer is therefore offered no ordering action
and a posted one is refused with 403.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from approvals.models import ApprovalRequest
from jobs import lifecycle, services
from jobs.models import ProductionJob, Status
from production.input_safety import positive_int
from production.models import Role
from production.tenancy import has_role, role_in

User = AbstractBaseUser | AnonymousUser

START, CANCEL, RETRY, DELETE = "start", "cancel", "retry", "delete"
APPROVE, REQUEST_CHANGES, REJECT = "approve", "request-changes", "reject"
DECISIONS = {APPROVE: "approve", REQUEST_CHANGES: "request_changes", REJECT: "reject"}
ACTIONS = (START, CANCEL, RETRY, DELETE, APPROVE, REQUEST_CHANGES, REJECT)
ORDERING = frozenset((START, CANCEL, RETRY, DELETE))
# The roles that order work; a reviewer outranks a member but orders nothing.
ORDERING_ROLES = frozenset((Role.MEMBER, Role.OWNER))


@dataclass
class Outcome:
    error: str = ""
    field: str = ""
    feedback: str = ""
    changed: bool = False
    deleted: bool = False
    forbidden: bool = False


def orders_work(user: User, client_id: Any) -> bool:
    """Whether this person may start, cancel, retry or delete the client's jobs."""
    if user.is_authenticated and user.is_staff:
        return True
    return role_in(user, client_id) in ORDERING_ROLES


def allowed_actions(
    user: User, job: ProductionJob, open_request: ApprovalRequest | None
) -> frozenset[str]:
    """The actions to offer on this job to this person right now."""
    allowed: set[str] = set()
    if orders_work(user, job.client_id):
        if job.status == Status.PENDING:
            allowed.add(START)
        if lifecycle.allowed(job.status, Status.CANCELLED):
            allowed.add(CANCEL)
        if job.status == Status.FAILED:
            allowed.add(RETRY)
        if job.status in services.DELETABLE:
            allowed.add(DELETE)
    if open_request is not None:
        from approvals.services import can_decide

        # The request's own rule: its role, or the people a review stage names.
        if can_decide(user, open_request):
            allowed.update((APPROVE, REQUEST_CHANGES, REJECT))
    return frozenset(allowed)


def perform(user: User, job: ProductionJob, action: str, data: Mapping[str, Any]) -> Outcome:
    """Carry out `action`; a refusal comes back as a message for the page, never a crash."""
    from approvals import services as decisions

    feedback = (data.get("feedback") or "").strip()
    if action not in ACTIONS:
        return Outcome(error=f"Unknown action “{action}”.")
    if not has_role(user, job.client_id, Role.MEMBER):
        return Outcome(error="You do not have permission to change this job.", forbidden=True)
    if action in ORDERING and not orders_work(user, job.client_id):
        return Outcome(
            error=f"Reviewers review: only a member or owner of {job.client.name} can "
            f"{action} a job.",
            forbidden=True,
        )
    try:
        if action == START:
            services.job_start(job=job, user=user)  # type: ignore[arg-type]
        elif action == CANCEL:
            services.job_cancel(job=job, user=user)  # type: ignore[arg-type]
        elif action == RETRY:
            services.job_retry(job=job, user=user)  # type: ignore[arg-type]
        elif action == DELETE:
            services.job_delete(job=job, user=user)  # type: ignore[arg-type]
            return Outcome(deleted=True)
        else:
            revision = data.get("revision")
            decisions.job_decide(
                job=job,
                user=user,
                decision=DECISIONS[action],
                feedback=feedback,
                expected_revision=positive_int(revision),
            )
    except lifecycle.TransitionNotAllowed:
        job.refresh_from_db(fields=["status"])
        status = job.get_status_display().lower()
        return Outcome(error=f"This job cannot be {_past(action)} now: it is {status}.")
    except decisions.DecisionError as exc:
        forbidden = isinstance(exc, decisions.NotAllowed)
        return Outcome(error=exc.message, field=exc.field, feedback=feedback, forbidden=forbidden)
    except services.JobError as exc:
        return Outcome(error=exc.message, field=exc.field)
    return Outcome(changed=True)


def _past(action: str) -> str:
    return {
        START: "started",
        CANCEL: "cancelled",
        RETRY: "retried",
        DELETE: "deleted",
    }.get(action, "decided on")
