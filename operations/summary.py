"""The daily summary e-mail: one per client owner (their client) and one for staff (every client).

Sent once per day whatever number of workers run the tick: the first to insert the day's
DailySummary row (unique on the day) sends, the others find it there.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from approvals.models import ApprovalRequest, ApprovalStatus
from jobs.models import ProductionJob, Status
from operations import budgets, conf
from operations.models import DailySummary
from production.models import Client, Membership, Role

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Figures:
    created: int
    completed: int
    failed: int
    awaiting_review: int
    spend_day: float
    overdue: int


def figures(jobs: QuerySet[ProductionJob], since: datetime, now: datetime) -> Figures:
    counts = jobs.aggregate(
        created=Count("id", filter=Q(created_at__gte=since)),
        completed=Count("id", filter=Q(status=Status.COMPLETED, finished_at__gte=since)),
        failed=Count("id", filter=Q(status=Status.FAILED, finished_at__gte=since)),
        review=Count("id", filter=Q(status=Status.REVIEW)),
        spend=Sum("cost_usd", filter=Q(created_at__gte=since)),
    )
    overdue = ApprovalRequest.objects.filter(
        job__in=jobs, status=ApprovalStatus.PENDING, due_at__lt=now
    ).count()
    return Figures(
        created=counts["created"],
        completed=counts["completed"],
        failed=counts["failed"],
        awaiting_review=counts["review"],
        spend_day=float(counts["spend"] or 0),
        overdue=overdue,
    )


def _lines(name: str, numbers: Figures, month: str) -> list[str]:
    return [
        f"{name}",
        f"  jobs created: {numbers.created}",
        f"  completed: {numbers.completed}",
        f"  failed: {numbers.failed}",
        f"  awaiting review now: {numbers.awaiting_review}",
        f"  spend in the last 24 hours: ${numbers.spend_day:.2f}; this month: {month}",
        f"  approvals overdue: {numbers.overdue}",
    ]


def _month(client: Client) -> str:
    spent = budgets.month_spend(client.pk)
    limit = budgets.budget_of(client.pk)
    return f"${spent:.2f}" + (f" of ${limit} budget" if limit is not None else "")


def client_text(client: Client, since: datetime, now: datetime) -> str:
    numbers = figures(ProductionJob.objects.filter(client=client), since, now)
    body = _lines(client.name, numbers, _month(client))
    return "\n".join([f"Daily summary for {client.name}, {now:%Y-%m-%d}", "", *body, ""])


def staff_text(since: datetime, now: datetime) -> str:
    everything = figures(ProductionJob.objects.all(), since, now)
    parts = [f"Daily summary for every client, {now:%Y-%m-%d}", ""]
    parts += _lines("All clients", everything, "see each client")
    for client in Client.objects.order_by("name"):
        parts += ["", *_lines(client.name, figures(client.jobs.all(), since, now), _month(client))]
    return "\n".join([*parts, ""])


def send_if_due(now: datetime | None = None) -> bool:
    """Send today's summaries if the hour has come and nobody sent them yet."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    if local.hour < conf.daily_summary_hour():
        return False
    try:
        with transaction.atomic():
            row = DailySummary.objects.create(day=local.date())
    except IntegrityError:
        return False
    since = now - timedelta(hours=24)
    sent: list[str] = []
    owners = (
        Membership.objects.filter(role=Role.OWNER)
        .exclude(user__email="")
        .select_related("user", "client")
        .order_by("client__name", "user__username")
    )
    for membership in owners:
        subject = f"Daily summary: {membership.client.name}"
        if _mail(subject, client_text(membership.client, since, now), membership.user.email):
            sent.append(membership.user.email)
    staff = get_user_model().objects.filter(is_staff=True, is_active=True).exclude(email="")
    text = staff_text(since, now) if staff.exists() else ""
    for user in staff:
        if _mail("Daily summary: every client", text, user.email):
            sent.append(user.email)
    DailySummary.objects.filter(pk=row.pk).update(recipients=sent)
    return True


def _mail(subject: str, text: str, address: str) -> bool:
    try:
        send_mail(subject, text, settings.DEFAULT_FROM_EMAIL, [address])
    except Exception:  # noqa: BLE001 - one bad address must not stop the others
        log.exception("daily summary to %s failed", address)
        return False
    return True
