"""Evidence and dismissals on flagged claims, from the review page: recorded, audited,
shown to the next reviewer, refused with a clear error when they cannot be made."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from approvals.evidence import apply_resolutions, flag_state
from approvals.evidence_owner import confirm_evidence
from approvals.models import ApprovalRequest, ClaimResolution
from jobs.models import JobEvent, Output
from tests.factories import login
from tests.trust_helpers import finished_job

pytestmark = pytest.mark.django_db(transaction=True)

CLAIM = "Our insoles cure knee pain. Runners say they cure knee pain within a week."


@pytest.fixture(autouse=True)
def _setup(clean_queues, media_root):
    return clean_queues


@pytest.fixture
def job(acme):
    return finished_job(acme, [{"key": "linkedin_post_1", "text": CLAIM}])


def claim_flag(job) -> tuple[Output, int]:
    output = Output.objects.get(job=job)
    index = next(i for i, f in enumerate(output.safety_flags) if f["excerpt"] == "cure knee pain")
    return output, index


def url(output: Output, index: int, action: str) -> str:
    return f"/reviews/outputs/{output.pk}/flags/{index}/{action}/"


def test_the_claim_is_one_flag_with_both_occurrences_marked_on_the_review_page(job, rita, client):
    output, index = claim_flag(job)
    flag = output.safety_flags[index]
    assert flag["count"] == 2 and len(flag["occurrences"]) == 2 and flag["points"] > 0
    request = ApprovalRequest.objects.get(job=job)
    page = login(client, rita).get(f"/reviews/{request.pk}/").content.decode()
    assert page.count(">cure knee pain</mark>") == 2
    assert "Found 2 times" in page and "Attach evidence" in page and "Dismiss" in page


def test_a_reviewer_attaches_evidence_and_the_claim_stops_blocking_once_confirmed(
    job, rita, olga, client
):
    output, index = claim_flag(job)
    assert not job.truth_verified
    response = login(client, rita).post(
        url(output, index, "evidence"),
        {
            "text": "Trial NCT0001: 80% of runners reported less knee pain after 6 weeks.",
            "source": "https://trials.example-registry.org/NCT0001",
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    fragment = response.content.decode()
    assert "<strong>Evidence awaiting an owner</strong> from rita (reviewer)" in fragment
    assert 'href="https://trials.example-registry.org/NCT0001"' in fragment
    output.refresh_from_db()
    job.refresh_from_db()
    # It backs the claim once an owner confirms it.
    assert flag_state(output.safety_flags[index]) == "unconfirmed"
    assert not output.truth_verified and not job.truth_verified
    confirm_evidence(job=job, user=olga, evidence_id=ClaimResolution.objects.get(job=job).pk)
    output.refresh_from_db()
    job.refresh_from_db()
    assert flag_state(output.safety_flags[index]) == "substantiated"
    assert output.truth_verified and job.truth_verified
    assert job.safety_flags[index]["evidence"]["text"].startswith("Trial NCT0001")
    event = JobEvent.objects.get(job=job, action="claim.evidence")
    assert event.actor.username == "rita"
    assert "cure knee pain" in event.note and event.payload["claim"] == "cure knee pain"


def test_a_dismissal_and_its_reason_are_shown_to_the_next_reviewer(job, rita, olga, client):
    output, index = claim_flag(job)
    login(client, rita).post(
        url(output, index, "dismiss"), {"reason": "A customer's words, quoted in the post."}
    )
    client.logout()
    request = ApprovalRequest.objects.get(job=job)
    page = login(client, olga).get(f"/reviews/{request.pk}/").content.decode()
    assert "<strong>Dismissed</strong> by rita (reviewer)" in page
    assert "A customer&#x27;s words, quoted in the post." in page
    assert JobEvent.objects.filter(job=job, action="claim.dismissal").exists()


def test_a_member_may_bring_evidence_but_not_dismiss(job, alice, client):
    output, index = claim_flag(job)
    login(client, alice)
    refused = client.post(url(output, index, "dismiss"), {"reason": "Not a claim."})
    assert refused.status_code == 403
    assert "Only a reviewer of Acme Outdoor can do this." in refused.content.decode()
    attached = client.post(
        url(output, index, "evidence"), {"text": "Our lab report 113.", "source": "Lab report 113"}
    )
    assert attached.status_code == 302
    assert ClaimResolution.objects.filter(job=job).count() == 1


def test_evidence_without_text_is_a_400_at_the_field_and_nothing_is_written(job, rita, client):
    output, index = claim_flag(job)
    response = login(client, rita).post(
        url(output, index, "evidence"), {"text": " ", "source": "x"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not ClaimResolution.objects.exists()
    assert not JobEvent.objects.filter(job=job, action__startswith="claim.").exists()


def test_a_script_source_is_refused(job, rita, client):
    output, index = claim_flag(job)
    response = login(client, rita).post(
        url(output, index, "evidence"), {"text": "Fact.", "source": "javascript:alert(1)"}
    )
    assert response.status_code == 400
    assert "Give a web address" in response.content.decode()
    assert not ClaimResolution.objects.exists()


def test_another_clients_reviewer_finds_nothing(job, gary, client):
    output, index = claim_flag(job)
    response = login(client, gary).post(url(output, index, "dismiss"), {"reason": "Fine."})
    assert response.status_code == 404
    assert not ClaimResolution.objects.exists()


def test_expired_evidence_no_longer_backs_the_claim(job, olga, client):
    output, index = claim_flag(job)
    login(client, olga).post(
        url(output, index, "evidence"),
        {"text": "Certificate 22.", "expires_at": (timezone.now() + timedelta(days=2)).date()},
    )
    job.refresh_from_db()
    assert job.truth_verified
    ClaimResolution.objects.filter(job=job).update(expires_at=timezone.now() - timedelta(hours=1))
    apply_resolutions(job)
    job.refresh_from_db()
    output.refresh_from_db()
    assert flag_state(output.safety_flags[index]) == "expired"
    assert not job.truth_verified and not output.truth_verified


def test_a_finished_job_refuses_new_evidence(job, rita, client):
    output, index = claim_flag(job)
    job.status = "cancelled"
    job.save(update_fields=["status"])
    response = login(client, rita).post(url(output, index, "evidence"), {"text": "A fact."})
    assert response.status_code == 409
    assert not ClaimResolution.objects.exists()


def test_owners_read_resolutions_in_the_admin_and_cannot_change_them(job, rita, staff, client):
    output, index = claim_flag(job)
    login(client, rita).post(url(output, index, "dismiss"), {"reason": "A quoted customer."})
    client.logout()
    client.login(username="sam", password="pw-sam-12345")
    listing = client.get("/admin/approvals/claimresolution/").content.decode()
    assert "cure knee pain" in listing and "Dismissed" in listing
    resolution = ClaimResolution.objects.get()
    assert (
        client.get(f"/admin/approvals/claimresolution/{resolution.pk}/delete/").status_code == 403
    )
