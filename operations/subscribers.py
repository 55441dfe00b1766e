"""Which clients have an active webhook endpoint, kept as a Redis set for the engine's hot path.

The engine writes several history rows per step; asking the database about endpoints for each
would add a query to every step. The set answers from Redis instead:
  operations:webhook-clients        ids of clients with at least one active endpoint
  operations:webhook-clients:built  present once the set was built from the database
Endpoint changes rebuild it; if Redis lost it (a restart), the next question rebuilds it.
"""

from __future__ import annotations

import logging

from redis.exceptions import RedisError

from operations.models import WebhookEndpoint
from production.redis_connection import shared_redis

log = logging.getLogger(__name__)

KEY = "operations:webhook-clients"
BUILT = "operations:webhook-clients:built"


def rebuild() -> set[str]:
    ids = {
        str(pk)
        for pk in WebhookEndpoint.objects.filter(is_active=True)
        .values_list("client_id", flat=True)
        .distinct()
    }
    pipe = shared_redis().pipeline(transaction=True)
    pipe.delete(KEY)
    if ids:
        pipe.sadd(KEY, *ids)
    pipe.set(BUILT, "1")
    pipe.execute()
    return ids


def may_subscribe(client_id: object) -> bool:
    """Whether the client has an active endpoint (any event type)."""
    try:
        pipe = shared_redis().pipeline(transaction=False)
        pipe.exists(BUILT)
        pipe.sismember(KEY, str(client_id))
        built, member = pipe.execute()
        if not built:
            return str(client_id) in rebuild()
        return bool(member)
    except RedisError as exc:
        # Without Redis nothing can be queued for delivery anyway.
        log.warning("webhook subscribers unknown, Redis unreachable: %s", exc)
        return False
