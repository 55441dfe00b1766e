"""Review stages: a client's final review as ordered stages ("Editor", then "Legal").

Each stage names who decides it (a role, or named people of the client) and may be limited to
one job type. A job's final review opens at the first stage; an approval there opens the next
stage of the same revision; the last stage's approval is the job's approval. A request for
changes or a rejection at any stage goes back to the writers like any final review, and the
next revision starts again at the first stage.

Every request copies its stage (name, place, decision makers) when it opens, so changing the
configuration later never changes a request already open or decided.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from approvals.models import ApprovalRequest, ApprovalType, ReviewStage
from jobs.models import ProductionJob
from production.models import Role

FINAL_GATE = "final"


def stages_for(job: ProductionJob) -> list[ReviewStage]:
    """The job's stages in order: its job type's own, else the client's stages for every type."""
    stages = list(
        ReviewStage.objects.filter(client_id=job.client_id, job_type__in=(job.job_type, ""))
        .prefetch_related("members")
        .order_by("position", "id")
    )
    own = [s for s in stages if s.job_type == job.job_type]
    return own or [s for s in stages if not s.job_type]


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
    members = list(stage.members.all())
    request = open_request(
        job,
        gate=FINAL_GATE,
        approval_type=ApprovalType.FINAL,
        role=stage.role,
        output_ids=output_ids,
        stage=stage,
        stage_name=stage.name,
        stage_index=index,
        stage_count=len(stages),
        named_only=bool(members),
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
