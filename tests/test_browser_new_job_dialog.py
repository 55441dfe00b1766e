"""The new-job dialog in Chromium, at desktop and phone width: one job per submission, every
error at once and in plain words, nothing typed lost, help and a scene preview, labelled
controls with unique ids, and no critical accessibility violation."""

from __future__ import annotations

import os

import pytest

from jobs.models import ProductionJob
from tests.browser import (
    DESKTOP,
    JOB_URL,
    PHONE,
    assert_accessible,
    assert_fits,
    docs_screenshot,
    fill_brief,
    open_new_job_dialog,
    requires_chromium,
    sign_in,
)
from tests.factories import PASSWORD

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), requires_chromium]

DUPLICATE_IDS = """() => {
  const seen = {};
  for (const el of document.querySelectorAll('[id]')) seen[el.id] = (seen[el.id] || 0) + 1;
  return Object.keys(seen).filter(id => seen[id] > 1);
}"""
UNLABELLED = """() => [...document.querySelectorAll('#new-job-form input, #new-job-form select, #new-job-form textarea')]
  .filter(el => el.type !== 'hidden' && !(el.labels && el.labels.length) && !el.getAttribute('aria-label'))
  .map(el => el.name)"""


def dialog_open(page) -> bool:
    return page.locator("#new-job-dialog").evaluate("d => d.open")


def test_every_error_shows_at_once_and_ids_are_unique_and_labelled(live_server, page, acme, alice):
    from playwright.sync_api import expect

    page.set_viewport_size(DESKTOP)
    sign_in(page, live_server.url, "alice", PASSWORD)
    open_new_job_dialog(page, "content")
    assert page.evaluate(DUPLICATE_IDS) == []
    assert page.evaluate(UNLABELLED) == []
    # The dialog's Priority label names the dialog's own select, not the filter behind it.
    in_dialog = "document.querySelector('label[for=f-priority]').control.closest('dialog') !== null"
    assert page.evaluate(in_dialog) is True

    # An empty brief: the title and the topic are both reported, in one go.
    page.get_by_role("button", name="Create job").click()
    expect(page.locator("#f-title-error")).to_have_text("A title is required.")
    expect(page.locator("#f-inputData-topic-error")).to_contain_text("This field is required.")
    expect(page.locator("#new-job-errors")).to_contain_text("fields marked below")
    assert ProductionJob.objects.count() == 0
    assert page.evaluate(DUPLICATE_IDS) == []
    assert_accessible(page)
    docs_screenshot(page, "new-job-dialog-errors", full_page=False)

    # A title that would display reversed, and a description over the limit, are refused.
    page.fill("#f-title", "Launch \u202egnp.exe")
    page.locator("#f-description").evaluate(
        "el => { el.removeAttribute('maxlength'); el.value = 'x'.repeat(5001); }"
    )
    fill_brief(page, {"contentType": "blog_post", "topic": "Trail running for beginners"})
    page.get_by_role("button", name="Create job").click()
    expect(page.locator("#f-title-error")).to_contain_text("direction-changing character (U+202E")
    expect(page.locator("#f-description-error")).to_contain_text("at most 5,000 characters")
    expect(page.locator("#f-description-help")).to_contain_text("At most 5,000 characters")
    # What was typed is all still there.
    expect(page.locator("#f-inputData-topic")).to_have_value("Trail running for beginners")
    assert ProductionJob.objects.count() == 0


def test_a_double_click_on_create_makes_one_job(live_server, page, acme, alice):
    page.set_viewport_size(DESKTOP)
    sign_in(page, live_server.url, "alice", PASSWORD)
    open_new_job_dialog(page, "content")
    page.fill("#f-title", "One launch post")
    fill_brief(page, {"contentType": "blog_post", "topic": "Our spring launch"})
    page.get_by_role("button", name="Create job").dblclick()
    page.wait_for_url(JOB_URL)
    # Sending the same form again (a resend after a slow answer) finds the same job.
    assert ProductionJob.objects.filter(title="One launch post").count() == 1


def test_video_help_example_preview_and_plain_messages(live_server, page, acme, alice):
    from playwright.sync_api import expect

    page.set_viewport_size(DESKTOP)
    sign_in(page, live_server.url, "alice", PASSWORD)
    open_new_job_dialog(page, "video")
    for key in ("durationSeconds", "aspectRatio", "platform", "tone", "language", "treatment"):
        assert page.locator(f"#f-inputData-{key}-help").inner_text().strip(), key

    # Machine words never reach the person.
    page.fill("#f-title", "Cold brew spot")
    page.fill("#f-inputData-treatment", "asdf")
    page.fill("#f-inputData-durationSeconds", "3")
    page.get_by_role("button", name="Create job").click()
    expect(page.locator("#f-inputData-treatment-error")).to_have_text(
        "Must be at least 10 characters."
    )
    expect(page.locator("#f-inputData-durationSeconds-error")).to_have_text("Must be at least 5.")
    assert "is too short" not in page.inner_text("#new-job-form")
    assert "less than the minimum" not in page.inner_text("#new-job-form")

    # The example fills the treatment; the preview shows the scenes the planner reads.
    page.once("dialog", lambda d: d.accept())  # "Replace what you wrote with the example?"
    page.get_by_text("Show an example").click()
    page.get_by_role("button", name="Use this example").click()
    expect(page.locator("#f-inputData-treatment")).to_have_value(
        page.locator("#f-inputData-treatment-example").inner_text()
    )
    page.fill("#f-inputData-durationSeconds", "30")
    page.get_by_role("button", name="Preview the scenes").click()
    rows = page.locator("#scene-preview tbody tr")
    expect(rows).to_have_count(3)
    expect(page.locator("#scene-preview")).to_contain_text("Steeped for eighteen hours")
    assert ProductionJob.objects.count() == 0  # a preview creates nothing
    assert_accessible(page)
    page.locator("#scene-preview").scroll_into_view_if_needed()
    docs_screenshot(page, "new-job-video-preview", full_page=False)

    page.get_by_role("button", name="Create job").click()
    page.wait_for_url(JOB_URL)
    assert ProductionJob.objects.get().input_data["durationSeconds"] == 30


