"""Reads for reviewers: the queue of pending requests and what a review page shows."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.shortcuts import get_object_or_404

from approvals.comments import threads_for
from approvals.models import ApprovalRequest, ApprovalStatus
from approvals.safety.flags import CATEGORY_LABELS, occurrence_spans
from approvals.stages import named_for
from jobs.models import PRIORITY_ORDER, Output, ProductionJob
from production.models import ROLE_RANK, Membership, Role
from production.tenancy import client_ids_for

User = AbstractBaseUser | AnonymousUser

TEXT_KINDS = frozenset({"text", "markdown", "html", "json"})

PRIORITY_RANK = Case(
    *(When(job__priority=name, then=Value(rank)) for name, rank in PRIORITY_ORDER.items()),
    default=Value(len(PRIORITY_ORDER)),
    output_field=IntegerField(),
)


def _roles_up_to(role: str) -> list[str]:
    """The approver roles a holder of `role` may decide for (an owner may also review)."""
    rank = ROLE_RANK[Role(role)]
    return [r.value for r in Role if ROLE_RANK[r] <= rank]


def pending_for_reviewer(user: User) -> QuerySet[ApprovalRequest]:
    """Pending requests the user may decide on, urgent first, then oldest first."""
    qs = (
        ApprovalRequest.objects.filter(status=ApprovalStatus.PENDING)
        .select_related("job", "job__client", "assignee")
        .annotate(priority_rank=PRIORITY_RANK)
        .order_by("priority_rank", "created_at", "id")
    )
    if not user.is_authenticated:
        return qs.none()
    if user.is_staff:
        return qs
    scope = Q(pk__in=[])
    client_ids = []
    for client_id, role in Membership.objects.filter(user=user).values_list("client_id", "role"):
        scope |= Q(job__client_id=client_id, approver_role__in=_roles_up_to(role))
        client_ids.append(client_id)
    # A stage that names its decision makers is theirs alone, whatever their role.
    named = Q(named_only=True, pk__in=named_for(user), job__client_id__in=client_ids)
    return qs.filter((scope & Q(named_only=False)) | named)


def request_for(user: User, request_id: int) -> ApprovalRequest:
    """A request of one of the user's clients, else 404: others' requests do not exist."""
    qs = ApprovalRequest.objects.select_related("job", "job__client", "decided_by")
    if not (user.is_authenticated and user.is_staff):
        qs = qs.filter(job__client_id__in=client_ids_for(user))
    return get_object_or_404(qs, pk=request_id)


def job_for(user: User, job_id: Any) -> ProductionJob:
    """A job of one of the user's clients, else 404."""
    qs = ProductionJob.objects.select_related("client")
    if not (user.is_authenticated and user.is_staff):
        qs = qs.filter(client_id__in=client_ids_for(user))
    return get_object_or_404(qs, pk=job_id)


def possible_assignees(request: ApprovalRequest) -> list[Any]:
    """People of the request's client whose role lets them decide it (a stage's named
    decision makers when it names them)."""
    if request.named_only:
        return list(request.deciders.filter(is_active=True).order_by("username"))
    roles = [r.value for r in Role if ROLE_RANK[r] >= ROLE_RANK[Role(request.approver_role)]]
    user_ids = Membership.objects.filter(
        client_id=request.job.client_id, role__in=roles
    ).values_list("user_id", flat=True)
    return list(
        get_user_model().objects.filter(pk__in=user_ids, is_active=True).order_by("username")
    )


def last_rejection(job: ProductionJob) -> ApprovalRequest | None:
    return (
        ApprovalRequest.objects.filter(job=job, status=ApprovalStatus.REJECTED)
        .order_by("-decided_at", "-id")
        .first()
    )


# --- what the review page shows -----------------------------------------------------------------


@dataclass
class Segment:
    """A run of output text; `flags` is non-empty when the run is flagged."""

    text: str
    flags: list[dict[str, Any]] = field(default_factory=list)

    @property
    def severity(self) -> str:
        order = ("low", "medium", "high", "critical")
        worst = max((order.index(f.get("severity", "low")) for f in self.flags), default=0)
        return order[worst]

    @property
    def tooltip(self) -> str:
        return " · ".join(f"{f.get('category', '')}: {f.get('message', '')}" for f in self.flags)


