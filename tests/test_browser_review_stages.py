"""A two-stage review in a real Chromium: the owner sets up Editor (any reviewer) then Legal
(all of its two lawyers) on the settings page, an error shown at its field first; the editor
approves, Legal sees the work next, the first lawyer's approval is counted and the stage waits
for the second, whose approval delivers the job."""

from __future__ import annotations

import os
import re

import pytest

from approvals import services
from approvals.models import ReviewStage
from jobs.models import ProductionJob
from tests.browser import assert_accessible, docs_screenshot, requires_chromium, sign_in
from tests.factories import PASSWORD, make_user, produce

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), requires_chromium]


@pytest.fixture(autouse=True)
def _queues(clean_queues):
    return clean_queues


def new_page(chromium):  # noqa: ANN001, ANN201 - Playwright objects
    page = chromium.new_context(viewport={"width": 1366, "height": 900}).new_page()
    page.set_default_timeout(15_000)
    return page


def test_editor_then_legal_in_order_and_the_job_is_delivered(
    page, chromium, live_server, acme, alice, rita, olga
):
    lee = make_user("lee", acme, "member", first_name="Lee", last_name="Park")
    lin = make_user("lin", acme, "member", first_name="Lin", last_name="Chen")

    # The owner sets the stages up; a taken position is refused at its field.
    sign_in(page, live_server.url, "olga", PASSWORD)
    page.goto(f"{live_server.url}/reviews/")
    page.click("text=Review stages: Acme Outdoor >> a")
    page.wait_for_url(re.compile(r".*/reviews/clients/acme/stages/$"))
    page.fill("#id_name", "Editor")
    page.fill("#id_position", "1")
    page.click("button:has-text('Add the stage')")
    page.wait_for_selector("text=Stage 1: Editor")
    page.fill("#id_name", "Legal")
    page.fill("#id_position", "1")
    page.click("button:has-text('Add the stage')")
    error = page.locator("#id_position-error")
    assert "“Editor” already" in error.inner_text()
    page.fill("#id_position", "2")
    page.check(f"input[name=members][value='{lee.pk}']")
    page.check(f"input[name=members][value='{lin.pk}']")
    page.select_option("#id_rule", "all")
    page.fill("#id_due_hours", "8")
    page.click("button:has-text('Add the stage')")
    page.wait_for_selector("text=Stage 2: Legal")
    stages = page.locator(".stage-list").inner_text()
    assert "Lin Chen, Lee Park only" in stages or "Lee Park, Lin Chen only" in stages
    assert "All of them approve · due within 8 h" in stages
    assert_accessible(page)
    docs_screenshot(page, "review-stages-settings")
    assert [s.name for s in ReviewStage.objects.filter(client=acme)] == ["Editor", "Legal"]

    job = produce(acme, title="Cold brew launch post", user=alice)
    assert services.pending_request_for(job).stage_label == "Stage 1 of 2: Editor"

    # The editor decides stage 1 from the queue.
    editor = new_page(chromium)
    sign_in(editor, live_server.url, "rita", PASSWORD)
    editor.goto(f"{live_server.url}/reviews/")
    row = editor.locator("tr.queue-row", has_text="Cold brew launch post")
    assert "Stage 1 of 2: Editor" in row.inner_text()
    row.locator("a").first.click()
    editor.wait_for_selector("#decision")
    assert "Stage 1 of 2: Editor" in editor.locator(".review-summary").inner_text()
    editor.check("input[name=decision][value=approve]")
    editor.click("#decision button[type=submit]")
    editor.wait_for_url(re.compile(r".*/reviews/(#decision)?$"))
    assert "Cold brew launch post" not in editor.locator("#queue-rows").inner_text()
    job.refresh_from_db()
    assert job.status == "review"

    # The member's job page says where the review is.
    member = new_page(chromium)
    sign_in(member, live_server.url, "alice", PASSWORD)
    member.goto(f"{live_server.url}/jobs/{job.pk}/")
    assert "Stage 2 of 2: Legal." in member.locator("#job-header").inner_text()
    docs_screenshot(member, "review-stages-job-page", full_page=False)

    # Legal sees it next: the first lawyer's approval is counted, and the stage waits.
    legal = new_page(chromium)
    sign_in(legal, live_server.url, "lee", PASSWORD)
    legal.goto(f"{live_server.url}/reviews/")
    row = legal.locator("tr.queue-row", has_text="Cold brew launch post")
    assert "Stage 2 of 2: Legal" in row.inner_text()
    assert_accessible(legal)
    docs_screenshot(legal, "review-stages-queue", full_page=False)
    row.locator("a").first.click()
    legal.wait_for_selector("#decision")
    assert "Legal needs 2 approvals." in legal.locator(".stage-progress").inner_text()
    legal.check("input[name=decision][value=approve]")
    legal.click("#decision button[type=submit]")
    legal.wait_for_url(re.compile(r".*/reviews/(#decision)?$"))
    assert "1 of 2 approvals (Lee Park); waiting for Lin Chen" in legal.inner_text("body")
    job.refresh_from_db()
    assert job.status == "review"
    member.goto(f"{live_server.url}/jobs/{job.pk}/")
    assert "waiting for Lin Chen" in member.locator("#job-header").inner_text()

    # The second lawyer's approval passes the stage and delivers the job.
    second = new_page(chromium)
    sign_in(second, live_server.url, "lin", PASSWORD)
    second.goto(f"{live_server.url}/reviews/")
    second.locator("tr.queue-row", has_text="Cold brew launch post").locator("a").first.click()
    second.wait_for_selector("#decision")
    assert "1 of 2 approvals (Lee Park)" in second.locator(".stage-progress").inner_text()
    docs_screenshot(second, "review-stages-all-of-legal", full_page=False)
    second.check("input[name=decision][value=approve]")
    second.click("#decision button[type=submit]")
    second.wait_for_url(re.compile(r".*/reviews/(#decision)?$"))

    job = ProductionJob.objects.get(pk=job.pk)
    assert job.status == "completed"
    member.goto(f"{live_server.url}/jobs/{job.pk}/")
    assert "Completed" in member.locator("#job-header").inner_text()
    for other in (editor, member, legal, second):
        other.context.close()


