"""The dashboard, job pages and review queue in Chromium at 1440 px and on a 390 x 844 phone:
each role's landing page, long titles, counts that follow the filters, pages that follow a job
live, grouped outputs with friendly download names, previews with counters, the explained
success score, a message after deleting; every page fits and has no critical axe violation."""

from __future__ import annotations

import os
import re

import pytest

from approvals import services as decisions
from jobs.inline import run_inline
from jobs.models import ProductionJob, Status
from tests.browser import (
    DESKTOP,
    PHONE,
    assert_accessible,
    assert_fits,
    docs_screenshot,
    requires_chromium,
    sign_in,
)
from tests.factories import PASSWORD, make_job, produce

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), requires_chromium]

LIVE_TIMEOUT = 20_000  # ms: a page waiting on a person polls every 5 s
TREATMENT = """## Scene 1: Hook (0:00-0:04)
Visual: A glowing lantern at a dusk campsite.
VO: Meet the lantern that lasts all weekend.
On-screen text: 48 hours of light

## Scene 2: Call to action (0:04-0:08)
Visual: The lantern on a store shelf.
VO: Find it in every Acme store this spring.
"""


def with_status(job: ProductionJob, status: str) -> ProductionJob:
    ProductionJob.objects.filter(pk=job.pk).update(status=status)
    job.refresh_from_db()
    return job


def check(page, name: str, *, size: dict[str, int]) -> None:
    """The page at this size: it fits, has no critical axe violation, and is kept as a picture."""
    assert "Server Error" not in page.title() + page.inner_text("body")[:200]
    page.set_viewport_size(size)
    page.wait_for_timeout(200)  # let the layout settle after the resize
    docs_screenshot(page, name)
    assert_fits(page)
    assert_accessible(page)


def test_each_role_lands_where_it_works_and_sees_only_its_actions(
    live_server, page, acme, alice, rita
):
    from playwright.sync_api import expect

    produce(acme, title="Trail guide for spring")
    page.goto(f"{live_server.url}/accounts/login/")
    check(page, "sign-in-phone", size=PHONE)
    sign_in(page, live_server.url, "rita", PASSWORD)
    assert page.url == f"{live_server.url}/reviews/"
    expect(page.locator("tr.queue-row")).to_have_count(1)
    check(page, "reviews-queue-phone", size=PHONE)
    check(page, "reviews-queue", size=DESKTOP)
    page.locator("tr.queue-row a").first.click()
    page.wait_for_url(re.compile(r".*/reviews/\d+/$"))
    check(page, "review-page-phone", size=PHONE)
    page.goto(f"{live_server.url}/reviews/")
    # The jobs list stays one click away, without a "New job" button a reviewer cannot use.
    page.get_by_role("link", name="Jobs", exact=True).click()
    page.wait_for_url(f"{live_server.url}/")
    expect(page.get_by_role("button", name="New job")).to_have_count(0)

    page.context.clear_cookies()
    sign_in(page, live_server.url, "alice", PASSWORD)
    assert page.url == f"{live_server.url}/"
    expect(page.get_by_role("button", name="New job")).to_be_visible()
    expect(page.get_by_role("link", name="Reviews")).to_have_count(0)


def test_a_long_title_wraps_and_keeps_every_column_in_view(live_server, page, acme, alice):
    title = "Northwind" + "ColdBrewLaunch" * 13 + "End"
    assert len(title) <= 200 and " " not in title
    job = make_job(acme, title=title)
    make_job(acme, title="A short one")
    page.set_viewport_size(DESKTOP)
    sign_in(page, live_server.url, "alice", PASSWORD)
    assert_fits(page)
    link = page.locator(f"tr[data-job='{job.pk}'] .cell-title a")
    assert link.get_attribute("title") == title  # the full title on hover
    for label in ("Status", "Priority", "Safety", "Age"):
        cell = page.locator(f"tr[data-job='{job.pk}'] td[data-label='{label}']")
        box = cell.bounding_box()
        assert box and box["x"] + box["width"] <= DESKTOP["width"], label
    check(page, "dashboard-long-title", size=DESKTOP)

    page.goto(f"{live_server.url}/jobs/{job.pk}/")
    crumb = page.locator(".breadcrumbs [aria-current]")
    assert crumb.get_attribute("title") == title
    check(page, "job-long-title", size=DESKTOP)
    check(page, "job-long-title-phone", size=PHONE)


