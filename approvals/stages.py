"""Review stages: a client's final review as ordered stages ("Editor", then "Legal").

Each stage names who decides it (a role, or named people of the client) and may be limited to
one job type. A job's final review opens at the first stage; an approval there opens the next
stage of the same revision; the last stage's approval is the job's approval. A request for
changes or a rejection at any stage goes back to the writers like any final review, and the
next revision starts again at the first stage.

A stage's rule says when it passes: any one decider's approval, all of them (the people
named, or everyone holding the role when it opens), or a number of them. Approvals short of
that are kept as StageApprovals and the request stays open; a request for changes or a
rejection by any one decider settles the stage at once.

Every request copies its stage (name, place, decision makers, approvals needed, due time) when
it opens, so changing the configuration later never changes a request already open or decided.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from approvals.models import ApprovalRequest, ApprovalType, ReviewStage, StageRule
from jobs.models import ProductionJob
from production.models import ROLE_RANK, Role

FINAL_GATE = "final"


def stages_for(job: ProductionJob) -> list[ReviewStage]:
    """The job's stages in order: its template's, else its job type's own, else the client's
    stages for every type."""
    stages = list(
        ReviewStage.objects.filter(client_id=job.client_id)
        .filter(
            Q(template__isnull=True, job_type__in=(job.job_type, ""))
            | Q(template_id=job.template_id)
        )
        .prefetch_related("members")
        .order_by("position", "id")
    )
    if job.template_id is not None:
        of_template = [s for s in stages if s.template_id == job.template_id]
        if of_template:
            return of_template
    general = [s for s in stages if s.template_id is None]
    own = [s for s in general if s.job_type == job.job_type]
    return own or [s for s in general if not s.job_type]


def eligible_people(job: ProductionJob, stage: ReviewStage) -> list[Any]:
    """Who may decide the stage now: the people it names, else the client's active users
    holding its role (or a higher one)."""
    named = list(stage.members.all())
    if named:
        return named
    ranks = [role for role in Role if ROLE_RANK[role] >= ROLE_RANK[Role(stage.role)]]
    users = get_user_model().objects.filter(
        is_active=True,
        memberships__client_id=job.client_id,
        memberships__role__in=ranks,
    )
    return list(users.order_by("username"))


def approvals_needed(stage: ReviewStage, eligible: int) -> int:
    """How many approvals pass the stage: never more than the people who can give them."""
    if stage.rule == StageRule.ALL:
        wanted = eligible
    elif stage.rule == StageRule.COUNT:
        wanted = stage.required
    else:
        wanted = 1
    return max(1, min(wanted, eligible))


def open_final_review(job: ProductionJob, output_ids: list[int]) -> ApprovalRequest:
    """The job's final review: its first stage when the client has stages, else one request
    for the client's reviewers."""
    from approvals.review import open_request

    stages = stages_for(job)
    if not stages:
        return open_request(
            job,
            gate=FINAL_GATE,
            approval_type=ApprovalType.FINAL,
            role=Role.REVIEWER,
            output_ids=output_ids,
        )
    return _open_stage(job, stages, 1, output_ids)


def open_next_stage(job: ProductionJob, decided: ApprovalRequest) -> ApprovalRequest | None:
    """After `decided` was approved: the next stage's request, or None when it was the last.

    The stages are read again, so a stage added or removed meanwhile counts from the next
    request on; one already decided stays as it was.
    """
    if not decided.stage_count:
        return None
    stages = stages_for(job)
    if decided.stage_index >= len(stages):
        return None
    return _open_stage(job, stages, decided.stage_index + 1, list(decided.output_ids))


def _open_stage(
    job: ProductionJob, stages: list[ReviewStage], index: int, output_ids: list[int]
) -> ApprovalRequest:
    from approvals.review import open_request

    stage = stages[index - 1]
    eligible = eligible_people(job, stage)
    # "All of them" means the people who could decide when the stage opened: they are named on
    # the request, so someone joining later neither decides nor holds the stage up.
    members = eligible if stage.members.exists() or stage.rule == StageRule.ALL else []
    request = open_request(
        job,
        gate=FINAL_GATE,
        approval_type=ApprovalType.FINAL,
        role=stage.role,
        output_ids=output_ids,
        due=timedelta(hours=stage.due_hours),
        stage=stage,
        stage_name=stage.name,
        stage_index=index,
        stage_count=len(stages),
        named_only=bool(members),
        approvals_needed=approvals_needed(stage, len(eligible)),
    )
    if members:
        request.deciders.set(members)
    return request


def may_decide_named(user: Any, request: ApprovalRequest) -> bool:
    """For a stage with named decision makers: whether the user is one of them."""
    return request.deciders.filter(pk=user.pk).exists()


def decider_names(request: ApprovalRequest) -> list[str]:
    return [u.get_full_name() or u.get_username() for u in request.deciders.order_by("username")]


def named_for(user: Any) -> QuerySet[Any]:
    """Ids of the requests naming the user as a decision maker (for the queue's filter)."""
    through = ApprovalRequest.deciders.through
    return through.objects.filter(user_id=user.pk).values("approvalrequest_id")
