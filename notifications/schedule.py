"""The review clock on the operations tick: the deadline sweep on every tick and the daily
digest once a day from DIGEST_HOUR (in TIME_ZONE).

Nothing here schedules itself: `operations.schedule.tick` calls `run()`, so the digest and the
sweep ride the tick's one-message-per-slot chain on RQ's scheduler. The digest is sent once
per day however many workers tick, because the first to insert the day's DigestRun row sends
and the others find it there. The sweep is safe to repeat (each reminder and escalation is
claimed with a conditional update); a Redis lock only keeps two workers from doing it twice.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from redis.exceptions import RedisError

from approvals import deadlines
from notifications.models import DigestRun
from notifications.services import send_daily_digests
from production.redis_connection import shared_redis
from production.tunables import tunable

log = logging.getLogger(__name__)

SWEEP_LOCK = "notifications:sweep:lock"
SWEEP_LOCK_SECONDS = 30


def digest_hour() -> int:
    """The hour (in TIME_ZONE) from which the day's digest is sent."""
    return int(tunable("DIGEST_HOUR", "8"))


def send_digests_if_due(now: datetime | None = None) -> int | None:
    """Send today's digests if the hour has come and nobody started them: e-mails sent, or
    None when it was not this call's turn."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    if local.hour < digest_hour():
        return None
    try:
        with transaction.atomic():
            run = DigestRun.objects.create(day=local.date())
    except IntegrityError:
        return None
    sent = send_daily_digests(now=now)
    DigestRun.objects.filter(pk=run.pk).update(sent=sent)
    return sent


def sweep_deadlines(now: datetime | None = None) -> tuple[int, int] | None:
    """Reminders and escalations that are due and not sent: (reminded, escalated), or None
    when another worker is sweeping."""
    try:
        redis = shared_redis()
        if not redis.set(SWEEP_LOCK, "1", nx=True, ex=SWEEP_LOCK_SECONDS):
            return None
    except RedisError as exc:
        # The sweep is idempotent: without the lock it is only done twice, never wrong.
        log.warning("deadline sweep lock unavailable, sweeping anyway: %s", exc)
        redis = None
    try:
        return deadlines.sweep(now=now)
    finally:
        if redis is not None:
            redis.delete(SWEEP_LOCK)


def run(now: datetime | None = None) -> list[str]:
    """One tick of the review clock; what it did, in words, for the tick's result."""
    done: list[str] = []
    swept = sweep_deadlines(now)
    if swept and any(swept):
        done.append(f"{swept[0]} review reminders, {swept[1]} escalations")
    sent = send_digests_if_due(now)
    if sent is not None:
        done.append(f"daily digest: {sent} e-mails")
    return done
