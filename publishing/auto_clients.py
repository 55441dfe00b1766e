"""Which clients have an account that publishes automatically, kept as a Redis set so the
engine's history listener needs no database question. Rebuilt whenever an account changes and
by `manage.py publish_due`; after a Redis restart it is empty until then, and nothing is
published automatically in between.
  publishing:auto-clients   ids of clients with an active automatic account
"""

from __future__ import annotations

import logging

from redis.exceptions import RedisError

from production.redis_connection import shared_redis
from publishing.models import Connection

log = logging.getLogger(__name__)

KEY = "publishing:auto-clients"


def rebuild() -> None:
    ids = {
        str(pk)
        for pk in Connection.objects.filter(is_active=True, auto_publish=True)
        .values_list("client_id", flat=True)
        .distinct()
    }
    try:
        pipe = shared_redis().pipeline(transaction=True)
        pipe.delete(KEY)
        if ids:
            pipe.sadd(KEY, *ids)
        pipe.execute()
    except RedisError as exc:
        log.warning("automatic publishing clients not stored, Redis unreachable: %s", exc)


def wanted(client_id: object) -> bool:
    try:
        return bool(shared_redis().sismember(KEY, str(client_id)))
    except RedisError:
        return False
