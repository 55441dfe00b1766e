"""Operations messages on the RQ queues: ids only, sent after commit, retries scheduled by RQ."""

from __future__ import annotations

import logging
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from redis.exceptions import RedisError

from production.redis_connection import queue as rq_queue

log = logging.getLogger(__name__)

DELIVER = "operations.tasks.deliver_webhook"
FAN_OUT_JOB_EVENT = "operations.tasks.fan_out_job_event"
FAN_OUT_APPROVAL = "operations.tasks.fan_out_approval"
APPLY_RETENTION = "operations.tasks.apply_retention"


def _send(function: str, *args: object, delay: float = 0) -> None:
    queue = rq_queue(settings.OPERATIONS_QUEUE)
    options = {"result_ttl": 0, "failure_ttl": 7 * 24 * 3600, "job_timeout": _timeout(function)}
    try:
        if delay > 0:
            queue.enqueue_in(timedelta(seconds=delay), function, *args, **options)
        else:
            queue.enqueue(function, *args, **options)
    except RedisError as exc:
        log.warning("could not queue %s%r: %s", function, args, exc)


def _timeout(function: str) -> int:
    # A retention pass walks every client's files; the others are one request each.
    return 3600 if function == APPLY_RETENTION else 300


def send_on_commit(function: str, *args: object) -> None:
    transaction.on_commit(partial(_send, function, *args))


def enqueue_delivery_on_commit(delivery_id: int, manual_by: str = "") -> None:
    send_on_commit(DELIVER, delivery_id, manual_by)


def schedule_retry(delivery_id: int, delay: float) -> None:
    _send(DELIVER, delivery_id, "", delay=delay)
