"""Open pages follow changes over their event stream, and stop polling while it is open: a job
page is sent its new fragment in the stream, and the dashboard its new job list."""

from __future__ import annotations

import os
import re
import time

import pytest

from jobs import lifecycle
from jobs.models import Status
from tests.browser import requires_chromium, screenshot, sign_in
from tests.factories import PASSWORD, make_job

# Playwright's sync API keeps an event loop in this thread; the ORM calls made here are still
# plain blocking calls of the test, so Django may run them.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), requires_chromium]


def polls_of(requests: list[str], marker: str) -> int:
    return sum(1 for url in requests if marker in url)


def test_the_job_page_is_sent_each_change_in_its_stream_instead_of_polling(
    live_server, page, acme, alice
):
    from playwright.sync_api import expect

    job = make_job(acme, user=alice, title="Autumn launch post")
    lifecycle.transition(job, Status.QUEUED, actor=alice)  # live: it would poll every second
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    sign_in(page, live_server.url, alice.username, PASSWORD)
    with page.expect_response(lambda r: f"/jobs/{job.pk}/live/?fragments=1" in r.url) as opened:
        page.goto(f"{live_server.url}/jobs/{job.pk}/")
    assert opened.value.status == 200
    expect(page.locator("#job-header")).to_have_attribute("data-status", "queued")

    # With the stream open, three seconds of a live job cost no polls at all.
    page.wait_for_timeout(500)
    before = polls_of(requests, "?seen=")
    page.wait_for_timeout(3000)
    assert polls_of(requests, "?seen=") == before

    lifecycle.record_event(job, "note", actor=alice, note="Brief confirmed by phone")
    expect(page.locator("#job-timeline")).to_contain_text("Brief confirmed by phone")
    changed = time.monotonic()
    lifecycle.transition(job, Status.CANCELLED, actor=alice, note="Stopped by the client")
    expect(page.locator("#job-header")).to_have_attribute("data-status", "cancelled", timeout=3000)
    followed = time.monotonic() - changed
    assert followed < 2.0, f"the page took {followed:.2f} s to show the change"
    assert polls_of(requests, "?seen=") == before  # both fragments came in the stream
    expect(page.locator("#job-poller")).not_to_have_attribute("data-live-stream", re.compile("."))
    screenshot(page, "job-live-stream")


def test_the_dashboard_lists_a_new_job_of_its_client_as_soon_as_it_is_made(
    live_server, page, acme, alice
):
    from playwright.sync_api import expect

    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    sign_in(page, live_server.url, alice.username, PASSWORD)
    # The stream carries the list the page shows: with its filter.
    with page.expect_response(lambda r: "/live/?fragments=1&status=pending" in r.url) as opened:
        page.goto(f"{live_server.url}/?status=pending")
    assert opened.value.status == 200
    page.wait_for_timeout(300)
    fetches = polls_of(requests, "?status=pending&page=1")

    make_job(acme, user=alice, title="Made while the dashboard was open")
    rows = page.locator("#job-list .job-row")
    expect(rows).to_have_count(1, timeout=2500)
    expect(rows.first).to_contain_text("Made while the dashboard was open")
    queued = make_job(acme, user=alice, title="Second, then queued")
    expect(rows).to_have_count(2, timeout=2500)
    lifecycle.transition(queued, Status.QUEUED, actor=alice)
    expect(rows).to_have_count(1, timeout=2500)  # the list keeps the page's filter
    expect(page.locator("#card-queued .status-card-count")).to_have_text("1")
    assert polls_of(requests, "?status=pending&page=1") == fetches  # all came in the stream
    screenshot(page, "dashboard-live-stream")


def test_the_dashboard_swaps_in_only_the_rows_that_changed(live_server, page, acme, alice):
    from playwright.sync_api import expect

    jobs = [make_job(acme, user=alice, title=f"Trail post {index}") for index in range(3)]
    for job in jobs:
        lifecycle.transition(job, Status.QUEUED, actor=alice)
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    stream = f"{live_server.url}/live/?fragments=1"
    with page.expect_response(lambda r: r.url.startswith(stream)):
        sign_in(page, live_server.url, alice.username, PASSWORD)  # to the dashboard

    def row(job) -> str:
        return f'#job-list tr[data-job="{job.pk}"]'

    def progress(job, percent: int) -> None:
        job.progress = percent
        job.save(update_fields=["progress"])

    def bar(job):
        return page.locator(f"{row(job)} [role=progressbar]")

    progress(jobs[0], 10)  # the stream's first push: the whole list
    expect(bar(jobs[0])).to_have_attribute("aria-valuenow", "10")
    page.locator(f"{row(jobs[2])} a").focus()
    page.evaluate(f"window.keptRow = document.querySelector('{row(jobs[2])}')")
    fetches = polls_of(requests, "/?page=1")

    # A patch: the changed row is new, with its bar filled; the others are the same elements,
    # and the link being read keeps its focus.
    progress(jobs[1], 55)
    expect(bar(jobs[1])).to_have_attribute("aria-valuenow", "55")
    expect(bar(jobs[1]).locator("[data-percent]")).to_have_attribute("style", "width: 55%;")
    assert page.evaluate(f"document.querySelector('{row(jobs[2])}') === window.keptRow")
    assert page.evaluate(f"document.activeElement === document.querySelector('{row(jobs[2])} a')")
    lifecycle.transition(jobs[1], Status.CANCELLED, actor=alice)
    expect(page.locator("#card-cancelled .status-card-count")).to_have_text("1")
    expect(page.locator(f"{row(jobs[1])} .pill")).to_have_text("Cancelled")
    assert page.evaluate(f"document.querySelector('{row(jobs[2])}') === window.keptRow")
    assert polls_of(requests, "/?page=1") == fetches  # every change came in the stream

    # A page that no longer shows what a patch expects fetches the whole list instead.
    page.evaluate(f"document.querySelector('{row(jobs[2])}').setAttribute('data-rev', 'stale')")
    progress(jobs[0], 80)
    expect(bar(jobs[0])).to_have_attribute("aria-valuenow", "80")
    expect(page.locator(row(jobs[2]))).not_to_have_attribute("data-rev", "stale")
    assert polls_of(requests, "/?page=1") == fetches + 1
    expect(page.locator("#job-list .job-row")).to_have_count(3)
