"""A job page's live fragment, rendered once per version of the job and view, then reused.

Every open job page gets this fragment after a change (its stream carries it, or the page
fetches it), so five people watching one job used to render it five times per change. The job
channel's notice count (jobs.live.version) names the version: any change a page could show
sends a notice, so a fragment stored under the current count is what a fresh render would
give. Each viewer's job still goes through the tenant check, and what this person may do
(their role, the request they decide) is worked out per viewer: people who may do different
things get different fragments. What that needs of the database, the job and its open
requests, is read once per version too (`facts`); each viewer's tenant check then runs
against their own memberships. The CSRF token is the only per-person text in the HTML: it is
rendered as a slot and filled per viewer. Sharing between processes: dashboards.live_shared."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import render_to_string

from dashboards.live_shared import shared
from jobs import live
from jobs.models import ProductionJob

TEMPLATE = "dashboards/_job_live.html"
# Rendered where {% csrf_token %} puts the token; replaced by the viewer's own token.
CSRF_SLOT = "live-fragment-csrf-slot"


def view_key(allowed: frozenset[str], decides: Any) -> str:
    """What differs between people looking at the same version: the actions offered and the
    request whose form they see."""
    return ",".join(sorted(allowed)) + f"|{decides or ''}"


def _key(job: ProductionJob, version: int, view: str) -> str:
    # The creation time tells apart jobs that reuse an id (a database created again).
    return f"live-fragment:{job.pk}:{job.created_at.timestamp():.6f}:{version}:{view}"


def version_of(job_id: Any) -> int:
    """The job's version now (0 when Redis cannot say: nothing is reused)."""
    return live.version([live.job_channel(job_id)])


def facts(
    job_id: Any, version: int, load: Callable[[], tuple[ProductionJob, list[Any]]]
) -> tuple[ProductionJob, list[Any]]:
    """The job and its open requests at this version: `load` reads them (with the caller's
    tenant check) for the first viewer; the others get its copy and check tenancy themselves."""
    return shared(f"live-facts:{job_id}:{version}" if version else "", load)


def fragment(
    request: HttpRequest,
    job: ProductionJob,
    version: int,
    view: str,
    context: Callable[[], dict[str, Any]],
) -> tuple[str, str]:
    """The fragment's HTML for this person and the pipeline signature it shows.

    `context` builds the full template context; it is called only when no reusable render
    exists (Redis not answering means no reuse: every request renders).
    """

    def render() -> tuple[str, str]:
        built = context()
        html = render_to_string(TEMPLATE, {**built, "csrf_token": CSRF_SLOT})
        return html, built["pipeline"].signature

    html, signature = shared(_key(job, version, view) if version else "", render)
    return html.replace(CSRF_SLOT, get_token(request)), signature
