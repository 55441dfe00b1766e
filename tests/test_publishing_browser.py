"""Publishing in Chromium: an owner connects nothing by hand here, opens an approved job, publishes
the post with its featured image to WordPress, and watches the panel follow a real worker until
the post's address appears. Screenshots of the panel and of the connected accounts page."""

from __future__ import annotations

import os

import pytest

from jobs import lifecycle
from jobs.models import Status
from publishing.models import Publication
from tests.browser import (
    assert_accessible,
    docs_screenshot,
    requires_chromium,
    sign_in,
    wait_for_js,
)
from tests.conftest import worker_env
from tests.factories import PASSWORD
from tests.publishing_data import (
    approved_job,
    instagram_account,
    output_of,
    wordpress_account,
    youtube_account,
)
from tests.publishing_fakes import FakeWordPress

# Playwright's sync API runs an event loop in this thread; the ORM calls here are still sync.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.worker,
    requires_chromium,
    pytest.mark.django_db(transaction=True),
]


def test_an_owner_publishes_an_approved_post_and_watches_it_go_out(
    live_server, page, acme, olga, media_root, worker_factory
):
    job = approved_job(acme)
    with FakeWordPress() as wordpress:
        connection = wordpress_account(acme, wordpress.url)
        youtube_account(acme)
        instagram_account(acme)
        worker_factory(burst=False, threads=2, env=worker_env())

        sign_in(page, live_server.url, olga.username, PASSWORD)
        page.goto(f"{live_server.url}/jobs/{job.pk}/")
        panel = page.locator("#publishing-panel")
        panel.locator("summary", has_text="Publish").click()
        page.select_option("#id_publish-connection", str(connection.pk))
        page.select_option("#id_publish-output", str(output_of(job, "markdown").pk))
        page.select_option("#id_publish-image", str(output_of(job, "image").pk))
        page.select_option("#id_publish-visibility", "publish")
        panel.locator("button[type=submit]", has_text="Publish").click()

        page.locator("#publishing-panel .publish-notice").wait_for()
        wait_for_js(
            page,
            "document.querySelector('#publishing-panel [data-status=\"published\"]')",
            timeout=60,
        )
        publication = Publication.objects.get(job=job)
        link = page.locator(f"#publishing-panel a[href='{publication.remote_url}']")
        assert link.is_visible()
        assert page.locator("#publishing-panel").get_attribute("data-live") == "false"
        assert wordpress.posts[int(publication.remote_id)]["featured_media"] in wordpress.media
        assert_accessible(page)
        page.locator("#publishing-panel").scroll_into_view_if_needed()
        docs_screenshot(page, "publishing-job-panel", full_page=False)

        page.goto(f"{live_server.url}/publishing/acme/connections/")
        rows = page.locator("table.table tbody tr")
        assert rows.count() == 3
        text = page.locator("main").inner_text()
        assert "…UVWX" in text and "abcd EFGH" not in text
        assert_accessible(page)
        docs_screenshot(page, "publishing-connected-accounts")


def test_an_open_job_page_offers_publishing_as_soon_as_the_job_is_approved(
    live_server, page, acme, olga
):
    """The panel is outside the live fragment: the approval's change of status reloads it."""
    job = approved_job(acme, status=Status.REVIEW)
    wordpress_account(acme, "http://127.0.0.1:9/")
    sign_in(page, live_server.url, olga.username, PASSWORD)
    page.goto(f"{live_server.url}/jobs/{job.pk}/")
    panel = page.locator("#publishing-panel")
    panel.get_by_text("Only approved work can be published").wait_for()

    lifecycle.transition(job, Status.APPROVED, actor=olga)
    panel.locator("summary", has_text="Publish").wait_for(timeout=10_000)
    assert "Only approved work" not in panel.inner_text()
