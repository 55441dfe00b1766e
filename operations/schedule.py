"""The operations tick on RQ's own scheduler: alerts every OPERATIONS_TICK_SECONDS, the summary
and, once a day from RETENTION_HOUR, the retention pass.

Each tick first schedules the next one (so a tick that fails or dies loses nothing), with an RQ
job id made from its time slot: two schedulers arming the same slot make one message.
`ensure()` arms the chain unless a tick is already waiting; the launcher calls it at start and
`manage.py operations_tick --arm` does it by hand.
"""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime

from django.conf import settings
from redis.exceptions import RedisError

from notifications import schedule as review_clock
from operations import alerts, conf, retention, summary
from operations.queueing import APPLY_RETENTION, send_on_commit
from production.redis_connection import queue as rq_queue
from production.redis_connection import shared_redis

log = logging.getLogger(__name__)

TICK = "operations.tasks.tick"
PREFIX = "operations-tick-"
LOCK = "operations:alerts:lock"


def _queue():  # noqa: ANN202 - an rq Queue
    return rq_queue(settings.OPERATIONS_QUEUE)


def arm(slot: int) -> None:
    """Schedule the tick of time slot `slot` (slot x interval seconds since the epoch)."""
    at = datetime.fromtimestamp(slot * conf.tick_seconds(), tz=UTC)
    _queue().enqueue_at(at, TICK, slot, job_id=f"{PREFIX}{slot}", result_ttl=0, failure_ttl=3600)


def waiting() -> bool:
    queue = _queue()
    ids = list(queue.scheduled_job_registry.get_job_ids()) + queue.get_job_ids()
    return any(job_id.startswith(PREFIX) for job_id in ids)


def ensure() -> bool:
    """Arm the next slot unless a tick waits already; True when armed now."""
    try:
        if waiting():
            return False
        arm(int(time.time() // conf.tick_seconds()) + 1)
    except RedisError as exc:
        log.warning("operations tick not armed, Redis unreachable: %s", exc)
        return False
    return True


def tick(slot: int | None = None) -> str:
    """Arm the next slot, then evaluate the alerts (one worker at a time) and the summary."""
    if slot is not None:
        arm(slot + 1)
    redis = shared_redis()
    done = []
    if redis.set(LOCK, "1", nx=True, ex=max(5, int(conf.tick_seconds()))):
        try:
            done.append(f"{len(alerts.evaluate())} alert messages")
        finally:
            redis.delete(LOCK)
    if summary.send_if_due():
        done.append("daily summary sent")
    # The review clock (deadline sweep, daily digest) rides the same chain of ticks.
    done.extend(review_clock.run())
    if (run := retention.claim_today()) is not None:
        # Its own message: a long pass must not hold up the next ticks.
        send_on_commit(APPLY_RETENTION, run.pk)
        done.append("retention pass queued")
    return ", ".join(done) or "nothing to do"
