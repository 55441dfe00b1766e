"""One Redis client per process for the queues' server, its connections pooled and reused.

django-rq builds a new client, with a new connection pool, on every `get_connection` and
`get_queue` call, so each enqueue or subscriber check opened a fresh TCP connection (a
connect and a handshake on every step of every job). The client here is made once per URL
and shared by every thread; redis-py's pool is thread-safe and starts afresh in a forked
child.
"""

from __future__ import annotations

from functools import cache

import django_rq
import redis
from django.conf import settings
from rq import Queue


def shared_redis() -> redis.Redis:
    """The process's client for the queues' Redis (RQ_QUEUES' normal queue)."""
    config = settings.RQ_QUEUES["normal"]
    return _client(config.get("URL", ""), config.get("DB"))


@cache
def _client(url: str, db: int | None) -> redis.Redis:
    # The URL and database are the cache key only: a run that points the queues elsewhere
    # (tests) gets a client of its own.
    return django_rq.get_connection("normal")


def queue(name: str) -> Queue:
    """A django-rq queue on the shared client (its timeouts and classes from RQ_QUEUES)."""
    return django_rq.get_queue(name, connection=shared_redis())
