"""One render per change for all of a process's open dashboards that show the same list.

Two hundred people on one client's dashboard each held a stream that woke on every notice of
that client, read the version, found the shared render and sent it: while jobs ran, the web
processes spent their CPU waking streams. Here the streams that show one list (a
job_list.ListView) in a process share a feed. The feed alone listens to the list's channels;
on a notice it gets the newest render (job_list.list_render) and hands the finished events to
each of its streams, which only write one. A feed pushes at most every PUSH_SECONDS: the
changes that come meanwhile go out together.

While a client's jobs run, a push changes a few rows of 25 (a progress bar, a status) and
perhaps the cards. Each push is made twice: the whole list, and a patch of the pieces that
changed since the feed's previous push. A stream that sent that previous push sends the patch
(a few kilobytes instead of 27, for the server to write and the browser to swap, and the
rows that did not change keep their focus and selection); any other sends the whole list.

A ListView names the exact clients its viewers may see, so a feed is only ever shared by
viewers allowed to see all of its rows; each stream still checks its own viewer's access
(dashboards.live_push).
"""

from __future__ import annotations

import json
import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection

from dashboards import job_list, live_stream
from dashboards.live_stream import HUB
from jobs import live

log = logging.getLogger(__name__)

PUSH_SECONDS = 0.1
_STOP = object()  # the feed's last stream left


@dataclass(frozen=True)
class ListPush:
    """One push of a list, as a stream may send it."""

    version: int
    whole: str  # the whole list (a "fragment" event)
    base: int | None  # the version of the push before, which the patch applies to
    patch: str | None  # the pieces that changed since then (a "patch" event)

    def event_after(self, sent: int | None) -> str:
        """The event for a stream whose last push sent was version `sent`."""
        if self.patch is not None and sent is not None and sent == self.base:
            return self.patch
        return self.whole


class ListFeed:
    """The streams of one list in this process, and the thread that fills them."""

    def __init__(self, view: job_list.ListView) -> None:
        self.view = view
        self.streams: set[queue.SimpleQueue] = set()
        self.inbox: queue.SimpleQueue | None = None
        self.shown = 0  # the newest version sent
        self.last: job_list.ListRender | None = None  # and its render
        self.listening = threading.Event()
        self.thread = threading.Thread(target=self._run, name="list-feed", daemon=True)

    def start(self) -> None:
        self.thread.start()
        self.listening.wait()

    def stop(self) -> None:
        if self.inbox is not None:
            self.inbox.put(_STOP)

    def _run(self) -> None:
        with HUB.listening(*self.view.channels) as inbox:
            self.inbox = inbox
            self.listening.set()
            pushed = 0.0
            while True:
                came = [inbox.get()]
                time.sleep(max(0.0, pushed + PUSH_SECONDS - time.monotonic()))
                came += live_stream.drain(inbox)
                if not all(isinstance(notice, str) for notice in came):
                    # Its last stream left, or the process is stopping (None): streams end now.
                    self._send(None)
                    return
                pushed = time.monotonic()
                self._push(came)

    def _push(self, notices: list[str]) -> None:
        sent: ListPush | str
        try:
            version = live.version(self.view.channels)
            if version and version <= self.shown:
                return  # an earlier push already showed these changes
            base, before = self.shown, self.last
            self.shown, self.last = job_list.list_render(self.view, version)
            at = [json.loads(notice).get("at") for notice in notices]
            whole = live_stream.event("fragment", json.dumps({"html": self.last.html, "at": at}))
            changes = self.last.changes_since(before) if before is not None else None
            patch = None
            if changes is not None:
                changes.update(version=self.shown, at=at)
                patch = live_stream.event("patch", json.dumps(changes))
            sent = ListPush(self.shown, whole, base, patch)
        except Exception:  # noqa: BLE001 - the pages can still fetch the list themselves
            log.exception("live job list not pushed; its pages fetch it")
            sent = live_stream.event("change", notices[-1])
            self.last = None  # the next push goes out whole
        finally:
            # The feed goes back to waiting: its database connection goes back too.
            connection.close()
        self._send(sent)

    def _send(self, sent: ListPush | str | None) -> None:
        with _lock:
            streams = list(self.streams)
        for stream in streams:
            stream.put(sent)


_lock = threading.Lock()
_feeds: dict[str, ListFeed] = {}


def attach(view: job_list.ListView) -> live_stream.Attach:
    """How a stream of this list joins the process's feed for it (started by the first)."""

    def join(stream: queue.SimpleQueue) -> Callable[[], None]:
        with _lock:
            feed = _feeds.get(view.identity)
            if feed is None:
                feed = _feeds[view.identity] = ListFeed(view)
                feed.start()
            feed.streams.add(stream)

        def leave() -> None:
            with _lock:
                feed.streams.discard(stream)
                if not feed.streams and _feeds.get(view.identity) is feed:
                    del _feeds[view.identity]
                    feed.stop()

        return leave

    return join
