"""Alert rules evaluated against the database and Redis, deduplicated, with a cool-down.

Each rule reads one figure per subject (everything, a provider, a queue, a client). A subject
crossing its threshold fires once; while it stays over, it is repeated only after the cool-down;
when it comes back under, a "resolved" message follows the alert that was sent. An alert that
fires again within the cool-down of the last message is recorded but not sent (flapping). The
send is claimed with a conditional update on the state row, so two workers never both send.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, Sum
from django.utils import timezone
from rq import Queue

from approvals.models import ApprovalRequest, ApprovalStatus
from jobs.models import Output, ProductionJob, Status
from operations import budgets, channels
from operations.delivery import AUTO_DISABLED
from operations.models import (
    AlertChannel,
    AlertKind,
    AlertNotice,
    AlertRule,
    AlertState,
    ClientBudget,
    WebhookEndpoint,
)
from operations.readiness import oldest_waiting_seconds
from production.redis_connection import shared_redis
from publishing.models import Connection, Platform

FINISHED = (Status.FAILED, Status.REVIEW, Status.APPROVED, Status.COMPLETED)


@dataclass(frozen=True)
class Reading:
    subject: str
    value: float
    firing: bool
    message: str


def _failure_rate(rule: AlertRule, now: datetime) -> list[Reading]:
    """Jobs that ended (failed, or reached review or later) in the window: the failed share.

    Read through the job_status_updated index (status, updated_at).
    """
    since = now - timedelta(minutes=rule.window_minutes)
    counts = ProductionJob.objects.filter(status__in=FINISHED, updated_at__gte=since).aggregate(
        total=Count("id"), failed=Count("id", filter=Q(status=Status.FAILED))
    )
    total, failed = counts["total"], counts["failed"]
    rate = failed / total if total else 0.0
    firing = total >= max(rule.minimum, 1) and rate > rule.threshold
    message = (
        f"{failed} of {total} jobs failed in the last {rule.window_minutes} minutes "
        f"({rate:.0%}; limit {rule.threshold:.0%})."
    )
    return [Reading("", rate, firing, message)]


def _breakers(rule: AlertRule, now: datetime) -> list[Reading]:
    redis = shared_redis()
    found = []
    for key in redis.scan_iter(match="breaker:*:open"):
        provider = key.decode().split(":")[1]
        found.append(
            Reading(provider, 1, True, f"The circuit breaker of provider {provider} is open.")
        )
    return found


def _queues(rule: AlertRule, now: datetime) -> list[Reading]:
    redis = shared_redis()
    found = []
    clock = time.time()
    for name in settings.QUEUE_NAMES:
        queue = Queue(name, connection=redis)
        if rule.kind == AlertKind.QUEUE_BACKLOG:
            value = float(queue.count)
            message = f"{value:.0f} messages wait in queue {name} (limit {rule.threshold:.0f})."
        else:
            value = oldest_waiting_seconds(queue, clock)
            message = (
                f"The oldest message in queue {name} has waited {value:.0f} s "
                f"(limit {rule.threshold:.0f} s)."
            )
        found.append(Reading(f"queue:{name}", value, value > rule.threshold, message))
    return found


def _spend(rule: AlertRule, now: datetime) -> list[Reading]:
    found = []
    for budget in ClientBudget.objects.select_related("client"):
        spent = budgets.month_spend(budget.client_id)
        percent = float(spent * 100 / budget.monthly_usd) if budget.monthly_usd else 100.0
        message = (
            f"{budget.client.name} has spent ${spent:.2f} of its ${budget.monthly_usd} monthly "
            f"budget ({percent:.0f}%; alert at {rule.threshold:.0f}%)."
        )
        found.append(
            Reading(f"client:{budget.client.slug}", percent, percent >= rule.threshold, message)
        )
    return found


def _approvals_overdue(rule: AlertRule, now: datetime) -> list[Reading]:
    overdue = ApprovalRequest.objects.filter(status=ApprovalStatus.PENDING, due_at__lt=now).count()
    message = f"{overdue} approval request(s) are past their due time."
    return [Reading("", float(overdue), overdue >= rule.threshold, message)]


def _storage(rule: AlertRule, now: datetime) -> list[Reading]:
    used = Output.objects.aggregate(total=Sum("size_bytes"))["total"] or 0
    gigabytes = used / 1e9
    message = f"Stored outputs take {gigabytes:.2f} GB (limit {rule.threshold:g} GB)."
    return [Reading("", gigabytes, gigabytes > rule.threshold, message)]


def _webhooks_disabled(rule: AlertRule, now: datetime) -> list[Reading]:
    """Endpoints the delivery code disabled (not those an owner turned off)."""
    return [
        Reading(
            f"webhook:{endpoint.pk}",
            1,
            True,
            f"The webhook endpoint {endpoint.url} of {endpoint.client.name} was disabled: "
            f"{endpoint.disabled_reason}",
        )
        for endpoint in WebhookEndpoint.objects.filter(
            is_active=False, disabled_reason__startswith=AUTO_DISABLED
        ).select_related("client")
    ]


def _tokens_expiring(rule: AlertRule, now: datetime) -> list[Reading]:
    """Publishing accounts whose token ends within the threshold (hours) and that no refresh
    will save: Instagram's long-lived tokens renew only when used in their last week."""
    found = []
    expiring = Connection.objects.filter(
        is_active=True,
        platform=Platform.INSTAGRAM,
        token_expires_at__isnull=False,
    ).select_related("client")
    for connection in expiring:
        hours = (connection.token_expires_at - now).total_seconds() / 3600
        when = "has expired" if hours <= 0 else f"expires in {_span(hours)}"
        message = (
            f"The Instagram account “{connection.name}” of {connection.client.name}: its token "
            f"{when}. Publish to it or connect it again to renew the token."
        )
        found.append(
            Reading(f"connection:{connection.pk}", hours, hours <= rule.threshold, message)
        )
    return found


