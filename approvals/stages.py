"""Review stages: a client's final review as ordered stages ("Editor", then "Legal").

Each stage names who decides it (a role, or named people of the client) and may be limited to
one job type. Stages run in rounds: a stage marked "with the previous one" opens together with
it (Legal and Brand at once). A job's final review opens the first round; when every stage of
a round is approved the next round opens for the same revision; the last round's approval is
the job's approval. A request for changes or a rejection at any stage goes back to the writers
like any final review (closing the other stages of its round), and the next revision starts
again at the first round.

A sign-off stage is the owners' sign-off after the review, configured like any stage (who, by
which rule, how soon) and for high-impact work only or for all work.

A stage's rule says when it passes: any one decider's approval, all of them (the people
named, or everyone holding the role when it opens), or a number of them. Approvals short of
that are kept as StageApprovals and the request stays open; a request for changes or a
rejection by any one decider settles the stage at once.

Every request copies its stage (name, place, decision makers, approvals needed, due time) when
it opens, so changing the configuration later never changes a request already open or decided.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils import timezone

from approvals.models import (
    FINAL_GATE,
    SIGNOFF_GATE,
    SIGNOFF_KINDS,
    ApprovalRequest,
    ApprovalStatus,
    ApprovalType,
    ReviewStage,
    StageKind,
    StageRule,
)
from jobs.models import ProductionJob
from production.models import ROLE_RANK, Role


def _scoped(job: ProductionJob, kinds: tuple[str, ...]) -> list[ReviewStage]:
    """The job's stages of these kinds in order: its template's, else its job type's own,
    else the client's stages for every type."""
    stages = list(
        ReviewStage.objects.filter(client_id=job.client_id, kind__in=kinds)
        .filter(
            Q(template__isnull=True, job_type__in=(job.job_type, ""))
            | Q(template_id=job.template_id)
        )
        .select_related("approver_role")
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


def stages_for(job: ProductionJob) -> list[ReviewStage]:
    """The job's review stages in order (its sign-off stage apart)."""
    return _scoped(job, (StageKind.REVIEW,))


def signoff_stage_for(job: ProductionJob) -> ReviewStage | None:
    """The stage that configures the owners' sign-off of this job, if the client set one."""
    found = _scoped(job, tuple(SIGNOFF_KINDS))
    return found[0] if found else None


def rounds_of(stages: list[ReviewStage]) -> list[list[int]]:
    """The 1-based stage indexes of each round: a stage "with the previous one" joins its round."""
    rounds: list[list[int]] = []
    for index, stage in enumerate(stages, start=1):
        if stage.with_previous and rounds:
            rounds[-1].append(index)
        else:
            rounds.append([index])
    return rounds


def eligible_people(job: ProductionJob, stage: ReviewStage) -> list[Any]:
    """Who may decide the stage now: the people it names, else the holders of its custom
    approver role who still belong to the client, else the client's active users holding its
    role (or a higher one)."""
    named = list(stage.members.all())
    if named:
        return named
    if stage.approver_role_id is not None:
        return list(
            get_user_model()
            .objects.filter(
                is_active=True,
                pk__in=stage.approver_role.members.values("pk"),
                memberships__client_id=job.client_id,
            )
            .order_by("username")
        )
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


def open_final_review(job: ProductionJob, output_ids: list[int]) -> list[ApprovalRequest]:
    """The job's final review: its first round of stages when the client has stages, else one
    request for the client's reviewers."""
    from approvals.review import open_request

    stages = stages_for(job)
    if not stages:
        return [
            open_request(
                job,
                gate=FINAL_GATE,
                approval_type=ApprovalType.FINAL,
                role=Role.REVIEWER,
                output_ids=output_ids,
            )
        ]
    return _open_round(job, stages, 1, output_ids)


@dataclass
class AfterApproval:
    """What an approved stage led to: stages of its round still open, or the next round."""

    waiting: list[ApprovalRequest] = field(default_factory=list)
    opened: list[ApprovalRequest] = field(default_factory=list)

    @property
    def review_done(self) -> bool:
        return not self.waiting and not self.opened


def after_stage_approved(job: ProductionJob, decided: ApprovalRequest) -> AfterApproval:
    """After `decided` was approved (the job locked): wait for the rest of its round, open the
    next round, or nothing more when the review is done.

    The stages are read again, so a stage added or removed meanwhile counts from the next
    round on; a request already open or decided stays as it was.
    """
    if not decided.stage_count:
        return AfterApproval()
    waiting = list(
        ApprovalRequest.objects.filter(
            job=job,
            gate=FINAL_GATE,
            revision=decided.revision,
            stage_round=decided.stage_round,
            status=ApprovalStatus.PENDING,
        )
        .exclude(pk=decided.pk)
        .order_by("stage_index")
    )
    if waiting:
        return AfterApproval(waiting=waiting)
    stages = stages_for(job)
    if decided.stage_round >= len(rounds_of(stages)):
        return AfterApproval()
    return AfterApproval(
        opened=_open_round(job, stages, decided.stage_round + 1, list(decided.output_ids))
    )


def close_round(job: ProductionJob, decided: ApprovalRequest, why: str) -> list[str]:
    """`decided` sent the work back: the other stages open beside it are closed (cancelled,
    with the reason), since the next revision starts the review again. Their names."""
    if not decided.stage_count:
        return []
    others = ApprovalRequest.objects.filter(
        job=job, gate=FINAL_GATE, revision=decided.revision, status=ApprovalStatus.PENDING
    ).exclude(pk=decided.pk)
    names = list(others.order_by("stage_index").values_list("stage_name", flat=True))
    others.update(
        status=ApprovalStatus.CANCELLED,
        decided_at=timezone.now(),
        decided_by_label="system",
        feedback=why,
    )
    return names


def _open_round(
    job: ProductionJob, stages: list[ReviewStage], round_number: int, output_ids: list[int]
) -> list[ApprovalRequest]:
    indexes = rounds_of(stages)[round_number - 1]
    return [
        _open_stage(
            job,
            stages[index - 1],
            output_ids,
            gate=FINAL_GATE,
            approval_type=ApprovalType.FINAL,
            stage_index=index,
            stage_count=len(stages),
            stage_round=round_number,
        )
        for index in indexes
    ]


def open_signoff_stage(job: ProductionJob, stage: ReviewStage) -> ApprovalRequest:
    """The owners' sign-off as the client configured it (who, by which rule, how soon)."""
    return _open_stage(
        job,
        stage,
        None,
        gate=SIGNOFF_GATE,
        approval_type=ApprovalType.OWNER_SIGNOFF,
        stage_index=1,
        stage_count=1,
        stage_round=1,
    )


def _open_stage(
    job: ProductionJob, stage: ReviewStage, output_ids: list[int] | None, **where: Any
) -> ApprovalRequest:
    from approvals.review import open_request

    eligible = eligible_people(job, stage)
    # "All of them" means the people who could decide when the stage opened, and so do a custom
    # role's holders: they are named on the request, so someone joining later neither decides
    # nor holds the stage up.
    by_name = stage.members.exists() or stage.approver_role_id is not None
    members = eligible if by_name or stage.rule == StageRule.ALL else []
    request = open_request(
        job,
        role=stage.role,
        output_ids=output_ids,
        due=timedelta(hours=stage.due_hours),
        stage=stage,
        stage_name=stage.name,
        named_only=bool(members),
        approvals_needed=approvals_needed(stage, len(eligible)),
        **where,
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
