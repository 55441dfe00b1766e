"""The history of circuit-breaker changes, written as the breakers report them."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, QuerySet
from django.utils import timezone

from jobs.providers import breaker
from operations.models import BreakerEvent, BreakerState


def record(provider: str, state: str, reason: str) -> BreakerEvent:
    """Write one change; a closing carries when its episode opened and how long it lasted."""
    now = timezone.now()
    event = BreakerEvent(provider=provider, state=state, reason=reason[:200], created_at=now)
    if state == BreakerState.CLOSED:
        last_close = (
            BreakerEvent.objects.filter(provider=provider, state=BreakerState.CLOSED)
            .values_list("created_at", flat=True)
            .first()
        )
        openings = BreakerEvent.objects.filter(provider=provider, state=BreakerState.OPEN)
        if last_close is not None:
            openings = openings.filter(created_at__gt=last_close)
        opened = openings.order_by("created_at", "id").values_list("created_at", flat=True).first()
        if opened is not None:
            event.opened_at = opened
            event.open_seconds = round((now - opened).total_seconds(), 3)
    event.save()
    return event


def connect() -> None:
    """Listen to every breaker of this process (once, however often apps are readied)."""
    if record not in breaker.listeners:
        breaker.listeners.append(record)


def events_between(since: datetime, until: datetime) -> QuerySet[BreakerEvent]:
    return BreakerEvent.objects.filter(created_at__gte=since, created_at__lt=until)


def openings_by_provider(since: datetime, until: datetime) -> dict[str, int]:
    found = (
        events_between(since, until)
        .filter(state=BreakerState.OPEN)
        .order_by()
        .values_list("provider")
        .annotate(n=Count("id"))
    )
    return dict(found)
