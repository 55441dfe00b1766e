"""Production pages in a real Chromium: the selector, a film paused at a gate, the metrics panel.

The screenshots are kept under docs/screenshots/.
"""

from __future__ import annotations

import os

import pytest

from approvals.models import ApprovalRequest
from jobs.inline import run_inline
from jobs.workflows.production.seeds import seed_workflows
from jobs.workflows.production.services import decide_gate, start_production
from tests.browser import ROOT, requires_chromium, sign_in
from tests.factories import PASSWORD

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), requires_chromium]
DOCS = ROOT / "docs" / "screenshots"
FILM = (
    "Launch film for the Ridgeline 40 hiking pack: a 30-second spot for weekend hikers aged "
    "25-45. Its frame adjusts in ten seconds. Recycled fabric, repairable buckles. Warm, "
    "cinematic; shot on a mountain trail."
)
SOCIAL = (
    "Autumn posts for the Ridgeline 40 hiking pack on Instagram. Its frame adjusts in ten "
    "seconds. Recycled fabric, repairable buckles."
)


def shoot(page, name: str, *, full_page: bool = True) -> None:
    DOCS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(DOCS / f"{name}.png"), full_page=full_page)


def decide_open_gate(job, user) -> None:
    gate = ApprovalRequest.objects.get(job=job, status="pending")
    decide_gate(request_id=gate.pk, user=user, approve=True)
    run_inline(job.pk)


def test_selector_gate_and_metrics_pages(live_server, page, acme, rita, olga, media_root):
    from playwright.sync_api import expect

    seed_workflows()
    social = start_production(client=acme, user=olga, workflow="social", brief=SOCIAL)
    run_inline(social.pk)
    decide_open_gate(social, olga)
    film = start_production(client=acme, user=rita, workflow="film", brief=FILM)
    run_inline(film.pk)
    decide_open_gate(film, rita)  # the script passes; the method gate waits

    sign_in(page, live_server.url, "rita", PASSWORD)
    page.goto(f"{live_server.url}/productions/new/")
    expect(page.get_by_role("heading", name="Start a production")).to_be_visible()
    expect(page.locator(".workflow-card")).to_have_count(3)
    expect(page.locator("[data-workflow=social] .workflow-estimate")).to_contain_text(
        "past step run"
    )
    shoot(page, "production-selector")

    page.set_viewport_size({"width": 1366, "height": 1500})
    page.goto(f"{live_server.url}/jobs/{film.pk}/")
    waiting = page.locator('.pipeline-step[data-state="waiting"]')
    expect(waiting).to_have_count(1)
    expect(waiting).to_contain_text("Producer confirms the production method")
    expect(waiting).to_contain_text("Decided by Producer")
    expect(page.locator('.pipeline-step[data-step="cd_gate"]')).to_contain_text("Done")
    shoot(page, "production-film-at-gate", full_page=False)
    page.set_viewport_size({"width": 1366, "height": 900})

    page.goto(f"{live_server.url}/productions/metrics/")
    expect(page.locator(".metrics-card")).to_have_count(2)
    expect(page.locator('tr[data-step="script"]')).to_contain_text("100%")
    shoot(page, "production-step-metrics")
    page.locator('tr[data-step="script"] a').click()
    expect(page.get_by_role("heading", name="Runs of “script” in film")).to_be_visible()
