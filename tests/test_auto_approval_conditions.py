"""Auto-approval is withheld for a QC defect, an uncovered language, a claim without
evidence, and video work, and the reason is written down and shown."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from approvals.autoapproval import auto_approval_status, decide_auto_approval
from approvals.evidence import resolve_claim
from approvals.evidence_owner import confirm_evidence
from approvals.models import ApprovalRequest, ClaimResolution
from jobs.models import JobEvent, Output
from tests.factories import login
from tests.trust_helpers import finished_job

pytestmark = pytest.mark.django_db(transaction=True)

CLEAN = "Trail running for beginners: start with short loops and walk the climbs."
CLAIM = "Trail running for beginners: our insoles cure knee pain for every runner."
ITALIAN = (
    "La corsa in montagna per principianti: il nostro negozio è aperto tutti i giorni e "
    "gli esperti sono sempre pronti ad aiutare chi vuole iniziare con la scarpa giusta per "
    "il sentiero, anche della città."
)


@pytest.fixture(autouse=True)
def _setup(clean_queues, media_root):
    return clean_queues


@pytest.fixture
def opted_in(acme):
    acme.auto_approve = True
    acme.save(update_fields=["auto_approve"])
    return acme


def withheld_note(job) -> str:
    return JobEvent.objects.get(job=job, action="auto_approval.withheld").note


def test_clean_text_of_an_opted_in_client_is_auto_approved(opted_in):
    job = finished_job(opted_in, [{"key": "linkedin_post_1", "text": CLEAN}])
    assert job.status == "completed"
    assert not JobEvent.objects.filter(job=job, action="auto_approval.withheld").exists()


def test_a_blank_image_is_held_back_and_never_called_verified_safe(opted_in):
    blank = io.BytesIO()
    Image.new("RGB", (1200, 628), "#1f4e79").save(blank, "PNG")
    job = finished_job(
        opted_in,
        [
            {"key": "linkedin_post_1", "text": CLEAN},
            {"key": "banner", "kind": "image", "content": blank.getvalue(), "title": "Banner"},
        ],
    )
    assert job.status == "review"
    assert job.safety_score == 100 and job.safety_band == "safe"
    assert "QC found a blocking defect in “Banner”: Blank image." in withheld_note(job)
    banner = Output.objects.get(job=job, key="banner")
    assert banner.metadata["qc"]["findings"][0]["check"] == "blank"


def test_text_in_a_language_the_rules_do_not_cover_is_held_back_and_says_why(opted_in):
    job = finished_job(opted_in, [{"key": "linkedin_post_1", "text": ITALIAN}])
    assert job.status == "review"
    assert "in a language the safety rules do not cover" in withheld_note(job)


def test_a_claim_without_evidence_is_held_back_until_evidence_is_attached_and_confirmed(
    opted_in, rita, olga
):
    # With the bands lowered the score alone would pass: the claim is what holds it back.
    opted_in.threshold_verified_safe, opted_in.threshold_safe, opted_in.threshold_review = (
        50,
        40,
        30,
    )
    opted_in.save(update_fields=["threshold_verified_safe", "threshold_safe", "threshold_review"])
    job = finished_job(opted_in, [{"key": "linkedin_post_1", "text": CLAIM}])
    assert job.status == "review"
    assert "1 claim(s) without evidence: “cure knee pain”" in withheld_note(job)
    assert job.safety_band == "safe"  # its score alone is in the (lowered) top band

    post = Output.objects.get(job=job)
    index = next(i for i, f in enumerate(post.safety_flags) if f["excerpt"] == "cure knee pain")
    resolve_claim(
        job=job,
        user=rita,
        kind="evidence",
        output_id=post.pk,
        flag_index=index,
        text="Trial NCT0001 (2024): 80% of runners reported less knee pain after 6 weeks.",
        source="https://trials.example-registry.org/NCT0001",
    )
    job.refresh_from_db()
    # A reviewer's evidence waits for an owner: until then the claim still holds the work.
    assert not job.truth_verified and job.safety_band == "safe"
    reasons = auto_approval_status(job).reasons
    assert any("1 claim(s) with evidence no owner has confirmed yet" in r for r in reasons)
    evidence = ClaimResolution.objects.get(job=job)
    confirm_evidence(job=job, user=olga, evidence_id=evidence.pk)
    job.refresh_from_db()
    assert job.truth_verified and job.safety_band == "verified_safe"
    reasons = auto_approval_status(job).reasons
    assert not any("without evidence" in r or "confirmed" in r for r in reasons)


def test_video_work_is_never_auto_approved(opted_in):
    job = finished_job(
        opted_in,
        [{"key": "script", "text": CLEAN}],
        job_type="video",
        inputs={"treatment": "Scene 1: a runner on a ridge. Narration: Start slow."},
    )
    assert job.status == "review"
    assert "Video work is high-impact and never auto-approved" in withheld_note(job)


def test_without_opt_in_the_reason_is_on_the_review_page_and_nothing_is_logged(acme, rita, client):
    job = finished_job(acme, [{"key": "linkedin_post_1", "text": CLAIM}])
    assert not JobEvent.objects.filter(job=job, action="auto_approval.withheld").exists()
    request = ApprovalRequest.objects.get(job=job)
    page = login(client, rita).get(f"/reviews/{request.pk}/").content.decode()
    assert "Not auto-approved" in page
    assert "Acme Outdoor has not opted in to auto-approval." in page
    assert "claim(s) without evidence" in page
    assert "Quality checks: no defects found." in page


def test_the_decision_lists_every_reason_at_once(opted_in):
    job = finished_job(opted_in, [{"key": "linkedin_post_1", "text": CLAIM + " [Client Name]"}])
    reasons = decide_auto_approval(job).reasons
    assert any("claim(s) without evidence" in r for r in reasons)
    assert any("Leftover placeholder" in r for r in reasons)
    assert any("safety score" in r for r in reasons)
