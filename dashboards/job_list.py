"""The dashboard's job list: which list a viewer sees, and its render, shared by its viewers.

Everyone on one client's dashboard sees the same list after a change, and while jobs run a
client's jobs change several times a second. A list depends on whose jobs it lists (the
chosen client, or all of the viewer's clients; staff see every client's), the filters and the
page, and on nothing else about the viewer: it has no form and no token. That is a ListView,
read from the viewer's own memberships and choices; the list is rendered from the ListView
alone, inside a tenant scope of exactly its clients, so a render is only ever shown to
someone allowed to see every row in it. Its newest render is shared by everyone who asks for
that list, as long as it shows the version each of them has heard of; renders are paced
(dashboards.live_latest).
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse

from dashboards import selectors, switcher
from dashboards.live_latest import newest
from dashboards.templatetags.dashboard import ago
from jobs import live
from jobs.job_types.choices import job_type_choices
from jobs.models import Priority, ProductionJob, Status
from production import tenant_scope
from production.input_safety import positive_int, storable_text
from production.tenancy import client_ids_for

TEMPLATE = "dashboards/_job_list.html"
ROW_TEMPLATE = "dashboards/_job_row.html"
PAGE_SIZE = 25
ROWS_KEPT = 5000


@dataclass(frozen=True)
class ListView:
    """Which list a dashboard shows: whose jobs, which filters, which page."""

    client_ids: tuple[str, ...]  # the clients the viewer may see
    every_client: bool  # staff: every client's jobs
    chosen: str  # one of them, or "" for all
    filters: selectors.JobFilters
    page: int

    @classmethod
    def of(cls, request: HttpRequest) -> ListView:
        query = request.GET.copy()
        # A search term is only compared, never stored: drop what the database cannot compare.
        query["q"] = storable_text(query.get("q") or "")
        return cls(
            client_ids=tuple(sorted(str(pk) for pk in client_ids_for(request.user))),
            every_client=bool(request.user.is_staff),
            chosen=switcher.current_client_id(request),
            filters=selectors.JobFilters.from_query(query),
            page=positive_int(request.GET.get("page")) or 1,
        )

    @property
    def channels(self) -> list[str]:
        """The live channels of the clients listed."""
        return [live.client_channel(c) for c in ([self.chosen] if self.chosen else self.client_ids)]

    @property
    def identity(self) -> str:
        whose = ("staff:" if self.every_client else "") + ",".join(self.client_ids)
        shown = urlencode(sorted({"client": self.chosen, "page": str(self.page)}.items()))
        filters = urlencode(sorted(self.filters.as_query().items()))
        digest = hashlib.sha256(f"{whose}|{shown}|{filters}".encode()).hexdigest()[:32]
        return f"live-list:{digest}"


def list_context(view: ListView, version: int | None = None) -> dict[str, Any]:
    """Status cards, rows and paging of this list.

    `version` is the dashboard's version read before the rows: the page compares it with its
    stream's, so it must never claim a change the rows do not show yet.
    """
    if version is None:
        version = live.version(view.channels)
    filters = view.filters
    jobs = selectors.dashboard_jobs(
        view.client_ids, every_client=view.every_client, chosen=view.chosen
    )
    page = Paginator(selectors.job_list(jobs, filters), PAGE_SIZE).get_page(view.page)
    rows = list(page.object_list)
    # The cards count what the other filters let through, so a card never promises rows
    # that clicking it would not show.
    counts = selectors.status_counts(jobs, filters)
    shown = filters.as_query(page=str(page.number))
    return {
        "filters": filters,
        "page": page,
        "jobs": rows,
        "rows": [_row_html(job, show_client=not view.chosen) for job in rows],
        "counts": counts,
        "total": sum(counts.values()),
        "statuses": Status.choices,
        "job_types": job_type_choices(),
        "priorities": Priority.choices,
        "any_live": any(job.is_live for job in rows),
        "list_url": reverse("dashboard") + "?" + urlencode(shown),
        # The stream carries this list's new renders (static/js/live.js swaps them in).
        "stream_url": reverse("dashboard_stream") + "?" + urlencode({"fragments": 1, **shown}),
        "live_version": version,
        "current_client_id": view.chosen,
        "show_client": not view.chosen,
    }


_rows_lock = threading.Lock()
_rows: dict[tuple[Any, ...], str] = {}


def _row_html(job: ProductionJob, *, show_client: bool) -> str:
    """A row of the list. While jobs run, a list is rendered several times a second and most
    of its rows show what they showed before: a row is rendered once per process for the
    values it shows (every one of them is in the key, so a kept row is never out of date)."""
    key = (
        job.pk,
        job.title,
        job.status,
        job.progress,
        job.priority,
        job.job_type,
        job.safety_score,
        job.safety_band,
        job.truth_verified,
        job.created_at,
        ago(job.created_at),
        job.client.name if show_client else None,
    )
    with _rows_lock:
        found = _rows.get(key)
    if found is None:
        found = render_to_string(ROW_TEMPLATE, {"job": job, "show_client": show_client})
        with _rows_lock:
            if len(_rows) >= ROWS_KEPT:
                _rows.clear()
            _rows[key] = found
    return found


def _render(view: ListView) -> tuple[int, str]:
    version = live.version(view.channels)
    # Exactly the list's clients, whoever asked for the render.
    scope = tenant_scope.system() if view.every_client else tenant_scope.clients(view.client_ids)
    with scope:
        return version, render_to_string(TEMPLATE, list_context(view, version))


def list_render(view: ListView, version: int | None = None) -> tuple[int, str]:
    """The list fragment and the version it shows, at least `version` (by default, the
    version now): the newest render of the same list, or a new one."""
    wanted = live.version(view.channels) if version is None else version
    return newest(view.identity, wanted, lambda: _render(view))
