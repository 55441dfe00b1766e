"""Publication messages on the engine's priority queues (jobs/queues.py): ids only, sent after
commit; scheduled publications and retries wait in RQ's scheduler."""

from __future__ import annotations

import logging
from datetime import timedelta
from functools import partial

from django.db import transaction
from redis.exceptions import RedisError

from jobs.queues import get_queue

log = logging.getLogger(__name__)

RUN = "publishing.tasks.run_publication"
AUTO = "publishing.tasks.publish_automatically"


def _send(publication_id: int | str, priority: str, delay: float, function: str = RUN) -> None:
    queue = get_queue(priority)
    options = {
        "result_ttl": 0,
        "failure_ttl": 7 * 24 * 3600,
        "job_timeout": 3600,
        "description": f"{function.rsplit('.', 1)[-1]} {publication_id}",
    }
    try:
        if delay > 0:
            queue.enqueue_in(timedelta(seconds=delay), function, publication_id, **options)
        else:
            queue.enqueue(function, publication_id, **options)
    except RedisError as exc:
        # The row keeps its status; `manage.py publish_due` sends it again.
        log.warning("could not queue publication %s: %s", publication_id, exc)


def send_now(publication_id: int, priority: str) -> None:
    _send(publication_id, priority, 0)


def send_on_commit(publication_id: int, priority: str, delay: float = 0) -> None:
    transaction.on_commit(partial(_send, publication_id, priority, delay))


def send_auto_on_commit(job_id: object, priority: str) -> None:
    """Ask a worker to publish the job to the client's automatic accounts (job ids are UUIDs)."""
    transaction.on_commit(partial(_send, str(job_id), priority, 0, AUTO))
