"""A job page's live fragment, rendered once per version of the job and view, then reused.

Every open job page fetches this fragment when the job's stream says it changed (and polls it
while the stream is down), so five people watching one job used to render it five times per
change. The job channel's notice count (jobs.live.version) names the version: any change a page
could show sends a notice, so a fragment cached under the current count is what a fresh render
would give. Each request still loads the job through the tenant check and works out what this
person may do (their role, the request they decide): people who may do different things get
different fragments. What that needs of the database, the job and its open requests, is read
once per version too (`facts`); each viewer's tenant check then runs against their own
memberships. The CSRF token is the only per-person text in the HTML: it is rendered as
a slot and filled per request. Entries live a short while only, so the relative times in the
timeline ("2 minutes ago") are never far behind.
"""

from __future__ import annotations

import pickle
import queue
import time
from collections.abc import Callable
from contextlib import suppress
from typing import Any

import redis
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import render_to_string

from dashboards.live_stream import HUB
from jobs import live
from jobs.models import ProductionJob

TEMPLATE = "dashboards/_job_live.html"
SECONDS = 15
# How long the others wait for the one building a value before building it themselves.
CLAIM_SECONDS = 1.0
# The builder announces its result; a waiter that missed the announcement looks this often.
RECHECK_SECONDS = 0.1
# Rendered where {% csrf_token %} puts the token; replaced by the viewer's own token.
CSRF_SLOT = "live-fragment-csrf-slot"


def view_key(allowed: frozenset[str], decides: Any) -> str:
    """What differs between people looking at the same version: the actions offered and the
    request whose form they see."""
    return ",".join(sorted(allowed)) + f"|{decides or ''}"


def _key(job: ProductionJob, version: int, view: str) -> str:
    # The creation time tells apart jobs that reuse an id (a database created again).
    return f"live-fragment:{job.pk}:{job.created_at.timestamp():.6f}:{version}:{view}"


def version_of(job_id: Any) -> int:
    """The job's version now (0 when Redis cannot say: nothing is reused)."""
    return live.version([live.job_channel(job_id)])


def facts(
    job_id: Any, version: int, load: Callable[[], tuple[ProductionJob, list[Any]]]
) -> tuple[ProductionJob, list[Any]]:
    """The job and its open requests at this version: `load` reads them (with the caller's
    tenant check) for the first viewer; the others get its copy and check tenancy themselves."""
    return _shared(f"live-facts:{job_id}:{version}" if version else "", load)


def fragment(
    request: HttpRequest,
    job: ProductionJob,
    version: int,
    view: str,
    context: Callable[[], dict[str, Any]],
) -> tuple[str, str]:
    """The fragment's HTML for this person and the pipeline signature it shows.

    `context` builds the full template context; it is called only when no reusable render
    exists (Redis not answering means no reuse: every request renders).
    """

    def render() -> tuple[str, str]:
        built = context()
        html = render_to_string(TEMPLATE, {**built, "csrf_token": CSRF_SLOT})
        return html, built["pipeline"].signature

    html, signature = _shared(_key(job, version, view) if version else "", render)
    return html.replace(CSRF_SLOT, get_token(request)), signature


def _shared(key: str, build: Callable[[], Any]) -> Any:
    """What is stored under `key`, built by the first to ask while the others wait for it.

    Everyone watching a job asks at once after a notice: one reads and renders, the rest wait
    for its result rather than do the same work side by side. No key (no version), or Redis
    not answering, means every caller builds its own.
    """
    found = _cached(key)
    if found is None and key and not _claim(key):
        found = _wait_for(key)
    if found is not None:
        return found
    try:
        found = build()
    except BaseException:
        _give_up(key)  # e.g. the tenant check refused this caller: the others go on at once
        raise
    if key:
        with suppress(redis.RedisError):  # unsaved: the next caller builds it again
            stored = live.redis_client().pipeline(transaction=False)
            stored.set(key, pickle.dumps(found), ex=SECONDS)
            stored.publish(_announcements(key), "1")
            stored.execute()
    return found


def _claim(key: str) -> bool:
    """Whether this caller builds the value (the first to ask); True without Redis."""
    try:
        return bool(
            live.redis_client().set(f"{key}:building", 1, nx=True, px=int(CLAIM_SECONDS * 1000))
        )
    except redis.RedisError:
        return True


def _give_up(key: str) -> None:
    if not key:
        return
    with suppress(redis.RedisError):
        live.redis_client().delete(f"{key}:building")
        live.publish(_announcements(key), "0")


def _announcements(key: str) -> str:
    return f"{live.channel_prefix()}built:{key}"


def _wait_for(key: str) -> Any:
    """Another caller builds this value: its result, or None if it gave up or takes too long.

    The builder announces it on a live channel, which wakes the waiters in every web process
    at once; asking Redis every few milliseconds instead cost more CPU than the render.
    """
    deadline = time.monotonic() + CLAIM_SECONDS
    with HUB.listening(_announcements(key)) as announced:
        while (left := deadline - time.monotonic()) > 0:
            found = _cached(key)
            if found is not None:
                return found
            try:
                announced.get(timeout=min(left, RECHECK_SECONDS))
            except queue.Empty:
                continue
            return _cached(key)  # stored, or given up on: then the caller builds it
    return _cached(key)


def _cached(key: str) -> Any:
    # Straight through the live client: Django's cache API builds a new Redis client object
    # for every call, which cost more than the reads themselves here.
    if not key:
        return None
    try:
        stored = live.redis_client().get(key)
    except redis.RedisError:
        return None
    return None if stored is None else pickle.loads(stored)