def _span(hours: float) -> str:
    return f"{hours:.0f} h" if hours < 48 else f"{hours / 24:.0f} days"


READERS = {
    AlertKind.FAILURE_RATE: _failure_rate,
    AlertKind.BREAKER_OPEN: _breakers,
    AlertKind.QUEUE_BACKLOG: _queues,
    AlertKind.QUEUE_WAIT: _queues,
    AlertKind.SPEND: _spend,
    AlertKind.APPROVALS_OVERDUE: _approvals_overdue,
    AlertKind.STORAGE: _storage,
    AlertKind.WEBHOOK_DISABLED: _webhooks_disabled,
    AlertKind.TOKEN_EXPIRY: _tokens_expiring,
}


def evaluate(now: datetime | None = None) -> list[AlertNotice]:
    """Read every enabled rule and send what changed; returns the notices sent."""
    now = now or timezone.now()
    sent: list[AlertNotice] = []
    for rule in AlertRule.objects.filter(enabled=True):
        readings = {r.subject: r for r in READERS[rule.kind](rule, now)}
        # A subject that fired and is no longer read (a breaker that closed) is under again.
        for state in AlertState.objects.filter(rule=rule, firing=True):
            if state.subject not in readings:
                readings[state.subject] = Reading(state.subject, 0, False, "")
        for reading in readings.values():
            notice = _apply(rule, reading, now)
            if notice is not None:
                sent.append(notice)
    return sent


def _apply(rule: AlertRule, reading: Reading, now: datetime) -> AlertNotice | None:
    state, _ = AlertState.objects.get_or_create(rule=rule, subject=reading.subject)
    cooldown = timedelta(minutes=rule.cooldown_minutes)
    cooled = state.last_sent_at is None or now - state.last_sent_at >= cooldown
    same = AlertState.objects.filter(
        pk=state.pk, firing=state.firing, last_sent_at=state.last_sent_at
    )
    if reading.firing:
        changes: dict[str, Any] = {"firing": True, "value": reading.value}
        changes["message"] = reading.message[:500]
        if not state.firing:
            changes["fired_at"] = now
        if cooled:
            changes["last_sent_at"] = now
        if same.update(**changes) and cooled:
            return _send(rule, reading.subject, "firing", reading.message, reading.value, now)
        return None
    if not state.firing:
        return None
    told = state.last_sent_at is not None and state.fired_at is not None
    told = told and state.last_sent_at >= state.fired_at
    if not same.update(firing=False, value=reading.value, resolved_at=now):
        return None
    if not told:
        return None
    message = f"Resolved: {state.message}"
    return _send(rule, reading.subject, "resolved", message, reading.value, now)


def _send(
    rule: AlertRule, subject: str, status: str, message: str, value: float, now: datetime
) -> AlertNotice:
    title = f"[{status}] {rule.name}" + (f" ({subject})" if subject else "")
    data = {
        "type": f"alert.{status}",
        "rule": rule.name,
        "kind": rule.kind,
        "subject": subject,
        "value": value,
        "threshold": rule.threshold,
        "message": message,
        "at": now.isoformat(),
    }
    results = {
        channel.name: channels.send(channel, subject=title, text=message, data=data)
        for channel in AlertChannel.objects.filter(enabled=True)
    }
    return AlertNotice.objects.create(
        rule=rule, subject=subject, status=status, message=message[:500], results=results
    )
