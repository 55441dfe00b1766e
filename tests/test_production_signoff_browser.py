"""The budget sign-off on a production's page, in a real Chromium: the estimate per step and
the owner's two buttons; the screenshot is kept under docs/screenshots/."""

from __future__ import annotations

import os

import pytest

from jobs.workflows.production.seeds import seed_workflows
from jobs.workflows.production.services import start_production
from tests.browser import ROOT, requires_chromium, sign_in
from tests.factories import PASSWORD

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), requires_chromium]
DOCS = ROOT / "docs" / "screenshots"
BRIEF = (
    "Campaign for the Ridgeline 40 hiking pack, for weekend hikers aged 25-45. Its frame "
    "adjusts in ten seconds. Recycled fabric, repairable buckles. Bold, warm."
)


def test_an_owner_signs_off_a_production_over_its_budget(live_server, page, acme, olga, media_root):
    from playwright.sync_api import expect

    seed_workflows()
    job = start_production(
        client=acme, user=olga, workflow="advertising", brief={"brief": BRIEF, "budget_usd": 25}
    )
    sign_in(page, live_server.url, "olga", PASSWORD)
    page.set_viewport_size({"width": 1366, "height": 1100})
    page.goto(f"{live_server.url}/jobs/{job.pk}/")
    panel = page.locator("#budget-signoff")
    expect(panel).to_contain_text("Waiting for an owner")
    expect(panel).to_contain_text("over this production's $25.00 budget")
    expect(panel.locator("tbody tr")).to_have_count(9)
    expect(panel.locator('tr[data-step="concepts"]')).to_contain_text("$80.00")
    panel.scroll_into_view_if_needed()
    DOCS.mkdir(parents=True, exist_ok=True)
    panel.screenshot(path=str(DOCS / "production-budget-signoff.png"))
    panel.get_by_role("button", name="Sign off and start").click()
    expect(page.locator(".messages")).to_contain_text("Signed off: the production starts now.")
    expect(page.locator("#budget-signoff")).to_contain_text("Signed off by olga")


def test_a_second_owner_watching_sees_the_signoff_made_elsewhere(
    live_server, page, acme, olga, media_root
):
    from playwright.sync_api import expect

    from approvals.models import ApprovalRequest
    from jobs.workflows.production.services import decide_gate
    from tests.factories import make_user

    seed_workflows()
    job = start_production(
        client=acme, user=olga, workflow="advertising", brief={"brief": BRIEF, "budget_usd": 25}
    )
    make_user("owen", acme, "owner")
    sign_in(page, live_server.url, "owen", PASSWORD)
    page.goto(f"{live_server.url}/jobs/{job.pk}/")
    panel = page.locator("#budget-signoff")
    expect(panel.get_by_role("button", name="Sign off and start")).to_be_visible()

    request = ApprovalRequest.objects.get(job=job, gate="budget")
    decide_gate(request_id=request.pk, user=olga, approve=True)
    expect(panel).to_contain_text("Signed off by olga", timeout=5000)
    expect(panel.get_by_role("button", name="Sign off and start")).to_have_count(0)
