"""The dashboard's job list: what it shows, rendered once per version and shared.

Everyone on one client's dashboard sees the same list after a change, and while jobs run a
client's jobs change several times a second. The list depends on whose jobs it lists (the
chosen client, or all of the viewer's clients; staff see every client's), the filters and the
page, and on nothing else about the viewer: it has no form and no token. So it is rendered
once per those and the dashboard's version (the notice counts of its clients' channels) by
the first viewer to ask, and the others get that render (dashboards.live_shared). The key
holds the exact set of clients the viewer may see, read from their own memberships, so a
render is only ever reused by someone allowed to see every row in it.
"""

from __future__ import annotations

import hashlib
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse

from dashboards import selectors, switcher
from dashboards.live_shared import shared
from jobs import live
from jobs.job_types.choices import job_type_choices
from jobs.models import Priority, Status
from production.input_safety import positive_int, storable_text
from production.tenancy import client_ids_for

TEMPLATE = "dashboards/_job_list.html"
PAGE_SIZE = 25


def channels(request: HttpRequest) -> list[str]:
    """The live channels of the clients the dashboard lists."""
    return [live.client_channel(c) for c in switcher.dashboard_client_ids(request)]


def _filters(request: HttpRequest) -> selectors.JobFilters:
    query = request.GET.copy()
    # A search term is only compared, never stored: drop what the database cannot compare.
    query["q"] = storable_text(query.get("q") or "")
    return selectors.JobFilters.from_query(query)


def list_context(request: HttpRequest, version: int | None = None) -> dict[str, Any]:
    """Status cards, rows and paging for this request's client choice, filters and page.

    `version` is the dashboard's version read before the rows: the page compares it with its
    stream's, so it must never claim a change the rows do not show yet.
    """
    if version is None:
        version = live.version(channels(request))
    client_id = switcher.current_client_id(request)
    filters = _filters(request)
    paginator = Paginator(selectors.job_list(request.user, client_id, filters), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    jobs = list(page.object_list)
    # The cards count what the other filters let through, so a card never promises rows
    # that clicking it would not show.
    counts = selectors.status_counts(request.user, client_id, filters)
    shown = filters.as_query(page=str(page.number))
    return {
        "filters": filters,
        "page": page,
        "jobs": jobs,
        "counts": counts,
        "total": sum(counts.values()),
        "statuses": Status.choices,
        "job_types": job_type_choices(),
        "priorities": Priority.choices,
        "any_live": any(job.is_live for job in jobs),
        "list_url": reverse("dashboard") + "?" + urlencode(shown),
        # The stream carries this list's new renders (static/js/live.js swaps them in).
        "stream_url": reverse("dashboard_stream") + "?" + urlencode({"fragments": 1, **shown}),
        "live_version": version,
        "current_client_id": client_id,
        "show_client": not client_id,
    }


def _key(request: HttpRequest, version: int) -> str:
    user = request.user
    whose = "staff" if user.is_staff else ",".join(sorted(map(str, client_ids_for(user))))
    shown = urlencode(
        sorted(
            {
                "client": switcher.current_client_id(request),
                "page": str(positive_int(request.GET.get("page")) or 1),
                **_filters(request).as_query(),
            }.items()
        )
    )
    digest = hashlib.sha256(f"{whose}|{shown}".encode()).hexdigest()[:32]
    return f"live-list:{digest}:{version}"


def list_html(request: HttpRequest) -> str:
    """The list fragment for this viewer: shared with everyone who sees the same list at this
    version (rendered for this request alone when Redis cannot give a version)."""
    version = live.version(channels(request))
    key = _key(request, version) if version else ""
    return shared(key, lambda: render_to_string(TEMPLATE, list_context(request, version)))
