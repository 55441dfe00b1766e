"""Streams that carry a page's new fragment, not only word of a change.

A page that only hears "changed" then fetches its fragment: a whole request per viewer
(session, user, tenant scope, caches) for every burst of changes. When a batch of jobs is
queued at once and 200 people are watching, those requests, not the renders, are what
queue. The stream already knows who is watching, so on a notice it builds this viewer's
fragment the way the fetch does, with the same tenant check and one render per version
shared by every viewer (a job page: views.live_fragment_html; the dashboard's list:
job_list.list_html), and sends it.

Access is checked when the stream opens, as on the page; the viewer's memberships are read
again at most every ACCESS_RECHECK_SECONDS, so a removed member stops receiving within that
time; and the stream ends every LIVE_STREAM_SECONDS to reconnect through sign-in.
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from dashboards import job_list, live_stream, selectors
from dashboards.views import live_fragment_html
from jobs import live
from production import tenancy, tenant_scope

log = logging.getLogger(__name__)

ACCESS_RECHECK_SECONDS = 5.0


class FragmentPusher:
    """Turns a page's notices into the viewer's new fragment, as a "fragment" event."""

    def __init__(self, request: HttpRequest) -> None:
        self.request = request
        self.checked = time.monotonic()

    def fragment(self) -> dict[str, Any] | None:
        """The event's data: the fragment's "html" and what else the page needs; None ends
        the stream. Http404 when the viewer may no longer see it."""
        raise NotImplementedError

    def __call__(self, notices: list[str]) -> str | None:
        user = self.request.user
        if time.monotonic() - self.checked >= ACCESS_RECHECK_SECONDS:
            tenancy.forget(user)
            self.checked = time.monotonic()
        try:
            with tenant_scope.for_user(user):
                data = self.fragment()
        except Http404:
            return None  # no longer theirs to see: the stream ends
        except Exception:  # noqa: BLE001 - the page can still fetch the fragment itself
            log.exception("live fragment for %s not pushed; the page fetches it", self.request.path)
            return live_stream.event("change", notices[-1])
        finally:
            # The stream goes back to waiting: its database connection goes back too.
            if not connection.in_atomic_block:
                connection.close()
        if data is None:
            return None
        data["at"] = [json.loads(notice).get("at") for notice in notices]
        return live_stream.event("fragment", json.dumps(data))


class JobPusher(FragmentPusher):
    """A job page's fragment; "outputs" says the page should reload its outputs."""

    def __init__(self, request: HttpRequest, job_id: Any, seen: str | None) -> None:
        super().__init__(request)
        self.job_id = job_id
        self.seen = seen  # the pipeline signature the page shows: outputs reload on a change

    def fragment(self) -> dict[str, Any]:
        html, signature = live_fragment_html(self.request, self.job_id)
        outputs = self.seen is not None and signature != self.seen
        self.seen = signature
        return {"html": html, "outputs": outputs}


class ListPusher(FragmentPusher):
    """The dashboard's job list, for the client choice, filters and page the stream was opened
    with."""

    def __init__(self, request: HttpRequest, listened: list[str]) -> None:
        super().__init__(request)
        self.listened = listened

    def fragment(self) -> dict[str, Any] | None:
        if job_list.channels(self.request) != self.listened:
            # The viewer's clients changed: a new stream listens to the right channels.
            return None
        return {"html": job_list.list_html(self.request)}


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
    listened = job_list.channels(request)
    return live_stream.stream_response(listened, ListPusher(request, listened))
