"""Values built once and shared by every web process: what open pages show after a change.

Everyone watching a page asks at once after a notice. The first to ask a key claims it and
builds the value; the others wait for its result rather than do the same work side by side.
Keys name a version (a live channel's notice count), so a stored value never goes stale in
what it shows; it lives SECONDS only, so relative times in it ("2 minutes ago") are never far
behind. No key, or Redis not answering, means every caller builds its own.

Within a process, the streams one notice wakes (dozens on a busy dashboard) ask for the same
key together: one of them asks Redis and the others take its answer, which the process keeps
for LOCAL_SECONDS. Asking Redis once per stream queued them all on the connection pool.
"""

from __future__ import annotations

import pickle
import queue
import threading
import time
from collections.abc import Callable
from contextlib import suppress
from typing import Any

import redis

from dashboards.live_stream import HUB
from jobs import live

SECONDS = 15
# How long the others wait for the one building a value before building it themselves.
CLAIM_SECONDS = 1.0
# The builder announces its result; a waiter that missed the announcement looks this often.
RECHECK_SECONDS = 0.1
# How long a process keeps a value it got: long enough for one notice's burst of streams.
LOCAL_SECONDS = 2.0
LOCAL_ENTRIES = 256


class InProcess:
    """The values this process got lately, and the keys one of its threads is asking for."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.values: dict[str, tuple[float, Any]] = {}
        self.asking: dict[str, threading.Event] = {}

    def get(
        self, key: str, ask: Callable[[], Any], good: Callable[[Any], bool] = lambda _: True
    ) -> Any:
        """The value kept under `key` if `good` accepts it; else what `ask` gets, asked by one
        thread at a time (the others wait for it, then look again)."""
        while True:
            with self.lock:
                kept = self.values.get(key)
                if kept is not None and kept[0] > time.monotonic() and good(kept[1]):
                    return kept[1]
                asked = self.asking.get(key)
                if asked is None:
                    asked = self.asking[key] = threading.Event()
                    break
            # Another thread asks: its answer, or (it failed) this thread asks next.
            asked.wait(CLAIM_SECONDS * 2)
        try:
            value = ask()
            with self.lock:
                self._keep(key, value)
            return value
        finally:
            with self.lock:
                del self.asking[key]
            asked.set()

    def _keep(self, key: str, value: Any) -> None:
        now = time.monotonic()
        if len(self.values) >= LOCAL_ENTRIES:
            self.values = {k: kept for k, kept in self.values.items() if kept[0] > now}
        self.values[key] = (now + LOCAL_SECONDS, value)


_RECENT = InProcess()


def shared(key: str, build: Callable[[], Any]) -> Any:
    """What is stored under `key`, built by the first to ask in any process while the others
    wait for it (no key: built for this caller alone)."""
    if not key:
        return build()
    return _RECENT.get(key, lambda: between_processes(key, build))


def between_processes(key: str, build: Callable[[], Any]) -> Any:
    """What Redis holds under `key`, built by the first caller to ask while the others (in
    this process or any other) wait for it."""
    found = cached(key)
    if found is None and key and not claim(key):
        found = wait_for(key)
    if found is not None:
        return found
    try:
        found = build()
    except BaseException:
        give_up(key)  # e.g. the tenant check refused this caller: the others go on at once
        raise
    if key:
        with suppress(redis.RedisError):  # unsaved: the next caller builds it again
            stored = live.redis_client().pipeline(transaction=False)
            stored.set(key, pickle.dumps(found), ex=SECONDS)
            stored.publish(announcements(key), "1")
            stored.execute()
    return found


def claim(key: str) -> bool:
    """Whether this caller builds the value (the first to ask); True without Redis."""
    try:
        return bool(
            live.redis_client().set(f"{key}:building", 1, nx=True, px=int(CLAIM_SECONDS * 1000))
        )
    except redis.RedisError:
        return True


def give_up(key: str) -> None:
    """The claim's holder failed: the others go on without waiting out the claim."""
    if not key:
        return
    with suppress(redis.RedisError):
        live.redis_client().delete(f"{key}:building")
        live.publish(announcements(key), "0")


def announcements(key: str) -> str:
    """Where a builder says it stored (or gave up on) the value under `key`."""
    return f"{live.channel_prefix()}built:{key}"


def wait_for(key: str) -> Any:
    """Another caller builds this value: its result, or None if it gave up or takes too long.

    The builder announces it on a live channel, which wakes the waiters in every web process
    at once; asking Redis every few milliseconds instead cost more CPU than the build.
    """
    deadline = time.monotonic() + CLAIM_SECONDS
    with HUB.listening(announcements(key)) as announced:
        while (left := deadline - time.monotonic()) > 0:
            found = cached(key)
            if found is not None:
                return found
            try:
                announced.get(timeout=min(left, RECHECK_SECONDS))
            except queue.Empty:
                continue
            return cached(key)  # stored, or given up on: then the caller builds it
    return cached(key)


def cached(key: str) -> Any:
    """What Redis holds under `key` (None: nothing, or Redis not answering)."""
    # Straight through the live client: Django's cache API builds a new Redis client object
    # for every call, which cost more than the reads themselves here.
    if not key:
        return None
    try:
        stored = live.redis_client().get(key)
    except redis.RedisError:
        return None
    return None if stored is None else pickle.loads(stored)
