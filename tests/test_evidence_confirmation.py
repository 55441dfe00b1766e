"""Evidence counts for verification and auto-approval only once an owner of the client
confirms it: on the review page (a button that asks first) and in the API, recorded in the
job history, refused to anyone else, and invisible to other clients."""

from __future__ import annotations

import pytest

from approvals.evidence import flag_state, resolve_claim
from approvals.models import ClaimResolution
from jobs.models import JobEvent, Output
from tests.factories import api_as, login, make_user
from tests.trust_helpers import finished_job

pytestmark = pytest.mark.django_db(transaction=True)

CLAIM = "Our insoles cure knee pain. Runners say they cure knee pain within a week."
FACT = "Trial NCT0001 (2024): 80% of runners reported less knee pain after 6 weeks."


@pytest.fixture(autouse=True)
def _setup(clean_queues, media_root):
    return clean_queues


@pytest.fixture
def job(acme):
    return finished_job(acme, [{"key": "linkedin_post_1", "text": CLAIM}])


def _attach(job, user) -> tuple[Output, int, ClaimResolution]:
    output = Output.objects.get(job=job)
    index = next(i for i, f in enumerate(output.safety_flags) if f["excerpt"] == "cure knee pain")
    evidence = resolve_claim(
        job=job,
        user=user,
        kind="evidence",
        output_id=output.pk,
        flag_index=index,
        text=FACT,
        source="https://trials.example-registry.org/NCT0001",
    )
    return output, index, evidence


def _state(output: Output, index: int) -> str:
    output.refresh_from_db()
    return flag_state(output.safety_flags[index])


def test_a_members_evidence_waits_and_an_owner_confirms_it_from_the_review_page(
    job, alice, rita, olga, client
):
    output, index, evidence = _attach(job, alice)
    assert _state(output, index) == "unconfirmed"
    job.refresh_from_db()
    assert not job.truth_verified
    request = job.approvals.get()
    page = login(client, rita).get(f"/reviews/{request.pk}/").content.decode()
    assert "Evidence awaiting an owner" in page and "Confirm evidence" not in page
    client.logout()
    page = login(client, olga).get(f"/reviews/{request.pk}/").content.decode()
    assert "Confirm evidence" in page
    assert 'hx-confirm="Confirm this evidence for “cure knee pain”?' in page

    url = f"/reviews/outputs/{output.pk}/evidence/{evidence.pk}/confirm/"
    response = client.post(url, {"index": index}, HTTP_HX_REQUEST="true")
    assert response.status_code == 204 and response["HX-Refresh"] == "true"
    assert _state(output, index) == "substantiated"
    job.refresh_from_db()
    assert job.truth_verified
    evidence.refresh_from_db()
    assert evidence.confirmed_by == olga and evidence.confirmed_at is not None
    event = JobEvent.objects.get(job=job, action="claim.evidence_confirmed")
    assert event.actor == olga
    assert "confirmed by an owner (attached by alice)" in event.note
    page = client.get(f"/reviews/{request.pk}/").content.decode()
    assert "confirmed by olga (owner)" in page


def test_only_an_owner_may_confirm_and_other_clients_find_nothing(job, alice, rita, globex, client):
    output, index, evidence = _attach(job, alice)
    url = f"/reviews/outputs/{output.pk}/evidence/{evidence.pk}/confirm/"
    refused = login(client, rita).post(url, {"index": index})
    assert refused.status_code == 403
    assert "Only an owner of Acme Outdoor can confirm or retract evidence." in (
        refused.content.decode()
    )
    client.logout()
    login(client, make_user("otto", globex, "owner"))
    assert client.post(url, {"index": index}).status_code == 404
    assert _state(output, index) == "unconfirmed"
    assert not JobEvent.objects.filter(job=job, action="claim.evidence_confirmed").exists()


def test_an_owners_own_evidence_is_confirmed_as_it_is_attached(job, olga):
    output, index, evidence = _attach(job, olga)
    assert evidence.confirmed_by == olga
    assert _state(output, index) == "substantiated"
    note = JobEvent.objects.get(job=job, action="claim.evidence").note
    assert "once an owner confirms it" not in note


def test_owners_confirm_through_the_api_and_others_are_refused(job, alice, rita, olga, globex):
    output, index, evidence = _attach(job, alice)
    url = f"/api/v1/jobs/{job.pk}/evidence/{evidence.pk}/confirm"
    trust = api_as(alice).get(f"/api/v1/jobs/{job.pk}/trust").json()
    assert trust["outputs"][0]["flags"][index]["state"] == "unconfirmed"
    assert any("no owner has confirmed yet" in r for r in trust["auto_approval"]["reasons"])
    refused = api_as(rita).post(url)
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "permission_denied"
    stranger = make_user("owen", globex, "owner")
    assert api_as(stranger).post(url).status_code == 404
    missing = api_as(olga).post(f"/api/v1/jobs/{job.pk}/evidence/999999/confirm")
    assert missing.status_code == 404
    done = api_as(olga).post(url)
    assert done.status_code == 200, done.json()
    assert done.json()["confirmed_by_label"] == "olga"
    trust = api_as(olga).get(f"/api/v1/jobs/{job.pk}/trust").json()
    assert trust["outputs"][0]["flags"][index]["state"] == "substantiated"
    assert trust["truth_verified"] is True
    assert api_as(olga).post(url).status_code == 200  # confirming again changes nothing
    assert JobEvent.objects.filter(job=job, action="claim.evidence_confirmed").count() == 1


def test_an_owner_retracts_evidence_and_the_claim_is_open_again_with_a_note(job, olga):
    output, index, evidence = _attach(job, olga)
    response = api_as(olga).post(
        f"/api/v1/jobs/{job.pk}/evidence/{evidence.pk}/withdraw",
        {"action": "retract", "reason": "The trial was withdrawn by its authors."},
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["evidence"]["retracted_by_label"] == "olga"
    assert body["recalled"]["back_in_review"] is True
    assert body["recalled"]["outputs"][0]["output_id"] == output.pk
    assert _state(output, index) == "retracted"
    job.refresh_from_db()
    assert not job.truth_verified and job.status == "review"
    assert (
        "The trial was withdrawn"
        in JobEvent.objects.get(job=job, action="claim.evidence_retracted").note
    )
    recall = JobEvent.objects.get(job=job, action="fact.recalled")
    assert "Trial NCT0001" in recall.note and "goes back to review" in recall.note
    # A retracted record cannot be confirmed back into force.
    again = api_as(olga).post(f"/api/v1/jobs/{job.pk}/evidence/{evidence.pk}/confirm")
    assert again.status_code == 409


def test_an_owner_expires_evidence_from_the_review_page(job, alice, olga, client):
    output, index, evidence = _attach(job, alice)
    login(client, olga)
    url = f"/reviews/outputs/{output.pk}/evidence/{evidence.pk}/withdraw/"
    response = client.post(url, {"index": index, "action": "expire"})
    assert response.status_code == 302
    assert _state(output, index) == "expired"
    assert JobEvent.objects.filter(job=job, action="claim.evidence_expired").exists()
    bad = client.post(url, {"index": index, "action": "shred"})
    assert bad.status_code == 400 and "Choose retract or expire." in bad.content.decode()
