"""The four priority queues and enqueueing that only happens once the transaction commits."""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from redis.exceptions import RedisError
from rq import Queue

from production.redis_connection import queue as rq_queue
from production.redis_connection import shared_redis

log = logging.getLogger(__name__)

STEP_FUNCTION = "jobs.tasks.run_step"


def queue_names() -> tuple[str, ...]:
    """In the order a worker serves them: urgent first, low last."""
    return tuple(settings.QUEUE_NAMES)


def get_queue(priority: str) -> Queue:
    return rq_queue(priority if priority in settings.QUEUE_NAMES else "normal")


def new_rq_job_id() -> str:
    return f"step-{uuid.uuid4().hex}"


def enqueue_step_on_commit(
    *, step_run_id: int, attempt: int, rq_job_id: str, priority: str, delay_seconds: float = 0
) -> None:
    """RQ jobs carry ids only, and are sent after commit so a rollback sends nothing."""
    transaction.on_commit(
        partial(_enqueue, step_run_id, attempt, rq_job_id, priority, delay_seconds)
    )


def _enqueue(
    step_run_id: int, attempt: int, rq_job_id: str, priority: str, delay_seconds: float
) -> None:
    try:
        _send(step_run_id, attempt, rq_job_id, priority, delay_seconds)
    except RedisError as exc:
        # The database already says queued: the reconciler sends it once Redis takes writes
        # again (unreachable, restarting, or refusing writes it cannot persist).
        log.warning("Redis refused, step run %s left for the reconciler: %s", step_run_id, exc)


def _send(
    step_run_id: int, attempt: int, rq_job_id: str, priority: str, delay_seconds: float
) -> None:
    queue = get_queue(priority)
    options = {
        "job_id": rq_job_id,
        "job_timeout": 1800,
        "result_ttl": 0,
        "failure_ttl": 7 * 24 * 3600,
        "description": f"step run {step_run_id} attempt {attempt}",
    }
    if delay_seconds > 0:
        queue.enqueue_in(
            timedelta(seconds=delay_seconds), STEP_FUNCTION, step_run_id, attempt, **options
        )
    else:
        queue.enqueue(STEP_FUNCTION, step_run_id, attempt, **options)


def cancel_rq_jobs_on_commit(rq_job_ids: list[str]) -> None:
    def cancel() -> None:
        from rq.exceptions import NoSuchJobError
        from rq.job import Job

        connection = shared_redis()
        for rq_job_id in rq_job_ids:
            try:
                Job.fetch(rq_job_id, connection=connection).cancel()
            except (NoSuchJobError, Exception):  # noqa: BLE001 - a finished job needs no cancel
                continue

    if rq_job_ids:
        transaction.on_commit(cancel)
