"""One render per change for all of a process's open dashboards that show the same list.

Two hundred people on one client's dashboard each held a stream that woke on every notice of
that client, read the version, found the shared render and sent it: while jobs ran, the web
processes spent their CPU waking streams. Here the streams that show one list (a
job_list.ListView) in a process share a feed. The feed alone listens to the list's channels;
on a notice it gets the newest render (job_list.list_render) and hands the finished event to
each of its streams, which only write it. A feed pushes at most every PUSH_SECONDS: the
changes that come meanwhile go out together.

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

from django.db import connection

from dashboards import job_list, live_stream
from dashboards.live_stream import HUB
from jobs import live

log = logging.getLogger(__name__)

PUSH_SECONDS = 0.1
_STOP = object()  # the feed's last stream left


class ListFeed:
    """The streams of one list in this process, and the thread that fills them."""

    def __init__(self, view: job_list.ListView) -> None:
        self.view = view
        self.streams: set[queue.SimpleQueue] = set()
        self.inbox: queue.SimpleQueue | None = None
        self.shown = 0  # the newest version sent
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
        try:
            version = live.version(self.view.channels)
            if version and version <= self.shown:
                return  # an earlier push already showed these changes
            self.shown, html = job_list.list_render(self.view, version)
            at = [json.loads(notice).get("at") for notice in notices]
            sent = live_stream.event("fragment", json.dumps({"html": html, "at": at}))
        except Exception:  # noqa: BLE001 - the pages can still fetch the list themselves
            log.exception("live job list not pushed; its pages fetch it")
            sent = live_stream.event("change", notices[-1])
        finally:
            # The feed goes back to waiting: its database connection goes back too.
            connection.close()
        self._send(sent)

    def _send(self, sent: str | None) -> None:
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