def test_status_counts_follow_the_search(live_server, page, acme, alice):
    from playwright.sync_api import expect

    with_status(make_job(acme, title="Cold brew launch"), Status.REVIEW)
    with_status(make_job(acme, title="Hot chocolate week"), Status.REVIEW)
    with_status(make_job(acme, title="Tea tasting"), Status.REVIEW)
    make_job(acme, title="Cold brew recipe card")  # pending
    page.set_viewport_size(DESKTOP)
    sign_in(page, live_server.url, "alice", PASSWORD)
    expect(page.locator("#card-review .status-card-count")).to_have_text("3")

    page.fill("#filter-q", "cold")
    expect(page.locator("#card-review .status-card-count")).to_have_text("1")
    expect(page.locator("#card-pending .status-card-count")).to_have_text("1")
    expect(page.locator("#card-all .status-card-count")).to_have_text("2")
    page.locator("#card-review").click()
    expect(page.locator("tr.job-row")).to_have_count(1)
    expect(page.locator("tr.job-row")).to_contain_text("Cold brew launch")
    check(page, "dashboard-search-counts", size=DESKTOP)
    check(page, "dashboard-phone", size=PHONE)
    # Every status card is in view on a phone: none hides off to the side.
    cards = page.locator(".status-card")
    for index in range(cards.count()):
        box = cards.nth(index).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]


def test_open_pages_follow_a_job_through_review_and_a_new_revision(
    live_server, page, acme, alice, rita, clean_queues
):
    from playwright.sync_api import expect

    job = produce(acme, title="Spring trail guide", user=alice)
    assert job.status == Status.REVIEW
    page.set_viewport_size(DESKTOP)
    sign_in(page, live_server.url, "alice", PASSWORD)
    page.goto(f"{live_server.url}/jobs/{job.pk}/")
    expect(page.locator("#job-header .pill")).to_have_text("In review")
    page.evaluate("window.notReloaded = true")

    # The reviewer asks for changes elsewhere; a worker produces revision 2.
    decisions.job_decide(
        job=job, user=rita, decision="request_changes", feedback="Mention the repair clinic."
    )
    run_inline(job.pk)
    expect(page.locator("#job-header .eyebrow")).to_contain_text("Revision 2", timeout=LIVE_TIMEOUT)
    expect(page.locator("#job-header .pill")).to_have_text("In review", timeout=LIVE_TIMEOUT)
    expect(page.locator("#f-revision option")).to_have_count(2, timeout=LIVE_TIMEOUT)
    expect(page.locator("#job-timeline")).to_contain_text("Mention the repair clinic.")
    assert page.evaluate("window.notReloaded") is True

    # A dashboard left open shows a job created elsewhere.
    page.goto(f"{live_server.url}/")
    page.evaluate("window.notReloaded = true")
    fresh = make_job(acme, title="Created in another tab")
    expect(page.locator(f"tr[data-job='{fresh.pk}']")).to_be_visible(timeout=LIVE_TIMEOUT)
    assert page.evaluate("window.notReloaded") is True


def test_a_video_job_groups_outputs_by_scene_with_a_poster_and_friendly_names(
    live_server, page, acme, alice, media_root
):
    job = produce(
        acme,
        job_type="video",
        title="Lantern launch",
        inputs={"treatment": TREATMENT, "durationSeconds": 8, "aspectRatio": "16:9"},
    )
    page.set_viewport_size(DESKTOP)
    sign_in(page, live_server.url, "alice", PASSWORD)
    page.goto(f"{live_server.url}/jobs/{job.pk}/")
    groups = page.locator("#job-outputs .output-group")
    keys = [groups.nth(i).get_attribute("data-group") for i in range(groups.count())]
    assert keys[0] == "video" and "scenes" in keys and keys[-1] == "specs"
    scenes = page.locator("#job-outputs .output-scene")
    assert scenes.count() == 2
    # Each scene holds its own still before its narration.
    first = [scenes.nth(0).locator(".output").nth(i).get_attribute("data-kind") for i in (0, 1)]
    assert first == ["image", "audio"]
    video = page.locator("#job-outputs video")
    poster = video.get_attribute("poster")
    assert poster and poster.endswith("?inline=1")
    assert page.request.get(f"{live_server.url}{poster}").headers["content-type"] == "image/png"
    download = page.locator("[data-group='video'] a[download]").get_attribute("download")
    assert download == "acme-lantern-launch-video-r1.mp4"
    names = page.locator(".output-scene a[download]").evaluate_all(
        "links => links.map(a => a.getAttribute('download'))"
    )
    assert "acme-lantern-launch-narration-scene-1-r1.wav" in names
    check(page, "video-job", size=DESKTOP)
    check(page, "video-job-phone", size=PHONE)


