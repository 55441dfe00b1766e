"""Streams that carry a page's new fragment, not only word of a change.

A page that only hears "changed" then fetches its fragment: a whole request per viewer
(session, user, tenant scope, caches) for every burst of changes. When a batch of jobs is
queued at once and 200 people are watching, those requests, not the renders, are what
queue. The stream already knows who is watching, so on a notice it builds this viewer's
fragment the way the fetch does, with the same tenant check and one render per version
shared by every viewer (views.live_fragment_html), and sends it. A dashboard's stream is sent
its list by the feed its process keeps for that list (dashboards.list_feeds).

Access is checked when the stream opens, as on the page; the viewer's memberships are read
again within ACCESS_RECHECK_SECONDS of the last reading (Recheck: before a job page's next
push, after a dashboard's push), so a removed member stops receiving within that time; and
the stream ends every LIVE_STREAM_SECONDS to reconnect through sign-in.
"""

from __future__ import annotations

import json
import logging
import random
import time
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from dashboards import job_list, list_feeds, live_stream, selectors
from dashboards.views import live_fragment_html
from jobs import live
from production import tenancy, tenant_scope

log = logging.getLogger(__name__)

ACCESS_RECHECK_SECONDS = 5.0


class Recheck:
    """When a stream reads its viewer's memberships again: within ACCESS_RECHECK_SECONDS of
    the last time, at a random point of the second half. Streams opened together (a page many
    people reload, a client's team after a deploy) otherwise all read at the same push: 70
    reads at once in a process queued for its database connections, and held that push back
    on every one of those streams for 170-300 ms."""

    def __init__(self) -> None:
        self._schedule()

    def _schedule(self) -> None:
        self.due = time.monotonic() + ACCESS_RECHECK_SECONDS * random.uniform(0.5, 1.0)

    def now(self) -> bool:
        """Whether it is time; if so, the next one is scheduled."""
        if time.monotonic() < self.due:
            return False
        self._schedule()
        return True


class JobPusher:
    """Turns a job's notices into the viewer's fragment, as a "fragment" event; "outputs" says
    the page should reload its outputs."""

    def __init__(self, request: HttpRequest, job_id: Any, seen: str | None) -> None:
        self.request = request
        self.job_id = job_id
        self.seen = seen  # the pipeline signature the page shows: outputs reload on a change
        self.recheck = Recheck()

    def __call__(self, notices: list[str]) -> str | None:
        user = self.request.user
        if self.recheck.now():
            tenancy.forget(user)
        try:
            with tenant_scope.for_user(user):
                html, signature = live_fragment_html(self.request, self.job_id)
        except Http404:
            return None  # no longer theirs to see: the stream ends
        except Exception:  # noqa: BLE001 - the page can still fetch the fragment itself
            log.exception("live fragment for job %s not pushed; the page fetches it", self.job_id)
            return live_stream.event("change", notices[-1])
        finally:
            # The stream goes back to waiting: its database connection goes back too.
            if not connection.in_atomic_block:
                connection.close()
        outputs = self.seen is not None and signature != self.seen
        self.seen = signature
        at = [json.loads(notice).get("at") for notice in notices]
        return live_stream.event(
            "fragment", json.dumps({"html": html, "outputs": outputs, "at": at})
        )


class ListSender:
    """A dashboard stream's part of its feed's pushes (dashboards.list_feeds): each push as a
    patch when this stream sent the push before it, else whole; and, between pushes, its own
    check that its viewer may still see the list. When their clients changed, the stream
    ends, and the page reconnects to the list it may now see. The check comes after a push
    rather than before the next: read while a push waited, it held that push back on every
    stream that was due, by 20-300 ms with a busy database."""

    def __init__(self, request: HttpRequest, view: job_list.ListView) -> None:
        self.request = request
        self.view = view
        self.recheck = Recheck()
        self.sent: int | None = None  # the version of the last push this stream sent

    def __call__(self, pushes: list[list_feeds.ListPush | str]) -> str:
        events = []
        for push in pushes:
            if isinstance(push, str):  # a notice: the page fetches the list itself
                events.append(push)
                self.sent = None
            else:
                events.append(push.event_after(self.sent))
                self.sent = push.version
        return "".join(events)

    def still_allowed(self) -> bool:
        if not self.recheck.now():
            return True
        user = self.request.user
        tenancy.forget(user)
        try:
            with tenant_scope.for_user(user):
                return job_list.ListView.of(self.request) == self.view
        finally:
            if not connection.in_atomic_block:
                connection.close()


@login_required
@require_GET
def job_stream(request: HttpRequest, job_id: object) -> HttpResponse:
    """A job page's stream: its fragments (?fragments=1) or its change notices."""
    if request.GET.get("fragments") != "1":
        return live_stream.job_stream(request, job_id)
    job = selectors.scoped_job(request.user, job_id)
    pusher = JobPusher(request, job.pk, request.GET.get("seen"))
    return live_stream.stream_response([live.job_channel(job.pk)], pusher)


@login_required
@require_GET
def dashboard_stream(request: HttpRequest) -> HttpResponse:
    """The dashboard's stream: its list's renders (?fragments=1, with the list's filters and
    page) or its change notices."""
    if request.GET.get("fragments") != "1":
        return live_stream.dashboard_stream(request)
    view = job_list.ListView.of(request)
    sender = ListSender(request, view)
    return live_stream.stream_response(
        view.channels, sender, attach=list_feeds.attach(view), between=sender.still_allowed
    )
