"""Server-sent events for open pages: one Redis subscription per web process, fanned out.

Why threads and not an async view: the web server is gunicorn's gthread worker, and a stream
spends its life blocked on a queue, which costs a thread's stack and no CPU; every other view
stays as it is, with its database connection per thread. A stream gives its database connection
back before it starts waiting, ends after STREAM_SECONDS (the browser reconnects at once and is
told the current version, so nothing is missed in between), and at most LIVE_STREAMS_PER_PROCESS
are open per process; past that the page keeps polling.
"""

from __future__ import annotations

import json
import logging
import queue
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any

import redis
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.views.decorators.http import require_GET

from dashboards import selectors
from dashboards.switcher import dashboard_client_ids
from jobs import live

log = logging.getLogger(__name__)

KEEPALIVE_SECONDS = 10.0
# A dashboard over more clients than this (staff) polls instead of holding that many channels.
MAX_CHANNELS = 50


class Hub:
    """This process's one subscription to every live channel, handed out to open streams."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._listeners: dict[str, set[queue.SimpleQueue]] = defaultdict(set)
        self._thread: threading.Thread | None = None
        self._count = 0
        self.closing = threading.Event()

    @property
    def open_streams(self) -> int:
        return self._count

    def join(self, channels: list[str]) -> queue.SimpleQueue | None:
        """A queue that receives these channels' notices; None when this process is full."""
        with self._lock:
            if self._count >= settings.LIVE_STREAMS_PER_PROCESS:
                return None
            self._count += 1
            inbox: queue.SimpleQueue = queue.SimpleQueue()
            for channel in channels:
                self._listeners[channel].add(inbox)
            self._start_listening()
            return inbox

    @contextmanager
    def listening(self, *channels: str) -> Iterator[queue.SimpleQueue]:
        """An inbox for these channels that is not an open stream (it does not count against
        the limit): a request waiting a moment on another's work, or a feed of streams."""
        inbox: queue.SimpleQueue = queue.SimpleQueue()
        with self._lock:
            for channel in channels:
                self._listeners[channel].add(inbox)
            self._start_listening()
        try:
            yield inbox
        finally:
            with self._lock:
                for channel in channels:
                    self._drop(channel, inbox)

    def _start_listening(self) -> None:
        if self._thread is None or not self._thread.is_alive():
            self._thread = threading.Thread(target=self._listen, name="live-hub", daemon=True)
            self._thread.start()

    def _drop(self, channel: str, inbox: queue.SimpleQueue) -> None:
        self._listeners[channel].discard(inbox)
        if not self._listeners[channel]:
            del self._listeners[channel]

    def leave(self, channels: list[str], inbox: queue.SimpleQueue) -> None:
        with self._lock:
            self._count -= 1
            for channel in channels:
                self._drop(channel, inbox)

    def close(self) -> None:
        """The process is stopping: every stream ends now instead of at its deadline."""
        self.closing.set()
        with self._lock:
            inboxes = {inbox for queues in self._listeners.values() for inbox in queues}
        for inbox in inboxes:
            inbox.put(None)

    def _listen(self) -> None:
        pattern = f"{live.channel_prefix()}*"
        while not self.closing.is_set():
            try:
                subscription = _subscriber().pubsub(ignore_subscribe_messages=True)
                subscription.psubscribe(pattern)
                while not self.closing.is_set():
                    message = subscription.get_message(timeout=1.0)
                    if message is not None and message["type"] == "pmessage":
                        self._deliver(message["channel"].decode(), message["data"].decode())
            except redis.RedisError as exc:
                log.info("live notices paused, Redis unreachable: %s", exc)
                time.sleep(1.0)

    def _deliver(self, channel: str, notice: str) -> None:
        with self._lock:
            queues = list(self._listeners.get(channel, ()))
        for inbox in queues:
            inbox.put(notice)


HUB = Hub()


@cache
def _subscriber() -> redis.Redis:
    return redis.Redis.from_url(settings.REDIS_URL, health_check_interval=30)


def event(name: str, data: str) -> str:
    return f"event: {name}\ndata: {data}\n\n"


# Turns the notices that came together (or what an attached feed put in the inbox) into the
# event a stream sends ("" sends nothing, None ends the stream).
Payload = Callable[[list[Any]], str | None]


def drain(inbox: queue.SimpleQueue) -> list[Any]:
    waiting = []
    while True:
        try:
            waiting.append(inbox.get_nowait())
        except queue.Empty:
            return waiting


# What a stream does after sending, before it waits again (False ends it): work that would
# otherwise hold back the next event, such as reading the viewer's access again.
Between = Callable[[], bool]


def _stream(
    inbox: queue.SimpleQueue,
    hello: str,
    payload: Payload | None,
    leave: Callable[[], None],
    between: Between | None = None,
) -> Iterator[str]:
    try:
        # Reconnect quickly after the deadline; the hello says the version, so a notice sent
        # while reconnecting is never lost.
        yield f"retry: {settings.LIVE_RETRY_MS}\n" + event("hello", hello)
        deadline = time.monotonic() + settings.LIVE_STREAM_SECONDS
        while not HUB.closing.is_set():
            left = deadline - time.monotonic()
            if left <= 0:
                return
            try:
                notice = inbox.get(timeout=min(KEEPALIVE_SECONDS, left))
            except queue.Empty:
                yield ": keepalive\n\n"
                continue
            if notice is None:
                return
            if payload is None:
                yield event("change", notice)
                continue
            # Everything that came meanwhile goes out as one event.
            notices = [notice, *drain(inbox)]
            if None in notices:
                return
            sent = payload(notices)
            if sent is None:
                return
            if sent:
                yield sent
            if between is not None and not between():
                return
    finally:
        leave()


# Hands a stream's inbox to whatever fills it instead of the stream's channels (a feed
# shared by the streams of one page); returns how to take it back.
Attach = Callable[[queue.SimpleQueue], Callable[[], None]]


def stream_response(
    channels: list[str],
    payload: Payload | None = None,
    attach: Attach | None = None,
    between: Between | None = None,
) -> HttpResponse:
    """A stream of these channels' notices, each as a "change" event, or as `payload` makes
    it; with `attach`, of what the attached feed puts in the stream's inbox; with `between`,
    doing that after each event it sent."""
    if not channels or len(channels) > MAX_CHANNELS:
        return HttpResponse("This page refreshes itself instead.", status=204)
    # The database connection goes back before the wait: streams would otherwise hold one each.
    connection.close()
    listened = [] if attach else channels
    inbox = HUB.join(listened)
    if inbox is None:
        # 204 tells EventSource not to reconnect: the page keeps its own polling.
        return HttpResponse(status=204)
    detach = attach(inbox) if attach else None

    def leave() -> None:
        HUB.leave(listened, inbox)
        if detach is not None:
            detach()

    hello = json.dumps({"version": live.version(channels)})
    response = StreamingHttpResponse(
        _stream(inbox, hello, payload, leave, between), content_type="text/event-stream"
    )
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"  # proxies pass each event on at once
    return response


@login_required
@require_GET
def job_stream(request: HttpRequest, job_id: object) -> HttpResponse:
    """Notices for one job, for those who may see it (404 otherwise, as on the page)."""
    job = selectors.scoped_job(request.user, job_id)
    return stream_response([live.job_channel(job.pk)])


@login_required
@require_GET
def dashboard_stream(request: HttpRequest) -> HttpResponse:
    """Notices for the dashboard: the chosen client's jobs, or those of every client shown."""
    return stream_response([live.client_channel(c) for c in dashboard_client_ids(request)])
