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
from django.utils.safestring import SafeString

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
CARDS_TEMPLATE = "dashboards/_status_cards.html"
PAGER_TEMPLATE = "dashboards/_job_pager.html"
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
    pieces = {
        "filters": filters,
        "page": page,
        "counts": counts,
        "total": sum(counts.values()),
        "statuses": Status.choices,
        # What the cards and the pager show, so a page can tell whether it shows them already.
        "cards_rev": _rev(sorted(counts.items()), sorted(filters.as_query().items())),
        "pager_rev": _rev(
            page.number, page.paginator.count, page.paginator.num_pages, sorted(shown.items())
        ),
    }
    return {
        **pieces,
        "jobs": rows,
        "rows": [_row(job, show_client=not view.chosen) for job in rows],
        "cards": render_to_string(CARDS_TEMPLATE, pieces),
        "pager": render_to_string(PAGER_TEMPLATE, pieces) if page.paginator.count else "",
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


def _rev(*values: Any) -> str:
    """A short name for what a piece of the list shows: the same values, the same name, in
    every process."""
    return hashlib.sha256(repr(values).encode()).hexdigest()[:12]


@dataclass(frozen=True)
class Row:
    """A rendered row, and the rev of what it shows; a template prints its html."""

    job: str
    rev: str
    html: SafeString

    def __str__(self) -> str:
        return self.html


_rows_lock = threading.Lock()
_rows: dict[tuple[Any, ...], Row] = {}


def _row(job: ProductionJob, *, show_client: bool) -> Row:
    """A row of the list. While jobs run, a list is rendered several times a second and most
    of its rows show what they showed before: a row is rendered once per process for the
    values it shows (every one of them is in the key, so a kept row is never out of date, and
    the key's rev names it on the page)."""
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
        rev = _rev(*key)
        html = render_to_string(ROW_TEMPLATE, {"job": job, "show_client": show_client, "rev": rev})
        found = Row(str(job.pk), rev, html)
        with _rows_lock:
            if len(_rows) >= ROWS_KEPT:
                _rows.clear()
            _rows[key] = found
    return found


@dataclass(frozen=True)
class ListRender:
    """A render of the list, whole and in the pieces a page can swap one by one."""

    html: str
    rows: tuple[Row, ...]
    cards: tuple[str, str]  # rev, html
    pager: tuple[str, str]  # rev, html ("" with no rows)
    live: bool  # a listed job is active: the list polls faster when its stream is closed

    def changes_since(self, before: ListRender) -> dict[str, Any] | None:
        """What a page showing `before` needs to show this render: the rev of every piece,
        in order, and the html of those that changed (static/js/live.js keeps the rest).
        None when only the whole list will do: no rows, or the list's polling changes."""
        if not (self.rows and before.rows) or self.live != before.live:
            return None
        had = {row.job: row.rev for row in before.rows}
        html = {row.job: row.html for row in self.rows if had.get(row.job) != row.rev}
        for name, (rev, piece) in (("cards", self.cards), ("pager", self.pager)):
            if rev != getattr(before, name)[0]:
                html[name] = piece
        return {
            "rows": [[row.job, row.rev] for row in self.rows],
            "cards": self.cards[0],
            "pager": self.pager[0],
            "html": html,
        }


def _render(view: ListView) -> tuple[int, ListRender]:
    version = live.version(view.channels)
    # Exactly the list's clients, whoever asked for the render.
    scope = tenant_scope.system() if view.every_client else tenant_scope.clients(view.client_ids)
    with scope:
        context = list_context(view, version)
        html = render_to_string(TEMPLATE, context)
    return version, ListRender(
        html=html,
        rows=tuple(context["rows"]),
        cards=(context["cards_rev"], context["cards"]),
        pager=(context["pager_rev"], context["pager"]),
        live=context["any_live"],
    )


def list_render(view: ListView, version: int | None = None) -> tuple[int, ListRender]:
    """The list and the version it shows, at least `version` (by default, the version now):
    the newest render of the same list, or a new one."""
    wanted = live.version(view.channels) if version is None else version
    return newest(view.identity, wanted, lambda: _render(view))
