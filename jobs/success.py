"""A client's success score: how much is in production, how much is delivered, how well it lands.

Computed in two queries whatever the volume: one aggregate over the client's jobs (counts per
stage, average safety score) and one over their decision events in the job history.

The 0-100 score is a weighted mean of five parts, each between 0 and 1:

- approval rate, weight 30: people's approving decisions (approve, sign off) out of people's
  decisions (those plus changes requested, rejected, sent back). Automatic approvals are
  counted apart: they say the work passed the checks, not that a person liked it;
- first-pass rate, weight 20: decided jobs whose first revision was never sent back;
- safety, weight 20: the average safety score of the scored jobs, divided by 100;
- delivery, weight 15: started jobs that have not failed, out of all started jobs;
- activity, weight 15: jobs started or completed, out of 10 (capped at 1).

A part with nothing to measure yet (no decisions by people, no scored job) is left out and
the other weights are scaled up; a client with no started job has no score (None).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.db.models import Avg, Count, Q

from jobs.models import JobEvent, ProductionJob, Status
from production.models import Client

# Being worked on by the engine (a revision is on its way back into the queue).
IN_PRODUCTION = (Status.QUEUED, Status.PROCESSING, Status.DRAFT, Status.REVISION)
# Waiting for a person: a review decision or an owner's sign-off.
AWAITING_PEOPLE = (Status.REVIEW, Status.APPROVED)
PEOPLE_APPROVING = ("decision.approved", "decision.signed_off")
AUTO_APPROVING = ("decision.auto_approved",)
SENDING_BACK = ("decision.changes_requested", "decision.rejected", "decision.sent_back")
WEIGHTS: dict[str, int] = {
    "approval_rate": 30,
    "first_pass_rate": 20,
    "safety": 20,
    "delivery": 15,
    "activity": 15,
}
LABELS = {
    "approval_rate": "Approved by people",
    "first_pass_rate": "Approved first time",
    "safety": "Average safety",
    "delivery": "Delivered without failing",
    "activity": "Activity",
}
# Jobs started or delivered at which the activity part is full.
ACTIVITY_TARGET = 10


def success_score(client: Client | UUID | str) -> dict[str, Any]:
    """The client's jobs per stage, approval rates, average safety score and a 0-100 score,
    with each part of the score and its weight, so the page can explain it."""
    client_id = client.pk if isinstance(client, Client) else client
    jobs = ProductionJob.objects.filter(client_id=client_id).aggregate(
        in_production=Count("id", filter=Q(status__in=IN_PRODUCTION)),
        in_review=Count("id", filter=Q(status__in=AWAITING_PEOPLE)),
        completed=Count("id", filter=Q(status=Status.COMPLETED)),
        failed=Count("id", filter=Q(status=Status.FAILED)),
        average_safety=Avg("safety_score"),
    )
    decisions = JobEvent.objects.filter(
        job__client_id=client_id, action__in=PEOPLE_APPROVING + AUTO_APPROVING + SENDING_BACK
    ).aggregate(
        decided=Count("id", filter=~Q(action__in=AUTO_APPROVING)),
        approved=Count("id", filter=Q(action__in=PEOPLE_APPROVING)),
        auto_approved=Count("id", filter=Q(action__in=AUTO_APPROVING)),
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
    started = jobs["in_production"] + jobs["in_review"] + jobs["completed"] + jobs["failed"]
    delivery_rate = _ratio(started - jobs["failed"], started)
    values = {
        "approval_rate": approval_rate,
        "first_pass_rate": first_pass_rate,
        "safety": average_safety / 100 if average_safety is not None else None,
        "delivery": delivery_rate,
        "activity": min(1.0, started / ACTIVITY_TARGET),
    }
    return {
        "in_production": jobs["in_production"],
        "in_review": jobs["in_review"],
        "completed": jobs["completed"],
        "failed": jobs["failed"],
        "decided": decisions["decided"],
        "approved": decisions["approved"],
        "auto_approved": decisions["auto_approved"],
        "approval_rate": approval_rate,
        "first_pass_rate": first_pass_rate,
        "average_safety": average_safety,
        "delivery_rate": delivery_rate,
        "score": _combine(values) if started else None,
        "weights": dict(WEIGHTS),
        "parts": _parts(values),
    }


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _parts(values: dict[str, float | None]) -> list[dict[str, Any]]:
    """Each part as the page explains it: label, percentage (None: not measured), weight and
    the share of the score it carries once unmeasured parts are left out."""
    measured = sum(WEIGHTS[name] for name, value in values.items() if value is not None)
    return [
        {
            "name": name,
            "label": LABELS[name],
            "percent": None if value is None else round(100 * value),
            "weight": WEIGHTS[name],
            "share": round(100 * WEIGHTS[name] / measured) if value is not None else 0,
        }
        for name, value in values.items()
    ]


def _combine(values: dict[str, float | None]) -> int:
    measured = {name: value for name, value in values.items() if value is not None}
    total_weight = sum(WEIGHTS[name] for name in measured)
    return round(
        100 * sum(WEIGHTS[name] * value for name, value in measured.items()) / total_weight
    )
