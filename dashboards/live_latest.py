"""The newest render of a page that changes many times a second: shared, and paced.

While jobs run, a client's dashboard changes several times a second. Rendered once per version,
as a job page's fragment is (dashboards.live_shared), its list took most of the web's CPU for
renders that were on screen a few milliseconds. Here a viewer asks for the render "at least as
new as version v", v being the version it read after its notice. The newest stored render
answers when it is that new; otherwise one viewer, in one process, renders again while the
others wait for it. Renders of one list start at least FLOOR_SECONDS apart: changes that come
meanwhile wait for the next render and share it.

A render is stored with the version read before its rows were, so it shows at least that
version. No version (Redis not answering) means the caller renders for itself.
"""

from __future__ import annotations

import pickle
import queue
import time
from collections.abc import Callable
from typing import Any

import redis

from dashboards.live_shared import (
    CLAIM_SECONDS,
    RECHECK_SECONDS,
    SECONDS,
    InProcess,
    announcements,
    cached,
    claim,
    give_up,
)
from dashboards.live_stream import HUB
from jobs import live

# At most twenty renders a second of one list, however fast its jobs change. Half a feed's
# pacing (dashboards.list_feeds.PUSH_SECONDS): each web process's feed asks at moments of its
# own, and at 0.1 s a feed that asked just after another process's render waited up to 0.1 s
# more for the next one (busy dashboards' p95 on SQLite 155-222 ms at 0.1 s, 137-153 at 0.05).
FLOOR_SECONDS = 0.05

# (version, value)
Built = tuple[int, Any]

_KEPT = InProcess()


def newest(identity: str, version: int, build: Callable[[], Built]) -> Built:
    """The newest render of `identity` if it shows `version` or later, else a new one: its
    version and value. `build` reads the version, then renders, and returns both."""
    if not version:
        return build()
    return _KEPT.get(
        identity,
        lambda: _between_processes(identity, version, build),
        good=lambda kept: kept[0] >= version,
    )


def _between_processes(identity: str, version: int, build: Callable[[], Built]) -> Built:
    deadline = time.monotonic() + CLAIM_SECONDS * 2
    with HUB.listening(announcements(identity)) as announced:
        while time.monotonic() < deadline:
            stored = cached(identity)
            if stored is not None and stored[0] >= version:
                return stored[0], stored[2]
            if claim(identity):
                return _render(identity, stored, build)
            try:
                announced.get(timeout=RECHECK_SECONDS)
            except queue.Empty:
                continue
    # No one answered in time: this caller renders for itself.
    return build()


def _render(
    identity: str, stored: tuple[int, float, Any] | None, build: Callable[[], Built]
) -> Built:
    """Render while holding the claim, no sooner than FLOOR_SECONDS after the last render
    started; store it, and tell those waiting."""
    try:
        if stored is not None:
            time.sleep(max(0.0, stored[1] + FLOOR_SECONDS - time.time()))
        started = time.time()
        made = build()
    except BaseException:
        give_up(identity)
        raise
    try:
        pipe = live.redis_client().pipeline(transaction=False)
        pipe.set(identity, pickle.dumps((made[0], started, made[1])), ex=SECONDS)
        pipe.delete(f"{identity}:building")
        pipe.publish(announcements(identity), "1")
        pipe.execute()
    except redis.RedisError:
        give_up(identity)  # unsaved: the next caller renders again
    return made