def test_legal_beside_brand_then_the_founders_sign_off(
    page, chromium, live_server, acme, alice, olga
):
    lee = make_user("lee", acme, "member", first_name="Lee", last_name="Park")
    bea = make_user("bea", acme, "member", first_name="Bea", last_name="Ortiz")

    # The owner makes Lee the client's Legal counsel, sets up Legal (by that role) and Brand at
    # the same time, then a sign-off of all work.
    sign_in(page, live_server.url, "olga", PASSWORD)
    page.goto(f"{live_server.url}/reviews/clients/acme/stages/")
    page.fill("#id_role_name", "Legal counsel")
    page.check(f"input[name=role_members][value='{lee.pk}']")
    page.click("button:has-text('Add the role')")
    page.wait_for_selector("text=Approver role “Legal counsel” added.")
    page.fill("#id_name", "Legal")
    page.fill("#id_position", "1")
    page.select_option("#id_approver_role", label="Legal counsel")
    page.click("button:has-text('Add the stage')")
    page.wait_for_selector("text=Stage 1: Legal")
    page.fill("#id_name", "Brand")
    page.fill("#id_position", "2")
    page.check(f"input[name=members][value='{bea.pk}']")
    page.check("#id_with_previous")
    page.click("button:has-text('Add the stage')")
    page.wait_for_selector("text=Stage 2: Brand")
    page.fill("#id_name", "Founder sign-off")
    page.fill("#id_position", "3")
    page.select_option("#id_kind", "signoff_all")
    page.check(f"input[name=members][value='{olga.pk}']")
    page.click("button:has-text('Add the stage')")
    page.wait_for_selector("text=Sign-off: Founder sign-off")
    stages = page.locator(".stage-list").inner_text()
    assert "at the same time as the stage before" in stages
    assert "decided by any Legal counsel" in stages
    assert "Owner sign-off of all work" in stages
    assert_accessible(page)
    docs_screenshot(page, "review-stages-parallel-settings")

    job = produce(acme, title="Cold brew price list", user=alice)

    # The member's job page lists both stages open at once.
    member = new_page(chromium)
    sign_in(member, live_server.url, "alice", PASSWORD)
    member.goto(f"{live_server.url}/jobs/{job.pk}/")
    header = member.locator("#job-header").inner_text()
    assert "2 review stages are open at the same time" in header
    assert "Stage 1 of 2: Legal: decided by Lee Park" in header
    assert "Stage 2 of 2: Brand: decided by Bea Ortiz" in header
    assert_accessible(member)
    docs_screenshot(member, "review-stages-parallel-job-page", full_page=False)

    # Legal approves from the queue; the work waits for Brand.
    legal = new_page(chromium)
    sign_in(legal, live_server.url, "lee", PASSWORD)
    legal.goto(f"{live_server.url}/reviews/")
    legal.locator("tr.queue-row", has_text="Cold brew price list").locator("a").first.click()
    legal.wait_for_selector("#decision")
    legal.check("input[name=decision][value=approve]")
    legal.click("#decision button[type=submit]")
    legal.wait_for_url(re.compile(r".*/reviews/(#decision)?$"))
    job.refresh_from_db()
    assert job.status == "review"

    # Brand decides its own stage on the job page.
    brand = new_page(chromium)
    sign_in(brand, live_server.url, "bea", PASSWORD)
    brand.goto(f"{live_server.url}/jobs/{job.pk}/")
    decision = brand.locator(".decision")
    assert "Stage 2 of 2: Brand" in decision.inner_text()
    decision.locator("button:has-text('Approve')").click()
    brand.wait_for_selector("text=Waiting for an owner's sign-off")
    job.refresh_from_db()
    assert job.status == "approved"

    # The founder signs it off and it completes.
    page.goto(f"{live_server.url}/jobs/{job.pk}/")
    signoff = page.locator(".decision")
    assert "owner sign-off" in signoff.inner_text()
    assert "Founder sign-off" in signoff.inner_text()
    signoff.locator("button:has-text('Approve')").click()
    page.wait_for_selector("#job-header :text('Completed')")
    assert ProductionJob.objects.get(pk=job.pk).status == "completed"
    for other in (member, legal, brand):
        other.context.close()