def test_chart_data_with_units_and_unicode_hashtags_are_accepted_and_kept(
    live_server, page, acme, alice
):
    from playwright.sync_api import expect

    page.set_viewport_size(DESKTOP)
    sign_in(page, live_server.url, "alice", PASSWORD)
    open_new_job_dialog(page, "visual")
    data = "Colombia: 45%\nPeru: 30.5%\nChile: $1,200"
    fill_brief(page, {"visualType": "infographic", "headline": "Where our beans grow"})
    page.fill("#f-inputData-data", "Colombia 45%\nPeru: lots")
    page.get_by_role("button", name="Create job").click()  # no title, and two bad lines
    expect(page.locator("#f-inputData-data-error")).to_contain_text("Line 1")
    # Nothing typed is emptied by an error.
    expect(page.locator("#f-inputData-data")).to_have_value("Colombia 45%\nPeru: lots")
    expect(page.locator("#f-title-error")).to_be_visible()

    page.fill("#f-title", "Bean origins")
    page.fill("#f-inputData-data", data)
    page.get_by_role("button", name="Create job").click()
    page.wait_for_url(JOB_URL)
    job = ProductionJob.objects.get(title="Bean origins")
    assert job.input_data["data"][:2] == [
        {"label": "Colombia", "value": 45, "unit": "%"},
        {"label": "Peru", "value": 30.5, "unit": "%"},
    ]
    assert job.input_data["data"][2] == {"label": "Chile", "value": 1200, "prefix": "$"}

    page.goto(f"{live_server.url}/")
    open_new_job_dialog(page, "social")
    page.fill("#f-title", "Tags")
    fill_brief(page, {"platforms": ["instagram"], "topic": "Our cafe in Bogotá"})
    page.fill("#f-inputData-hashtags", "#café, #1 deal")
    page.get_by_role("button", name="Create job").click()
    expect(page.locator("#f-inputData-hashtags-error")).to_contain_text(
        "“#1 deal” is not a hashtag"
    )
    expect(page.locator("#f-inputData-hashtags")).to_have_value("#café, #1 deal")
    page.fill("#f-inputData-hashtags", "#café, #北风, 2024Launch")
    page.get_by_role("button", name="Create job").click()
    page.wait_for_url(JOB_URL)
    assert ProductionJob.objects.get(title="Tags").input_data["hashtags"] == [
        "café",
        "北风",
        "2024Launch",
    ]


def test_closing_asks_first_when_something_was_typed(live_server, page, acme, alice):
    page.set_viewport_size(DESKTOP)
    sign_in(page, live_server.url, "alice", PASSWORD)
    asked: list[str] = []
    answer = {"discard": False}

    def on_question(question) -> None:
        asked.append(question.message)
        question.accept() if answer["discard"] else question.dismiss()

    page.on("dialog", on_question)
    # Nothing typed: Escape closes at once, without a question.
    open_new_job_dialog(page, "content")
    page.keyboard.press("Escape")
    assert not dialog_open(page) and asked == []

    open_new_job_dialog(page, "content")
    page.fill("#f-title", "Half-written brief")
    page.keyboard.press("Escape")  # asked; answering no keeps the dialog and the text
    assert len(asked) == 1 and "Discard" in asked[0]
    assert dialog_open(page)
    assert page.input_value("#f-title") == "Half-written brief"
    page.mouse.click(5, 5)  # a click on the backdrop asks too
    assert len(asked) == 2 and dialog_open(page)
    answer["discard"] = True
    page.get_by_role("button", name="Cancel").click()
    assert len(asked) == 3 and not dialog_open(page)


def test_the_dialog_fits_a_phone(live_server, page, acme, alice):
    from playwright.sync_api import expect

    page.set_viewport_size(PHONE)
    sign_in(page, live_server.url, "alice", PASSWORD)
    open_new_job_dialog(page, "video")
    expect(page.locator("#f-inputData-treatment")).to_be_visible()
    assert_fits(page)
    assert_accessible(page)
    docs_screenshot(page, "new-job-dialog-phone", full_page=False)
