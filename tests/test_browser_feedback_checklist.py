"""The feedback checklist on the review page, in Chromium: what was addressed, what was missed
(said at the top), what is left to the reviewer."""

from __future__ import annotations

import os

import pytest

from approvals import services
from jobs.inline import run_inline
from tests.browser import assert_accessible, docs_screenshot, requires_chromium, sign_in
from tests.factories import PASSWORD, make_client, make_job, make_user

# Playwright's sync API keeps an event loop in this thread; the ORM calls here are plain
# synchronous ones made between browser steps.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), requires_chromium]

DESCRIPTION = (
    "Our cold brew is back, now in 1 L cans. It is the #1 coffee in America and cures "
    "fatigue. Unlike Starbucks, we never burn our beans. You can pick one up at all 12 of "
    "our cafes in Seattle from 3 May."
)
FEEDBACK = (
    "Remove '#1 coffee in America' and every health claim. Remove the Starbucks jab. "
    "Replace 'oat milk' with 'whole milk'. The intro feels flat."
)


def test_the_reviewer_reads_the_checklist_with_its_evidence(
    live_server, page, media_root, clean_queues
):
    northwind = make_client(
        "northwind",
        "Northwind Coffee",
        brand_profile={"industry": "specialty coffee", "location": "Seattle"},
        verified_facts=["Northwind Coffee has roasted in Seattle since 2011."],
        approved_testimonials=[],
    )
    reviewer = make_user("rene", northwind, "reviewer")
    job = make_job(
        northwind,
        title="Cold brew is back",
        inputs={"contentType": "blog_post", "topic": "Cold brew is back", "length": "short"},
        description=DESCRIPTION,
        auto_process=True,
    )
    run_inline(job.pk)
    services.job_decide(job=job, user=reviewer, decision="request_changes", feedback=FEEDBACK)
    run_inline(job.pk)
    request = services.pending_request_for(job)
    assert request.revision == 2

    sign_in(page, live_server.url, "rene", PASSWORD)
    page.goto(f"{live_server.url}/reviews/{request.pk}/")
    checklist = page.locator("#feedback-checklist")
    # "oat milk" was never there, so "whole milk" cannot have replaced it: one miss.
    assert checklist.get_by_role("alert").inner_text() == (
        "Revision 2 misses 1 of 5 instructions from the feedback."
    )
    rows = checklist.locator("li")
    assert rows.count() == 5
    assert [rows.nth(i).get_attribute("class") for i in range(5)] == [
        "addressed",
        "addressed",
        "addressed",
        "missed",
        "unchecked",
    ]
    assert "No health claim is left." in rows.nth(1).inner_text()
    assert "The phrase “Starbucks” is gone." in rows.nth(2).inner_text()
    assert "“oat milk” was not there to replace and “whole milk” is not there." in (
        rows.nth(3).inner_text()
    )
    # The checklist comes before the outputs it describes.
    box, first_output = (
        checklist.bounding_box(),
        page.locator("article.output").first.bounding_box(),
    )
    assert box["y"] < first_output["y"]
    assert_accessible(page)
    docs_screenshot(page, "feedback-checklist", full_page=False)