def test_seo_and_social_outputs_show_previews_with_counters(live_server, page, acme, alice):
    from playwright.sync_api import expect

    seo = produce(
        acme,
        job_type="seo",
        title="Boots meta",
        inputs={"seoType": "meta_tags", "topic": "Waterproof hiking boots"},
    )
    social = produce(
        acme,
        job_type="social",
        title="Repair posts",
        inputs={
            "platforms": ["linkedin", "twitter", "instagram"],
            "topic": "Our new repair service",
        },
    )
    page.set_viewport_size(DESKTOP)
    sign_in(page, live_server.url, "alice", PASSWORD)
    page.goto(f"{live_server.url}/jobs/{seo.pk}/")
    serp = page.locator("[data-preview='search']")
    expect(serp.locator(".serp-title")).to_have_text(re.compile("Waterproof Hiking Boots"))
    title_count = page.locator("[data-counter='title']").inner_text()
    assert re.fullmatch(r"\d+ / 60 characters", title_count)
    assert "words" not in page.locator("#job-outputs .output-meta").first.inner_text()
    check(page, "seo-preview", size=DESKTOP)

    page.goto(f"{live_server.url}/jobs/{social.pk}/")
    twitter = page.locator("[data-preview='twitter']")
    expect(twitter.locator("[data-counter='post']")).to_have_text(
        re.compile(r"\d+ / 280 characters")
    )
    expect(page.locator("[data-preview='linkedin'] [data-counter='post']")).to_contain_text(
        "/ 3,000"
    )
    check(page, "social-preview", size=DESKTOP)
    check(page, "social-preview-phone", size=PHONE)


def test_the_success_score_explains_itself_and_counts_statuses_apart(
    live_server, page, acme, alice
):
    from playwright.sync_api import expect

    with_status(make_job(acme, title="Waiting for a reviewer"), Status.REVIEW)
    with_status(make_job(acme, title="Broke"), Status.FAILED)
    with_status(make_job(acme, title="Running"), Status.PROCESSING)
    page.set_viewport_size(DESKTOP)
    sign_in(page, live_server.url, "alice", PASSWORD)
    score = page.locator("#success-score")
    expect(score.locator("[data-count='in_production']")).to_have_text("1")
    expect(score.locator("[data-count='in_review']")).to_have_text("1")
    expect(score.locator("[data-count='failed']")).to_have_text("1")
    score.get_by_text("How the score is made").click()
    expect(score.locator("tr[data-part='delivery']")).to_contain_text("67%")
    expect(score.locator("tr[data-part='approval_rate']")).to_contain_text("not measured yet")
    check(page, "success-score", size=DESKTOP)


def test_deleting_a_job_says_so_afterwards(live_server, page, acme, alice):
    from playwright.sync_api import expect

    job = with_status(make_job(acme, title="Old failed banner"), Status.FAILED)
    page.set_viewport_size(DESKTOP)
    sign_in(page, live_server.url, "alice", PASSWORD)
    page.goto(f"{live_server.url}/jobs/{job.pk}/")
    page.once("dialog", lambda question: question.accept())
    page.get_by_role("button", name="Delete").click()
    page.wait_for_url(f"{live_server.url}/")
    expect(page.locator(".messages")).to_contain_text(
        "Deleted “Old failed banner” and its outputs."
    )
    assert not ProductionJob.objects.filter(pk=job.pk).exists()
    check(page, "job-deleted-message", size=DESKTOP)
    # The message is shown once.
    page.reload()
    expect(page.locator(".messages")).to_have_count(0)


def test_the_admin_job_list_fits_1440_with_bands_by_name(live_server, page, acme, alice, staff):
    from playwright.sync_api import expect

    produce(acme, title="Northwind" + "ColdBrewLaunch" * 13)
    produce(acme, title="Trail guide", priority="urgent")
    page.set_viewport_size(DESKTOP)
    sign_in(page, live_server.url, "sam", "pw-sam-12345")
    page.goto(f"{live_server.url}/admin/jobs/productionjob/")
    expect(page.locator("#result_list tbody tr")).to_have_count(2)
    docs_screenshot(page, "admin-jobs")
    # Every column is inside the list's own box: none is cut off or scrolled out of view.
    results = page.locator("#changelist .results").bounding_box()
    assert results
    for column in ("high_impact", "revision", "created"):
        box = page.locator(f"#result_list th.column-{column}").bounding_box()
        assert box and box["x"] + box["width"] <= results["x"] + results["width"], column
    assert (
        "_"
        not in page.locator("#changelist-filter")
        .inner_text()
        .replace("\n", " ")
        .split("By safety band")[-1]
        .split("By ")[0]
    )
    check(page, "admin-jobs", size=DESKTOP)
