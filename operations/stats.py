"""Reads for the metrics dashboard: runs, success, durations, tokens, cost, retries, approvals.

Every query is scoped by the jobs' creation date (and client), so it starts from the
job_client_recent index (client, -created_at) or the created_at index, and reaches step runs
and approval requests through their job-first indexes. Percentiles are taken in Python from
the durations of the range only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone
from rq import Queue

from approvals.models import ApprovalRequest, ApprovalStatus
from jobs.models import Output, ProductionJob, Status, StepRun, StepStatus
from operations import budgets
from operations.models import ClientBudget
from operations.readiness import oldest_waiting_seconds
from production.models import Client
from production.redis_connection import shared_redis

DELIVERED = (Status.APPROVED, Status.COMPLETED)
DECIDED = (ApprovalStatus.APPROVED, ApprovalStatus.CHANGES_REQUESTED, ApprovalStatus.REJECTED)


def percentile(values: list[float], share: float) -> float | None:
    """Nearest-rank percentile (share in 0..1) of unsorted values; None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, int(-(-share * len(ordered) // 1)))  # ceil
    return ordered[min(rank, len(ordered)) - 1]


@dataclass
class StepRow:
    job_type: str
    step: str
    provider: str
    runs: int = 0
    succeeded: int = 0
    failed: int = 0
    retries: int = 0
    tokens: int = 0
    cost: Decimal = Decimal(0)
    durations: list[float] = field(default_factory=list)

    @property
    def success_rate(self) -> float | None:
        finished = self.succeeded + self.failed
        return self.succeeded / finished if finished else None

    @property
    def p50(self) -> float | None:
        return percentile(self.durations, 0.5)

    @property
    def p95(self) -> float | None:
        return percentile(self.durations, 0.95)


@dataclass
class Scope:
    client: Client | None
    start: date
    end: date

    @property
    def since(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.start, time.min))

    @property
    def until(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min))

    def jobs(self) -> QuerySet[ProductionJob]:
        jobs = ProductionJob.objects.filter(created_at__gte=self.since, created_at__lt=self.until)
        return jobs.filter(client=self.client) if self.client else jobs


def step_rows(scope: Scope) -> list[StepRow]:
    rows: dict[tuple[str, str, str], StepRow] = {}
    values = StepRun.objects.filter(job__in=scope.jobs()).values_list(
        "job__job_type", "step", "provider", "status", "attempt", "tokens_in", "tokens_out",
        "cost_usd", "duration_ms",
    )  # fmt: skip
    for job_type, step, provider, status, attempt, t_in, t_out, cost, duration in values:
        key = (job_type, step, provider or "-")
        row = rows.setdefault(key, StepRow(*key))
        row.runs += 1
        row.retries += max(0, attempt - 1)
        row.tokens += t_in + t_out
        row.cost += cost
        if status == StepStatus.SUCCEEDED:
            row.succeeded += 1
            row.durations.append(float(duration))
        elif status == StepStatus.FAILED:
            row.failed += 1
    return sorted(rows.values(), key=lambda r: (r.job_type, r.step, r.provider))


def per_day(scope: Scope) -> list[dict[str, Any]]:
    """Jobs created, delivered and failed, and their cost, per day of creation."""
    found = {
        row["day"]: row
        for row in scope.jobs()
        .annotate(day=TruncDate("created_at"))
        .values("day")
        .annotate(
            created=Count("id"),
            delivered=Count("id", filter=_status_in(DELIVERED)),
            failed=Count("id", filter=_status_in((Status.FAILED,))),
            cost=Sum("cost_usd"),
        )
        .order_by("day")
    }
    days = []
    day = scope.start
    while day <= scope.end:
        row = found.get(day, {})
        days.append(
            {
                "day": day,
                "created": row.get("created", 0),
                "delivered": row.get("delivered", 0),
                "failed": row.get("failed", 0),
                "cost": float(row.get("cost") or 0),
            }
        )
        day += timedelta(days=1)
    return days


def _status_in(statuses: tuple[str, ...]) -> Q:
    return Q(status__in=statuses)


@dataclass(frozen=True)
class ApprovalFigures:
    decided: int
    cycle_p50_hours: float | None
    cycle_p95_hours: float | None
    first_pass_rate: float | None


def approval_figures(scope: Scope) -> ApprovalFigures:
    """Cycle time from request to decision; first pass: the first final decision approved."""
    decisions = ApprovalRequest.objects.filter(
        job__in=scope.jobs(), status__in=DECIDED, decided_at__isnull=False
    ).values_list("job_id", "gate", "status", "created_at", "decided_at")
    hours: list[float] = []
    first_final: dict[Any, tuple[datetime, str]] = {}
    for job_id, gate, status, created, decided in decisions:
        hours.append((decided - created).total_seconds() / 3600)
        if gate == "final" and (job_id not in first_final or decided < first_final[job_id][0]):
            first_final[job_id] = (decided, status)
    first_pass = sum(1 for _, status in first_final.values() if status == ApprovalStatus.APPROVED)
    return ApprovalFigures(
        decided=len(hours),
        cycle_p50_hours=percentile(hours, 0.5),
        cycle_p95_hours=percentile(hours, 0.95),
        first_pass_rate=first_pass / len(first_final) if first_final else None,
    )


@dataclass(frozen=True)
class CostRow:
    client: Client
    delivered_jobs: int
    deliverables: int
    cost: Decimal
    month_spend: Decimal
    budget: Decimal | None

    @property
    def per_deliverable(self) -> Decimal | None:
        if not self.deliverables:
            return None
        return (self.cost / self.deliverables).quantize(Decimal("0.0001"))

    @property
    def budget_share(self) -> float | None:
        return float(self.month_spend / self.budget) if self.budget else None


def cost_rows(scope: Scope) -> list[CostRow]:
    clients = [scope.client] if scope.client else list(Client.objects.order_by("name"))
    delivered = scope.jobs().filter(status__in=DELIVERED)
    jobs = dict(delivered.values("client").annotate(n=Count("id")).values_list("client", "n"))
    costs = dict(
        delivered.values("client").annotate(cost=Sum("cost_usd")).values_list("client", "cost")
    )
    outputs = dict(
        Output.objects.filter(job__in=delivered, revision=1)
        .values("job__client")
        .annotate(n=Count("id"))
        .values_list("job__client", "n")
    )
    limits = dict(ClientBudget.objects.values_list("client", "monthly_usd"))
    return [
        CostRow(
            client=client,
            delivered_jobs=jobs.get(client.pk, 0),
            deliverables=outputs.get(client.pk, 0),
            cost=costs.get(client.pk) or Decimal(0),
            month_spend=budgets.month_spend(client.pk),
            budget=limits.get(client.pk),
        )
        for client in clients
    ]


def queue_depths() -> list[tuple[str, int, float]]:
    redis = shared_redis()
    now = timezone.now().timestamp()
    return [
        (name, (q := Queue(name, connection=redis)).count, oldest_waiting_seconds(q, now))
        for name in settings.QUEUE_NAMES
    ]


def unpriced_in(scope: Scope) -> int:
    count = 0
    for attempts in StepRun.objects.filter(job__in=scope.jobs()).values_list(
        "provider_attempts", flat=True
    ):
        count += sum(1 for attempt in attempts or [] if attempt.get("unpriced"))
    return count