@dataclass
class DiffLine:
    op: str  # "+" inserted, "-" deleted, " " unchanged, "@" a hunk header
    text: str


@dataclass
class ReviewedOutput:
    output: Output
    segments: list[Segment]
    flags: list[dict[str, Any]]
    diff: list[DiffLine]
    previous_revision: int | None
    threads: list[Any] = field(default_factory=list)
    # A video's poster frame: the revision's first still image.
    poster: Output | None = None
    # The reviewer's decision on this output alone (approvals.output_decisions), if any.
    decision: Any = None

    @property
    def is_text(self) -> bool:
        return self.output.kind in TEXT_KINDS

    @property
    def has_changes(self) -> bool:
        return any(line.op in "+-" for line in self.diff)


def _span_matches(text: str, flag: dict[str, Any]) -> bool:
    start, end = flag.get("start"), flag.get("end")
    if not isinstance(start, int) or not isinstance(end, int) or not 0 <= start < end <= len(text):
        return False
    excerpt = flag.get("excerpt")
    return not excerpt or text[start:end] == excerpt


def highlight(text: str, flags: list[dict[str, Any]]) -> list[Segment]:
    """Split text into plain and flagged runs; overlapping flags share their run."""
    spans = [f for f in occurrence_spans(flags) if _span_matches(text, f)]
    if not spans:
        return [Segment(text)] if text else []
    bounds = sorted({0, len(text), *(f["start"] for f in spans), *(f["end"] for f in spans)})
    segments: list[Segment] = []
    for start, end in zip(bounds, bounds[1:], strict=False):
        covering = [f for f in spans if f["start"] <= start and end <= f["end"]]
        if segments and segments[-1].flags == covering:
            segments[-1].text += text[start:end]  # runs with the same flags read as one mark
        else:
            segments.append(Segment(text[start:end], covering))
    return segments


def diff_lines(before: str, after: str) -> list[DiffLine]:
    """Line diff of two texts with a little context, as inserted and deleted lines."""
    lines: list[DiffLine] = []
    for raw in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=2):
        if raw.startswith(("---", "+++")):
            continue
        if raw.startswith("@@"):
            lines.append(DiffLine("@", raw))
        else:
            lines.append(DiffLine(raw[:1] or " ", raw[1:]))
    return lines


def reviewed_outputs(request: ApprovalRequest) -> list[ReviewedOutput]:
    """The outputs under review, highlighted, each with its diff against the last revision."""
    job = request.job
    rows = list(Output.objects.filter(job=job, revision__lte=request.revision))
    current = [o for o in rows if o.revision == request.revision]
    if request.output_ids:
        wanted = set(request.output_ids)
        current = [o for o in current if o.pk in wanted] or current
    previous: dict[str, Output] = {}
    for output in rows:
        if output.revision < request.revision:
            key = output.key or output.step
            if key not in previous or previous[key].revision < output.revision:
                previous[key] = output
    stills = sorted(
        (o for o in rows if o.revision == request.revision and o.kind == "image" and o.file),
        key=lambda o: (o.step, o.item, o.pk),
    )
    reviewed = []
    for output in current:
        flags = [
            {**flag, "label": CATEGORY_LABELS.get(flag.get("category", ""), flag.get("category"))}
            for flag in output.safety_flags or []
        ]
        before = previous.get(output.key or output.step)
        diff = diff_lines(before.text, output.text) if before and output.kind in TEXT_KINDS else []
        reviewed.append(
            ReviewedOutput(
                output=output,
                segments=highlight(output.text, flags) if output.kind in TEXT_KINDS else [],
                flags=flags,
                diff=diff,
                previous_revision=before.revision if before else None,
                threads=threads_for(output),
                poster=stills[0] if output.kind == "video" and stills else None,
            )
        )
    return reviewed


def decision_history(request: ApprovalRequest) -> QuerySet[ApprovalRequest]:
    """Earlier decided requests of the same job, newest first, for context on the review page."""
    return (
        ApprovalRequest.objects.filter(job_id=request.job_id)
        .exclude(pk=request.pk)
        .exclude(status=ApprovalStatus.PENDING)
        .select_related("decided_by")
        .order_by("-decided_at", "-id")
    )
