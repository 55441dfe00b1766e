"""Change notices for open pages: what changed, published on Redis once the change commits.

A notice names a job (and its client) and the kind of change, never its content: a page that
hears one fetches its own fragment, through the same permission checks as any other request.
Notices are sent after commit, so a page never fetches a state that was rolled back, and a
failed publish only costs the page its next fallback poll.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from functools import cache, partial
from typing import Any
from urllib.parse import urlparse

import redis
from django.conf import settings
from django.db import transaction
from django.db.models import Model
from django.db.models.signals import post_delete, post_save

log = logging.getLogger(__name__)


@cache
def channel_prefix() -> str:
    """Pub/sub channels are server-wide, not per database: the database number keeps two
    deployments (or two test runs) sharing one Redis server apart."""
    path = urlparse(settings.REDIS_URL).path.strip("/") or "0"
    return f"live:{path}:"


def job_channel(job_id: Any) -> str:
    return f"{channel_prefix()}job:{job_id}"


def client_channel(client_id: Any) -> str:
    return f"{channel_prefix()}client:{client_id}"


def _version_key(channel: str) -> str:
    # Each channel counts its notices: a page compares the count it was rendered at with the
    # count a new stream starts at, so a notice sent while it was reconnecting is not lost.
    return f"{channel}:version"


def version(channels: list[str]) -> int:
    """How many notices these channels have carried (0 when Redis cannot say)."""
    try:
        counts = _redis().mget([_version_key(c) for c in channels]) if channels else []
    except redis.RedisError:
        return 0
    return sum(int(count or 0) for count in counts)


def publish(channel: str, message: str) -> None:
    """A message on a live channel at once (not tied to a transaction); Redis errors raise."""
    _redis().publish(channel, message)


def redis_client() -> redis.Redis:
    """The client live notices go through: one per process, safe to share between threads."""
    return _redis()


@cache
def _redis() -> redis.Redis:
    return redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2)


class _Batch:
    """The notices of one transaction, one per job however many of its rows it saved: a step
    that finishes saves its run, its outputs, events and the job, and each open page should
    fetch its fragment once for all of them, not once per row."""

    def __init__(self) -> None:
        self.jobs: dict[str, tuple[set[str], Any]] = {}
        self.sent = False

    def add(self, job_id: str, kind: str, client_id: Any) -> None:
        kinds, known = self.jobs.get(job_id, (set(), None))
        kinds.add(kind)
        self.jobs[job_id] = (kinds, known if client_id is None else client_id)


_open = threading.local()


def notify(job_id: Any, kind: str, client_id: Any = None) -> None:
    """Tell the job's open pages (and its client's dashboards, given the client) once the
    transaction commits; a job's notices of one transaction go out as one."""
    batch = getattr(_open, "batch", None)
    if batch is None or batch.sent:
        batch = _open.batch = _Batch()
    batch.add(str(job_id), kind, client_id)
    # Every notice registers the send, so it survives whichever savepoint rolls back; the
    # first to run after the commit sends the batch and the rest find it sent. Notices of a
    # rolled-back transaction stay in the batch and go out with the next commit's: a page
    # then fetches a fragment that did not change, never a state that was not committed.
    transaction.on_commit(partial(_publish, batch))


def _publish(batch: _Batch) -> None:
    if batch.sent:
        return
    batch.sent = True
    at = time.time()
    try:
        pipe = _redis().pipeline(transaction=False)
        for job_id, (kinds, client_id) in batch.jobs.items():
            notice = json.dumps({"job": job_id, "kinds": sorted(kinds), "at": at})
            channels = [job_channel(job_id)]
            if client_id is not None:
                channels.append(client_channel(client_id))
            for channel in channels:
                pipe.incr(_version_key(channel))
                pipe.publish(channel, notice)
        pipe.execute()
    except Exception as exc:  # noqa: BLE001 - a notice never breaks the work that sent it
        # Besides RedisError, redis-py may raise ValueError from a socket closed under it
        # mid-handshake; either way the page's fallback poll catches up.
        log.info("live notices for %d jobs not sent: %s", len(batch.jobs), exc)


def _on_job_saved(sender: type, instance: Model, **_: Any) -> None:
    # Status and progress are what dashboards show, so only the job's own saves reach them.
    notify(instance.pk, "job", instance.client_id)  # type: ignore[attr-defined]


def _on_job_deleted(sender: type, instance: Model, **_: Any) -> None:
    # Its pages show it gone, and its client's dashboards drop its row.
    notify(instance.pk, "deleted", instance.client_id)  # type: ignore[attr-defined]


def _on_child_saved(kind: str, sender: type, instance: Model, **_: Any) -> None:
    notify(instance.job_id, kind)  # type: ignore[attr-defined]


def notify_on_save(model: type[Model], kind: str) -> None:
    """Each save of the model sends a notice: "job" for the job itself (its deletion too), any
    other kind for a row that belongs to a job (bulk writes and queryset updates send none:
    their callers notify, or the page's safety poll picks them up)."""
    receiver = _on_job_saved if kind == "job" else partial(_on_child_saved, kind)
    post_save.connect(receiver, sender=model, weak=False, dispatch_uid=f"live-{kind}")
    if kind == "job":
        post_delete.connect(
            _on_job_deleted, sender=model, weak=False, dispatch_uid="live-job-deleted"
        )
