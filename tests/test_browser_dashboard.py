"""The dashboard in a real Chromium against a live server and a real RQ worker."""

from __future__ import annotations

import os
import re

import pytest

from jobs.models import ProductionJob, Status
from tests.browser import (
    JOB_URL,
    fill_brief,
    open_new_job_dialog,
    requires_chromium,
    screenshot,
    sign_in,
    wait_for_js,
)
from tests.factories import PASSWORD, make_job

# Playwright's sync API keeps an event loop in this thread; the ORM calls made here are still
# plain blocking calls of the test, so Django may run them.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), requires_chromium]

BRIEFS = {
    "content": {"contentType": "blog_post", "topic": "Trail running for beginners"},
    "visual": {"visualType": "banner", "headline": "Autumn trail days", "sizes": ["1200x628"]},
    "brand": {"brandType": "voice"},
    "social": {"platforms": ["linkedin", "twitter"], "topic": "Our new repair service"},
    "seo": {"seoType": "meta_tags", "topic": "Waterproof hiking boots"},
    "website": {"pageType": "about"},
    "voice": {"scriptType": "intro", "topic": "Who we are", "durationSeconds": "20"},
}
# Waiting for a person, or done: the statuses a freshly produced job settles in.
SETTLED = ("In review", "Approved", "Completed")
LIVE_TIMEOUT = 20_000  # ms; a worker's status change shows within about a second


@pytest.fixture
def worker(media_root, worker_factory):
    """A real worker on the same database and media folder as the live server."""
    return lambda: worker_factory(burst=False)


def create_through_dialog(page, job_type: str, title: str, brief: dict) -> str:
    open_new_job_dialog(page, job_type)
    page.fill("#f-title", title)
    fill_brief(page, brief)
    page.get_by_role("button", name="Create job").click()
    page.wait_for_url(JOB_URL)
    return page.url.rstrip("/").rsplit("/", 1)[-1]


def test_it_creates_a_job_of_every_type_through_the_dialog_and_the_list_goes_live(
    live_server, page, acme, alice, worker
):
    from playwright.sync_api import expect

    worker()
    sign_in(page, live_server.url, "alice", PASSWORD)
    created = {}
    for job_type, brief in BRIEFS.items():
        page.goto(f"{live_server.url}/")
        created[job_type] = create_through_dialog(page, job_type, f"{job_type.title()} job", brief)
        expect(page.locator("#job-title")).to_have_text(f"{job_type.title()} job")
    assert set(ProductionJob.objects.values_list("job_type", flat=True)) == set(BRIEFS)

    page.goto(f"{live_server.url}/")
    page.evaluate("window.notReloaded = true")
    for job_id in created.values():
        pill = page.locator(f"tr[data-job='{job_id}'] .pill")
        expect(pill).to_have_text(re.compile("|".join(SETTLED)), timeout=LIVE_TIMEOUT * 3)
    assert page.evaluate("window.notReloaded") is True  # the rows updated in place
    expect(page.locator("#job-list")).not_to_have_attribute("hx-trigger", "live-change, every 1s")
    screenshot(page, "dashboard")

    # The visual job's page: the fan-out step's item count and the rendered banner, inline.
    page.goto(f"{live_server.url}/jobs/{created['visual']}/")
    render = page.locator("#job-pipeline [data-step='render']")
    expect(render).to_have_attribute("data-state", "done")
    expect(render).to_contain_text("1 of 1 complete")
    image = page.locator("#job-outputs .output-image img")
    expect(image).to_be_visible()
    # Outputs reload when the job's status changes: wait for the image shown now to load.
    loaded = "document.querySelector('#job-outputs .output-image img')"
    wait_for_js(page, f"{loaded}.complete && {loaded}.naturalWidth > 0")
    assert image.evaluate("img => img.naturalWidth") == 1200
    screenshot(page, "job-detail-visual")

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/")
    screenshot(page, "dashboard-phone")
    page.goto(f"{live_server.url}/jobs/{created['visual']}/")
    screenshot(page, "job-detail-phone")


