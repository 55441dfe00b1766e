"""Decisions on approval requests and owner oversight: every write a reviewer or owner makes.

Each decision runs in one transaction: lock the job, then the request, claim the request with
a conditional update, move the job through the lifecycle and write the decision to history.
Views, the admin and the API call these functions and map the exceptions to responses.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from approvals import review
from approvals.models import (
    FINAL_GATE,
    SIGNOFF_GATE,
    ApprovalRequest,
    ApprovalStatus,
    StageApproval,
)
from approvals.safety.bands import BAND_LABELS
from jobs import lifecycle
from jobs import services as job_services
from jobs.engine import states
from jobs.models import ProductionJob, Status, StepRun, StepStatus
from production.models import Role
from production.tenancy import client_ids_for, has_role

User = AbstractBaseUser | AnonymousUser

MAX_FEEDBACK = 5000
MAX_BRIEF = 5000

APPROVE, REQUEST_CHANGES, REJECT, CANCEL = "approve", "request_changes", "reject", "cancel"
# Approve, provided the listed small changes are made: the next revision is not reviewed again.
APPROVE_WITH_CHANGES = "approve_with_changes"
DECISIONS: tuple[str, ...] = (APPROVE, APPROVE_WITH_CHANGES, REQUEST_CHANGES, REJECT, CANCEL)

# The request status each decision leaves behind.
RESULTING_STATUS: dict[str, str] = {
    APPROVE: ApprovalStatus.APPROVED,
    APPROVE_WITH_CHANGES: ApprovalStatus.APPROVED_WITH_CHANGES,
    REQUEST_CHANGES: ApprovalStatus.CHANGES_REQUESTED,
    REJECT: ApprovalStatus.REJECTED,
    CANCEL: ApprovalStatus.CANCELLED,
}

# How a settled request reads in a sentence: "Rita approved this ...".
STATUS_VERBS: dict[str, str] = {
    ApprovalStatus.APPROVED: "approved",
    ApprovalStatus.APPROVED_WITH_CHANGES: "approved with changes",
    ApprovalStatus.CHANGES_REQUESTED: "requested changes on",
    ApprovalStatus.REJECTED: "rejected",
    ApprovalStatus.CANCELLED: "cancelled",
}


class DecisionError(Exception):
    """A decision that cannot be made; `field` names the input it is about, `code` its kind."""

    code = "invalid"

    def __init__(
        self,
        message: str,
        field: str = "",
        *,
        code: str = "",
        current_revision: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        # For a stale decision: the revision the request is about now.
        self.current_revision = current_revision
        if code:
            self.code = code


class AlreadyDecided(DecisionError):
    """Someone else decided first; the message says who decided what and when."""

    code = "already_decided"

    def __init__(self, request: ApprovalRequest) -> None:
        who = request.decided_by_label or "Someone"
        verb = STATUS_VERBS.get(request.status, request.status)
        when = (
            timezone.localtime(request.decided_at).strftime("%Y-%m-%d %H:%M %Z")
            if request.decided_at
            else "earlier"
        )
        super().__init__(
            f"{who} already {verb} this request (revision {request.revision}) at {when}; "
            "your decision was not recorded."
        )
        self.request = request


class NotAllowed(DecisionError):
    """The user lacks the role this decision needs."""

    code = "permission_denied"


class NotFound(DecisionError, Http404):
    """The request or job does not exist for this user (another tenant's is never revealed)."""

    code = "not_found"


# --- reads the decisions need -------------------------------------------------------------------


def pending_request_for(
    job: ProductionJob, *, gate: str | None = None, user: User | None = None
) -> ApprovalRequest | None:
    """The open approval request of the job: with parallel stages open, the first the user
    may decide, else the first by stage (the newest, should gates ever overlap)."""
    qs = ApprovalRequest.objects.filter(job=job, status=ApprovalStatus.PENDING)
    if gate is not None:
        qs = qs.filter(gate=gate)
    found = list(
        qs.select_related("job").order_by("-revision", "-stage_round", "stage_index", "-id")
    )
    if user is None:
        return found[0] if found else None
    return request_for_user(user, found)


def request_for_user(user: User, found: list[ApprovalRequest]) -> ApprovalRequest | None:
    """Of a job's open requests, the one this person decides (else the first): with parallel
    stages open, Legal sees and decides the Legal stage, Brand the Brand stage."""
    if len(found) > 1:
        return next((r for r in found if can_decide(user, r)), found[0])
    return found[0] if found else None


def can_decide(user: User, request: ApprovalRequest) -> bool:
    """Whether the user holds the role the request asks for, in the request's client; a stage
    that names its decision makers is decided by them only (and staff)."""
    if request.named_only:
        from approvals.stages import may_decide_named

        if not user.is_authenticated:
            return False
        return user.is_staff or may_decide_named(user, request)
    return has_role(user, request.job.client_id, request.approver_role)


def needs_approval_reason(request: ApprovalRequest, job: ProductionJob) -> bool:
    """Approving work scored below the "review needed" band needs a recorded reason."""
    return (
        request.gate != SIGNOFF_GATE
        and job.safety_score is not None
        and job.safety_score < job.client.threshold_review
    )


def band_label(job: ProductionJob) -> str:
    return BAND_LABELS.get(job.safety_band, job.safety_band or "unscored")


def _display_name(user: User) -> str:
    if not user.is_authenticated:
        return "anonymous"
    return user.get_full_name() or user.get_username()  # type: ignore[union-attr]


def _check_visible(user: User, client_id: Any, what: str) -> None:
    if not user.is_authenticated:
        raise NotAllowed("Sign in to make decisions.")
    if not user.is_staff and client_id not in client_ids_for(user):
        raise NotFound(f"{what} not found.")


def _role_message(request: ApprovalRequest, client_name: str) -> str:
    if request.named_only:
        from approvals.stages import decider_names

        return (
            f"The {request.stage_name} stage is decided by {', '.join(decider_names(request))} "
            "only."
        )
    if request.stage_count:
        return (
            f"Only a {request.get_approver_role_display().lower()} of {client_name} can decide "
            f"the {request.stage_name} stage."
        )
    if request.approver_role == Role.OWNER:
        return f"Only an owner of {client_name} can sign this off."
    return (
        f"Only a {request.get_approver_role_display().lower()} of {client_name} can decide on this."
    )


# The same checks for the other decision modules (approvals.output_decisions).
check_visible = _check_visible
role_message = _role_message
display_name = _display_name


# --- decisions ----------------------------------------------------------------------------------


def decide(
    *,
    request_id: int,
    user: User,
    decision: str,
    feedback: str = "",
    expected_revision: int | None = None,
) -> ApprovalRequest:
    """Record a decision on an approval request and move the job on accordingly."""
    feedback = check_decision_input(decision, feedback)
    found = ApprovalRequest.objects.select_related("job__client").filter(pk=request_id).first()
    if found is None:
        raise NotFound(f"Approval request {request_id} not found.")
    _check_visible(user, found.job.client_id, f"Approval request {request_id}")
    if not can_decide(user, found):
        raise NotAllowed(_role_message(found, found.job.client.name))
    return record_decision(
        request_id=request_id,
        user=user,
        label=_display_name(user),
        decision=decision,
        feedback=feedback,
        expected_revision=expected_revision,
    )


def check_decision_input(decision: str, feedback: str) -> str:
    """The decision's own rules, before any lookup; returns the cleaned feedback."""
    if decision not in DECISIONS:
        raise DecisionError(
            f"Unknown decision {decision!r}; choose one of {', '.join(DECISIONS)}.", "decision"
        )
    feedback = (feedback or "").strip()
    if decision in (REQUEST_CHANGES, REJECT) and not feedback:
        raise DecisionError("Feedback is required to request changes or reject.", "feedback")
    if decision == APPROVE_WITH_CHANGES and not feedback:
        raise DecisionError("List the changes to make before this is final.", "feedback")
    if len(feedback) > MAX_FEEDBACK:
        raise DecisionError(
            f"Feedback is limited to {MAX_FEEDBACK} characters; yours has {len(feedback)}.",
            "feedback",
        )
    return feedback


def record_decision(
    *,
    request_id: int,
    user: User,
    label: str,
    decision: str,
    feedback: str,
    expected_revision: int | None,
) -> ApprovalRequest:
    """Record a decision whose maker was already checked (a member's role, or a guest link)."""
    feedback = check_decision_input(decision, feedback)
    job_id = ApprovalRequest.objects.filter(pk=request_id).values_list("job_id", flat=True).first()
    if job_id is None:
        raise NotFound(f"Approval request {request_id} not found.")
    with transaction.atomic():
        # Lock order everywhere: the job first, then what hangs off it.
        job = lifecycle.lock_job(job_id)
        request = ApprovalRequest.objects.select_for_update().get(pk=request_id)
        if request.status != ApprovalStatus.PENDING:
            return _settled(request, user, decision, label)
        if expected_revision is not None and int(expected_revision) != request.revision:
            raise DecisionError(
                f"The content changed since you opened it: you reviewed revision "
                f"{expected_revision}, this request is for revision {request.revision}. "
                "Reload the page and review it again.",
                "expected_revision",
                code="stale_revision",
                current_revision=request.revision,
            )
        if decision == APPROVE_WITH_CHANGES and request.gate != FINAL_GATE:
            raise DecisionError(
                "Approve with changes is for the final review; approve or request changes here.",
                "decision",
            )
        if decision == APPROVE and not feedback and needs_approval_reason(request, job):
            raise DecisionError(
                f"This work scored {job.safety_score} ({band_label(job)}), below the "
                "“review needed” band: give a reason for approving it anyway.",
                "feedback",
                code="reason_required",
            )
        several = decision == APPROVE and request.approvals_needed > 1
        if several and not _approval_passes_stage(job, request, user, label, feedback):
            return request
        new_status = RESULTING_STATUS[decision]
        claimed = ApprovalRequest.objects.filter(
            pk=request.pk, status=ApprovalStatus.PENDING
        ).update(
            status=new_status,
            feedback=feedback,
            decided_by=user if user.is_authenticated else None,
            decided_by_label=label[:80],
            decided_at=timezone.now(),
        )
        if claimed != 1:
            request.refresh_from_db()
            return _settled(request, user, decision, label)
        request.refresh_from_db()
        _apply(job, request, user, decision, feedback, label)
    return request


def _approval_passes_stage(
    job: ProductionJob, request: ApprovalRequest, user: User, label: str, note: str
) -> bool:
    """Keep one approval of a stage that needs several (the request is locked); True when it
    is the one that completes the stage. A person's second approval counts once."""
    voter = f"user:{user.pk}" if user.is_authenticated else f"guest:{label[:80]}"
    _, new = StageApproval.objects.get_or_create(
        request=request,
        voter=voter,
        defaults={
            "user": user if user.is_authenticated else None,
            "label": label[:80],
            "note": note,
        },
    )
    given = request.stage_approvals.count()
    if given >= request.approvals_needed:
        return True
    if new:
        waiting = request.waiting_for
        lifecycle.record_event(
            job,
            "decision.stage_approval",
            actor=user if user.is_authenticated else None,
            actor_label="" if user.is_authenticated else label[:80],
            note=f"{label} approved {request.stage_name or 'the review'} "
            f"({given} of {request.approvals_needed})"
            + (f"; waiting for {', '.join(waiting)}." if waiting else "."),
            payload={
                "request_id": request.pk,
                "revision": request.revision,
                "approvals": given,
                "needed": request.approvals_needed,
            },
        )
    return False


def _settled(request: ApprovalRequest, user: User, decision: str, label: str) -> ApprovalRequest:
    """A request that is no longer pending: a repeat of the same decision is a no-op."""
    same_maker = (
        request.decided_by_id == user.pk
        if user.is_authenticated
        else request.decided_by_id is None and request.decided_by_label == label[:80]
    )
    if same_maker and request.status == RESULTING_STATUS[decision]:
        return request
    raise AlreadyDecided(request)


def _apply(
    job: ProductionJob,
    request: ApprovalRequest,
    user: User,
    decision: str,
    feedback: str,
    label: str = "",
) -> None:
    """Move the locked job on after `request` was claimed with `decision`."""
    payload = {
        "decision": decision,
        "feedback": feedback,
        "revision": request.revision,
        "request_id": request.pk,
        "gate": request.gate,
    }
    actor = user if user.is_authenticated else None
    common: dict[str, Any] = {"actor": actor, "note": feedback, "payload": payload, "locked": True}
    if actor is None:
        common["actor_label"] = label[:80]
    if decision == APPROVE:
        _approve(job, request, common)
        return
    _close_other_stages(job, request, decision)
    if decision == CANCEL:
        lifecycle.transition(job, Status.CANCELLED, action="decision.cancelled", **common)
    elif decision == APPROVE_WITH_CHANGES:
        # The changes are written as a revision; the review policy approves it on arrival.
        common["payload"]["next"] = "changes_without_review"
        lifecycle.transition(
            job, Status.REVISION, action="decision.approved_with_changes", **common
        )
        _start_next_revision(
            job,
            common["actor"],
            f"Revision {job.revision + 1} makes the listed changes; no new review.",
            request,
        )
    else:
        _send_for_revision(job, request, decision, common)


def _approve(job: ProductionJob, request: ApprovalRequest, common: dict[str, Any]) -> None:
    if request.gate == SIGNOFF_GATE:
        lifecycle.transition(job, Status.COMPLETED, action="decision.signed_off", **common)
    elif request.gate == FINAL_GATE:
        from approvals.stages import after_stage_approved

        after = after_stage_approved(job, request)
        if not after.review_done:
            # A stage passed: the job stays in review, at the stages still open or next.
            following = after.waiting or after.opened
            labels = [r.stage_label for r in following]
            common["payload"]["next_stage"] = labels[0]
            common["payload"]["open_stages"] = labels
            names = " and ".join(labels)
            lifecycle.record_event(
                job,
                "decision.stage_approved",
                actor=common["actor"],
                actor_label=common.get("actor_label", ""),
                note=f"{request.stage_label} approved; "
                + (f"waiting for {names}." if after.waiting else f"next: {names}."),
                payload=common["payload"],
            )
            return
        lifecycle.transition(job, Status.APPROVED, action="decision.approved", **common)
        review.complete_or_request_signoff(job)
    else:
        # A mid-workflow gate: record the decision, then the engine runs the rest.
        from jobs import engine

        lifecycle.record_event(
            job,
            "decision.approved",
            actor=common["actor"],
            note=common["note"],
            payload=common["payload"],
        )
        engine.resume_after_gate(job, request.gate)


def _close_other_stages(job: ProductionJob, request: ApprovalRequest, decision: str) -> None:
    """The work leaves the review: stages open beside `request` are closed with the reason."""
    if request.gate != FINAL_GATE:
        return
    from approvals.stages import close_round

    why = f"Closed: {request.stage_name or 'another stage'} {STATUS_VERBS[RESULTING_STATUS[decision]]} this revision."
    closed = close_round(job, request, why)
    if closed:
        lifecycle.record_event(
            job,
            "review.stages_closed",
            actor_label="system",
            note=f"{', '.join(closed)} closed: {request.stage_name} "
            f"{STATUS_VERBS[RESULTING_STATUS[decision]]} revision {request.revision}.",
            payload={"request_id": request.pk, "closed": closed, "revision": request.revision},
        )


def _send_for_revision(
    job: ProductionJob, request: ApprovalRequest, decision: str, common: dict[str, Any]
) -> None:
    """Changes requested: a new revision runs with the feedback. Rejected: the loop stops."""
    if request.gate == SIGNOFF_GATE and decision == REQUEST_CHANGES:
        action = "decision.sent_back"
    elif decision == REQUEST_CHANGES:
        action = "decision.changes_requested"
    else:
        action = "decision.rejected"
    common["payload"]["next"] = "stopped" if decision == REJECT else "new_revision"
    lifecycle.transition(job, Status.REVISION, action=action, **common)
    if request.gate not in (FINAL_GATE, SIGNOFF_GATE):
        # The waiting gate of the old revision will never be passed.
        states.move_where(
            StepRun.objects.filter(job=job, revision=request.revision, step=request.gate),
            StepStatus.WAITING,
            StepStatus.CANCELLED,
            finished_at=timezone.now(),
            note=action,
        )
    if decision == REJECT:
        # No automatic new revision: the job waits for the client to revise the brief or cancel.
        return
    _start_next_revision(
        job, common["actor"], f"Revision {job.revision + 1} started with the feedback.", request
    )


def _start_next_revision(
    job: ProductionJob, actor: Any, note: str, request: ApprovalRequest | None
) -> None:
    """The locked job (in revision) starts its next revision; earlier outputs stay."""
    job.revision += 1
    job.progress = 0
    job.save(update_fields=["revision", "progress"])
    lifecycle.transition(
        job,
        Status.QUEUED,
        actor=actor,
        note=note,
        payload={"revision": job.revision, "request_id": request.pk if request else None},
        locked=True,
    )


def is_stopped_by_rejection(job: ProductionJob) -> bool:
    """The job waits in revision because its last decision was a rejection."""
    if job.status != Status.REVISION:
        return False
    last = (
        ApprovalRequest.objects.filter(job=job)
        .exclude(status=ApprovalStatus.PENDING)
        .order_by("-decided_at", "-id")
        .first()
    )
    return last is not None and last.status == ApprovalStatus.REJECTED


def resume_after_rejection(
    *, job: ProductionJob, user: User, description: str, note: str = ""
) -> ProductionJob:
    """The client revises the brief of rejected work; the next revision runs with it."""
    _check_visible(user, job.client_id, f"Job {job.pk}")
    if not has_role(user, job.client_id, Role.MEMBER):
        raise NotAllowed(f"Only people at {job.client.name} can revise this brief.")
    description = (description or "").strip()
    if len(description) > MAX_BRIEF:
        raise DecisionError(
            f"The brief is limited to {MAX_BRIEF} characters; yours has {len(description)}.",
            "description",
        )
    with transaction.atomic():
        locked = lifecycle.lock_job(job.pk)
        if not is_stopped_by_rejection(locked):
            raise DecisionError(
                f"“{locked.title}” is not waiting for a revised brief "
                f"(it is {locked.get_status_display().lower()}).",
                code="not_rejected",
            )
        changed = description != locked.description
        locked.description = description
        locked.save(update_fields=["description"])
        lifecycle.record_event(
            locked,
            "brief.revised",
            actor=user if user.is_authenticated else None,  # type: ignore[arg-type]
            note=(note or "").strip(),
            payload={"revision": locked.revision, "description_changed": changed},
        )
        _start_next_revision(
            locked,
            user if user.is_authenticated else None,
            f"Revision {locked.revision + 1} started from the revised brief.",
            None,
        )
    return locked


# --- job-level helpers for the dashboard and the API --------------------------------------------


def job_decide(
    *,
    job: ProductionJob,
    user: User,
    decision: str,
    feedback: str = "",
    expected_revision: int | None = None,
) -> ApprovalRequest | None:
    """Decide on the job's open request; "cancel" also works on a job with none open.

    Returns the decided request, or None when a job without an open request was cancelled.
    """
    _check_visible(user, job.client_id, f"Job {job.pk}")
    request = pending_request_for(job, user=user)
    if decision == CANCEL and (request is None or not can_decide(user, request)):
        _cancel_without_request(job, user, feedback)
        return None
    if request is None:
        job.refresh_from_db(fields=["status"])
        raise DecisionError(
            f"This job is not waiting for a decision (it is {job.get_status_display().lower()}).",
            code="no_pending_request",
        )
    return decide(
        request_id=request.pk,
        user=user,
        decision=decision,
        feedback=feedback,
        expected_revision=expected_revision,
    )


def _cancel_without_request(job: ProductionJob, user: User, note: str) -> None:
    if not has_role(user, job.client_id, Role.MEMBER):
        raise NotAllowed(f"Only people at {job.client.name} can cancel this job.")
    job.refresh_from_db(fields=["status"])
    if job.is_terminal:
        raise DecisionError(
            f"This job is already {job.get_status_display().lower()}.", code="terminal"
        )
    job_services.job_cancel(job=job, user=user, note=note)  # type: ignore[arg-type]


# --- owner oversight ----------------------------------------------------------------------------


def _require_owner(user: User, job: ProductionJob, doing: str) -> None:
    _check_visible(user, job.client_id, f"Job {job.pk}")
    if not has_role(user, job.client_id, Role.OWNER):
        raise NotAllowed(f"Only an owner of {job.client.name} can {doing}.")


def signoff(*, job: ProductionJob, user: User, note: str = "") -> ApprovalRequest:
    """An owner signs approved high-impact work off, and it completes."""
    _require_owner(user, job, "sign work off")
    request = pending_request_for(job, gate=SIGNOFF_GATE)
    if request is None:
        raise DecisionError(f"“{job.title}” is not awaiting sign-off.", code="no_pending_request")
    return decide(request_id=request.pk, user=user, decision=APPROVE, feedback=note)


def send_back(*, job: ProductionJob, user: User, note: str) -> ApprovalRequest:
    """An owner sends work back for another revision, with a note the writers will follow."""
    _require_owner(user, job, "send work back")
    if not (note or "").strip():
        raise DecisionError("A note is required to send work back.", "note")
    request = pending_request_for(job, gate=SIGNOFF_GATE) or pending_request_for(job, user=user)
    if request is None:
        raise DecisionError(
            f"“{job.title}” has no decision open to send back.", code="no_pending_request"
        )
    return decide(request_id=request.pk, user=user, decision=REQUEST_CHANGES, feedback=note)


def requeue_failed(*, job: ProductionJob, user: User) -> ProductionJob:
    """An owner queues a failed job again; it resumes from the step that failed."""
    _require_owner(user, job, "requeue work")
    job.refresh_from_db(fields=["status"])
    if job.status != Status.FAILED:
        raise DecisionError(
            f"Only failed jobs can be requeued; “{job.title}” is "
            f"{job.get_status_display().lower()}.",
            code="not_failed",
        )
    return job_services.job_retry(job=job, user=user, note="Requeued by an owner.")  # type: ignore[arg-type]


def owner_cancel(*, job: ProductionJob, user: User, note: str = "") -> ApprovalRequest | None:
    """An owner cancels a job from the oversight console, through the decision path."""
    _require_owner(user, job, "cancel work")
    return job_decide(job=job, user=user, decision=CANCEL, feedback=note)
