"""A client's success score: how much is in production, how much is delivered, how well it lands.

Computed in two queries whatever the volume: one aggregate over the client's jobs (active,
completed, average safety score) and one over their decision events in the job history.
Decisions come from JobEvent rather than ApprovalRequest so that auto-approvals, which open
no request, count as approvals too.

The 0-100 score is a weighted mean of four parts, each between 0 and 1:

- approval rate, weight 35: approving decisions (approve, sign off, auto-approve) out of
  all decisions (those plus changes requested, rejected, sent back);
- first-pass rate, weight 25: decided jobs whose first revision was never sent back;
- safety, weight 25: the average safety score of the scored jobs, divided by 100;
- activity, weight 15: jobs in production or completed, out of 10 (capped at 1).

A part with nothing to measure yet (no decisions, no scored job) is left out and the other
weights are scaled up; a client with no job in production or delivered has no score (None).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.db.models import Avg, Count, Q

from jobs.models import JobEvent, ProductionJob, Status
from production.models import Client

ACTIVE_STATUSES = (
    Status.QUEUED,
    Status.PROCESSING,
    Status.DRAFT,
    Status.REVIEW,
    Status.APPROVED,
    Status.REVISION,
)
APPROVING = ("decision.approved", "decision.auto_approved", "decision.signed_off")
SENDING_BACK = ("decision.changes_requested", "decision.rejected", "decision.sent_back")
WEIGHTS: dict[str, int] = {"approval_rate": 35, "first_pass_rate": 25, "safety": 25, "activity": 15}
# Jobs in production or delivered at which the activity part is full.
ACTIVITY_TARGET = 10


def success_score(client: Client | UUID | str) -> dict[str, Any]:
    """The client's activity, approval rates, average safety score and a 0-100 score."""
    client_id = client.pk if isinstance(client, Client) else client
    jobs = ProductionJob.objects.filter(client_id=client_id).aggregate(
        active=Count("id", filter=Q(status__in=ACTIVE_STATUSES)),
        completed=Count("id", filter=Q(status=Status.COMPLETED)),
        average_safety=Avg("safety_score"),
    )
    decisions = JobEvent.objects.filter(
        job__client_id=client_id, action__in=APPROVING + SENDING_BACK
    ).aggregate(
        decided=Count("id"),
        approved=Count("id", filter=Q(action__in=APPROVING)),
        first_decided=Count("job_id", distinct=True, filter=Q(revision=1)),
        first_sent_back=Count(
            "job_id", distinct=True, filter=Q(revision=1, action__in=SENDING_BACK)
        ),
    )
    approval_rate = _ratio(decisions["approved"], decisions["decided"])
    first_pass_rate = _ratio(
        decisions["first_decided"] - decisions["first_sent_back"], decisions["first_decided"]
    )
    average_safety = jobs["average_safety"]
    if average_safety is not None:
        average_safety = round(float(average_safety), 1)
    parts = {
        "approval_rate": approval_rate,
        "first_pass_rate": first_pass_rate,
        "safety": average_safety / 100 if average_safety is not None else None,
        "activity": min(1.0, (jobs["active"] + jobs["completed"]) / ACTIVITY_TARGET),
    }
    return {
        "active": jobs["active"],
        "completed": jobs["completed"],
        "decided": decisions["decided"],
        "approved": decisions["approved"],
        "approval_rate": approval_rate,
        "first_pass_rate": first_pass_rate,
        "average_safety": average_safety,
        "score": _combine(parts) if jobs["active"] or jobs["completed"] else None,
        "weights": dict(WEIGHTS),
    }


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _combine(parts: dict[str, float | None]) -> int:
    measured = {name: value for name, value in parts.items() if value is not None}
    total_weight = sum(WEIGHTS[name] for name in measured)
    return round(
        100 * sum(WEIGHTS[name] * value for name, value in measured.items()) / total_weight
    )
