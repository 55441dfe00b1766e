"""Readiness checks for load balancers: database, Redis, a live worker, queue lag under a limit."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection
from redis import Redis
from rq import Queue, Worker

from jobs.step_worker import live_step_workers
from production.redis_connection import shared_redis


@dataclass
class Check:
    name: str
    ok: bool
    detail: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, **self.detail}


def check_database() -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure means not ready
        return Check("database", False, {"error": f"{type(exc).__name__}: {exc}"[:300]})
    return Check("database", True)


def check_redis(redis: Redis) -> Check:
    try:
        redis.ping()
    except Exception as exc:  # noqa: BLE001
        return Check("redis", False, {"error": f"{type(exc).__name__}: {exc}"[:300]})
    return Check("redis", True)


def check_workers(redis: Redis) -> Check:
    """Step workers heartbeat under stepworker:<name>; plain RQ workers register themselves."""
    step_workers = len(live_step_workers(redis))
    rq_workers = len(Worker.all(connection=redis))
    count = step_workers + rq_workers
    detail: dict[str, Any] = {"step_workers": step_workers, "rq_workers": rq_workers}
    if not count:
        detail["error"] = "no worker is heartbeating"
    return Check("workers", count > 0, detail)


def oldest_waiting_seconds(queue: Queue, now: float) -> float:
    """How long the message at the head of the queue has waited (0 when it is empty)."""
    head = queue.get_jobs(0, 1)
    if not head or head[0].enqueued_at is None:
        return 0.0
    return max(0.0, now - head[0].enqueued_at.timestamp())


def check_queue_lag(redis: Redis) -> Check:
    limit = settings.READY_MAX_QUEUE_LAG_SECONDS
    now = time.time()
    lags = {
        name: round(oldest_waiting_seconds(Queue(name, connection=redis), now), 1)
        for name in settings.QUEUE_NAMES
    }
    worst = max(lags.values(), default=0.0)
    detail: dict[str, Any] = {"seconds": worst, "limit": limit, "per_queue": lags}
    if worst > limit:
        detail["error"] = f"oldest queued message waited {worst:.0f} s (limit {limit:.0f} s)"
    return Check("queue_lag", worst <= limit, detail)


def run_checks() -> list[Check]:
    checks = [check_database()]
    redis = shared_redis()
    redis_check = check_redis(redis)
    checks.append(redis_check)
    if redis_check.ok:
        checks += [check_workers(redis), check_queue_lag(redis)]
    else:
        unreachable = {"error": "Redis unreachable"}
        checks += [Check("workers", False, unreachable), Check("queue_lag", False, unreachable)]
    return checks