def test_a_job_goes_live_to_review_gets_a_second_revision_and_completes(
    live_server, page, acme, olga, worker
):
    from playwright.sync_api import expect

    # An owner both orders work and reviews it.
    sign_in(page, live_server.url, "olga", PASSWORD)
    job_id = create_through_dialog(
        page,
        "content",
        "Spring trail guide",
        {"contentType": "blog_post", "topic": "Spring trail guide"},
    )
    status = page.locator("#job-header .pill")
    expect(status).to_have_text("Queued")  # no worker yet: the page polls and waits
    expect(page.locator("#job-pipeline [data-step='write']")).to_have_attribute(
        "data-state", "queued"
    )
    screenshot(page, "job-detail-queued")

    page.evaluate("window.notReloaded = true")
    worker()
    expect(status).to_have_text("In review", timeout=LIVE_TIMEOUT)
    expect(page.locator("#job-pipeline [data-step='review']")).to_have_attribute(
        "data-state", "waiting"
    )
    expect(page.locator("#job-poller")).not_to_have_attribute("hx-trigger", "live-change, every 1s")
    assert page.evaluate("window.notReloaded") is True

    # The outputs arrived with the status change: rendered markdown and a download link.
    output = page.locator("#job-outputs .output-markdown").first
    expect(output.locator(".prose h1")).to_be_visible()
    expect(output.get_by_role("link", name="Download")).to_have_attribute(
        "href", re.compile(rf"/jobs/{job_id}/outputs/\d+/file/")
    )
    screenshot(page, "job-review-outputs")

    # Rejecting without feedback is refused in a visible alert.
    page.get_by_role("button", name="Reject").click()
    expect(page.locator("#action-error")).to_contain_text("Feedback is required")
    expect(status).to_have_text("In review")

    page.fill("#f-feedback", "Mention the spring repair clinic.")
    page.get_by_role("button", name="Request changes").click()
    expect(page.locator("#job-header .eyebrow")).to_contain_text("Revision 2", timeout=LIVE_TIMEOUT)
    expect(status).to_have_text("In review", timeout=LIVE_TIMEOUT)
    expect(page.locator("#f-revision option")).to_have_count(2)
    expect(page.locator("#job-timeline")).to_contain_text("Mention the spring repair clinic.")

    page.get_by_role("button", name="Approve").click()
    expect(status).to_have_text("Completed", timeout=LIVE_TIMEOUT)
    expect(page.locator("#job-pipeline [data-step='review']")).to_have_attribute(
        "data-state", "done"
    )
    assert page.evaluate("window.notReloaded") is True
    screenshot(page, "job-completed")

    # An earlier revision's outputs stay one choice away.
    page.select_option("#f-revision", "1")
    expect(page.locator("#f-revision")).to_have_value("1")
    expect(page.locator("#job-outputs .output")).not_to_have_count(0)
    job = ProductionJob.objects.get(pk=job_id)
    assert (job.status, job.revision) == (Status.COMPLETED, 2)


def test_bad_input_shows_an_error_next_to_the_field_and_creates_nothing(
    live_server, page, acme, alice
):
    from playwright.sync_api import expect

    sign_in(page, live_server.url, "alice", PASSWORD)
    open_new_job_dialog(page, "content")
    page.fill("#f-title", "Too short a topic")
    fill_brief(page, {"contentType": "blog_post", "topic": "ab"})
    page.get_by_role("button", name="Create job").click()
    error = page.locator("#f-inputData-topic-error")
    expect(error).to_contain_text("at least 3 characters")
    expect(page.locator("#f-inputData-topic")).to_be_focused()
    expect(page.locator("#new-job-errors")).to_be_visible()
    assert page.locator("#new-job-dialog").evaluate("d => d.open")
    assert ProductionJob.objects.count() == 0
    screenshot(page, "new-job-dialog-error", full_page=False)

    # Keyboard: Escape closes the dialog, once the person agrees to discard what they typed.
    page.once("dialog", lambda question: question.accept())
    page.keyboard.press("Escape")
    assert not page.locator("#new-job-dialog").evaluate("d => d.open")


def test_a_member_of_another_client_gets_404_on_the_job_and_its_partials(
    live_server, page, acme, alice, bob
):
    job = make_job(acme, user=alice, title="Acme secret launch")
    sign_in(page, live_server.url, "bob", PASSWORD)
    response = page.goto(f"{live_server.url}/jobs/{job.pk}/")
    assert response.status == 404
    assert "Acme secret launch" not in page.content()
    for part in ("live", "pipeline", "timeline", "badge", "outputs"):
        assert page.request.get(f"{live_server.url}/jobs/{job.pk}/parts/{part}/").status == 404
    assert (
        page.request.get(f"{live_server.url}/jobs/{job.pk}/", headers={"HX-Request": "true"}).status
        == 404
    )
    page.goto(f"{live_server.url}/")
    assert "Acme secret launch" not in page.content()
