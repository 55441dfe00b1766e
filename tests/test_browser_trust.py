"""The trust layer in Chromium: a reviewer backs a flagged claim with evidence from the review
page, an owner confirms it, and the QC findings of a broken banner are shown."""

from __future__ import annotations

import os

import pytest

from approvals.models import ApprovalRequest, ClaimResolution
from jobs.mediakit import render_banner
from jobs.models import Output
from tests.browser import assert_accessible, docs_screenshot, requires_chromium, sign_in
from tests.factories import PASSWORD
from tests.trust_helpers import finished_job

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), requires_chromium]

POST = (
    "Trail season is here. Our new insoles cure knee pain on long descents, and runners tell "
    "us they cure knee pain within a week. Try a pair at the Boulder shop this weekend."
)


@pytest.fixture
def job(acme, media_root, clean_queues):
    banner = render_banner(
        1200, 628, brand={"name": "Acme Outdoor"}, headline="ขายดี 🎉", subline="Trail days"
    )
    return finished_job(
        acme,
        [
            {"key": "linkedin_post_1", "text": POST, "title": "LinkedIn post"},
            {
                "key": "banner_1200x628",
                "kind": "image",
                "content": banner,
                "title": "Banner 1200×628",
                "metadata": {"text": "ขายดี 🎉\nTrail days"},
            },
        ],
    )


def test_a_reviewer_backs_a_claim_and_reads_the_qc_findings(live_server, page, job, rita):
    request = ApprovalRequest.objects.get(job=job)
    sign_in(page, live_server.url, "rita", PASSWORD)
    page.goto(f"{live_server.url}/reviews/{request.pk}/")

    marks = page.locator("mark.flag", has_text="cure knee pain")
    assert marks.count() == 2
    reasons = page.locator(".auto-approval-reasons")
    assert "claim(s) without evidence" in reasons.inner_text()
    assert "Characters the font cannot draw" in reasons.inner_text()
    banner = Output.objects.get(job=job, kind="image")
    qc = page.locator(f"#output-{banner.pk} .qc-findings")
    assert "Characters the font cannot draw" in qc.inner_text()
    assert "U+0E02" in qc.inner_text()  # Thai: no installed font draws it
    assert_accessible(page)
    page.locator(f"#output-{banner.pk}").scroll_into_view_if_needed()
    docs_screenshot(page, "review-qc-finding", full_page=False)

    flag = page.locator(".flag-item", has_text="cure knee pain").first
    flag.get_by_text("Attach evidence", exact=True).first.click()
    flag.get_by_label("Evidence").fill(
        "Field trial 2025 (n=120): 81% of runners reported less knee pain after two weeks."
    )
    flag.get_by_label("Source").fill("https://acme-outdoor.com/trials/insoles-2025.pdf")
    flag.get_by_role("button", name="Attach evidence").click()
    record = page.locator(".evidence-unconfirmed")
    record.wait_for()
    assert "from rita (reviewer)" in record.inner_text()
    assert ClaimResolution.objects.filter(job=job, kind="evidence").count() == 1
    reasons = page.locator(".auto-approval-reasons").inner_text()
    assert "claim(s) without evidence" not in reasons
    assert "evidence no owner has confirmed yet" in reasons
    assert page.get_by_role("button", name="Confirm evidence").count() == 0
    record.scroll_into_view_if_needed()
    docs_screenshot(page, "review-flag-evidence", full_page=False)


def test_an_owner_confirms_evidence_after_saying_yes_to_the_question(
    live_server, page, job, rita, olga
):
    output = Output.objects.get(job=job, kind="text")
    index = next(i for i, f in enumerate(output.safety_flags) if f["excerpt"] == "cure knee pain")
    from approvals.evidence import resolve_claim

    resolve_claim(
        job=job,
        user=rita,
        kind="evidence",
        output_id=output.pk,
        flag_index=index,
        text="Field trial 2025 (n=120): 81% of runners reported less knee pain after two weeks.",
        source="https://acme-outdoor.com/trials/insoles-2025.pdf",
    )
    request = ApprovalRequest.objects.get(job=job)
    sign_in(page, live_server.url, "olga", PASSWORD)
    page.goto(f"{live_server.url}/reviews/{request.pk}/")
    flag = page.locator(".flag-item", has_text="cure knee pain").first
    button = flag.get_by_role("button", name="Confirm evidence")
    button.scroll_into_view_if_needed()
    assert_accessible(page)
    docs_screenshot(page, "review-evidence-confirm", full_page=False)
    questions: list[str] = []

    def answer(dialog) -> None:  # noqa: ANN001 - Playwright's Dialog
        questions.append(dialog.message)
        # The first time the owner says no: nothing may change.
        dialog.dismiss() if len(questions) == 1 else dialog.accept()

    page.on("dialog", answer)
    button.click()
    page.wait_for_timeout(300)
    assert ClaimResolution.objects.get(job=job).confirmed_at is None
    button.click()
    page.locator(".evidence-substantiated").wait_for()
    assert "Confirm this evidence for “cure knee pain”?" in questions[0]
    assert "confirmed by olga (owner)" in page.locator(".evidence-substantiated").inner_text()
    assert "no owner has confirmed" not in page.locator(".auto-approval-reasons").inner_text()


def test_the_job_page_shows_the_pre_flight_of_a_video_treatment(live_server, page, acme, alice):
    from jobs.services import job_create
    from tests.test_preflight_treatment import RISKY

    job = job_create(
        client=acme,
        job_type="video",
        title="Instant Pay video",
        created_by=alice,
        input_data={"treatment": RISKY, "durationSeconds": 12},
    )
    sign_in(page, live_server.url, "alice", PASSWORD)
    page.goto(f"{live_server.url}/jobs/{job.pk}/")
    section = page.locator(".preflight-treatment")
    section.wait_for()
    text = section.inner_text()
    assert section.locator(".preflight-blocking").count() == 3
    assert section.locator(".preflight-question").count() == 1
    assert "Warning" not in text
    assert "would put personal data on screen or in the narration" in text
    assert_accessible(page)
    section.scroll_into_view_if_needed()
    docs_screenshot(page, "job-treatment-preflight", full_page=False)
