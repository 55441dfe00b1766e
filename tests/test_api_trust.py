"""The trust layer in the API: flags with occurrences, points and evidence; QC findings and
the auto-approval decision; evidence and dismissals; pre-flight of a brief."""

from __future__ import annotations

import pytest

from approvals.models import ClaimResolution
from jobs.models import JobEvent, Output
from tests.factories import api_as
from tests.trust_helpers import finished_job

pytestmark = pytest.mark.django_db(transaction=True)

CLAIM = "Our insoles cure knee pain. Runners say they cure knee pain within a week. [Name]"


@pytest.fixture(autouse=True)
def _setup(clean_queues, media_root):
    return clean_queues


@pytest.fixture
def job(acme):
    return finished_job(acme, [{"key": "linkedin_post_1", "text": CLAIM}])


def claim_index(job) -> tuple[Output, int]:
    output = Output.objects.get(job=job)
    index = next(i for i, f in enumerate(output.safety_flags) if f["excerpt"] == "cure knee pain")
    return output, index


def test_the_trust_report_shows_grouped_flags_qc_and_why_it_was_not_auto_approved(job, rita):
    body = api_as(rita).get(f"/api/v1/jobs/{job.pk}/trust").json()
    [output] = body["outputs"]
    claim = next(f for f in output["flags"] if f["excerpt"] == "cure knee pain")
    assert claim["count"] == 2 and len(claim["occurrences"]) == 2 and claim["points"] > 0
    assert claim["state"] == "open" and claim["evidence"] is None and claim["dismissal"] is None
    assert output["qc_checked"]
    assert {f["check"] for f in output["qc_findings"]} == {"placeholder"}
    reasons = body["auto_approval"]["reasons"]
    assert not body["auto_approval"]["allowed"]
    assert any("claim(s) without evidence" in r for r in reasons)
    assert body["preflight"]["clear"] is True


def test_evidence_through_the_api_is_recorded_and_substantiates_the_claim_once_confirmed(
    job, alice, olga
):
    output, index = claim_index(job)
    api = api_as(alice)
    response = api.post(
        f"/api/v1/jobs/{job.pk}/flags/evidence",
        {
            "output": output.pk,
            "flag": index,
            "text": "Trial NCT0001: 80% reported less knee pain.",
            "source": "https://trials.example-registry.org/NCT0001",
            "expires_at": "2099-01-01T00:00:00Z",
        },
    )
    assert response.status_code == 201, response.json()
    assert response.json()["kind"] == "evidence"
    assert response.json()["created_by_role"] == "member"
    body = api.get(f"/api/v1/jobs/{job.pk}/trust").json()
    assert body["outputs"][0]["flags"][index]["state"] == "unconfirmed"
    assert body["truth_verified"] is False
    # A member's evidence counts once an owner confirms it.
    confirmed = api_as(olga).post(f"/api/v1/jobs/{job.pk}/evidence/{response.json()['id']}/confirm")
    assert confirmed.status_code == 200, confirmed.json()
    body = api.get(f"/api/v1/jobs/{job.pk}/trust").json()
    claim = body["outputs"][0]["flags"][index]
    assert claim["state"] == "substantiated"
    assert claim["evidence"]["source"] == "https://trials.example-registry.org/NCT0001"
    assert body["truth_verified"] is True
    assert JobEvent.objects.filter(job=job, action="claim.evidence").count() == 1
    # The job's own representation carries the evidence on its flags too.
    flags = api.get(f"/api/v1/jobs/{job.pk}/").json()["safety_flags"]
    assert flags[index]["evidence"]["text"].startswith("Trial NCT0001")


def test_a_member_cannot_dismiss_through_the_api(job, alice):
    output, index = claim_index(job)
    response = api_as(alice).post(
        f"/api/v1/jobs/{job.pk}/flags/dismiss",
        {"output": output.pk, "flag": index, "reason": "Fine."},
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    assert not ClaimResolution.objects.exists()


def test_bad_input_is_a_400_naming_the_field(job, rita):
    output, index = claim_index(job)
    api = api_as(rita)
    missing = api.post(f"/api/v1/jobs/{job.pk}/flags/dismiss", {"output": output.pk, "flag": 0})
    assert missing.status_code == 400 and "reason" in missing.json()["error"]["fields"]
    past = api.post(
        f"/api/v1/jobs/{job.pk}/flags/evidence",
        {"output": output.pk, "flag": index, "text": "x", "expires_at": "2001-01-01T00:00:00Z"},
    )
    assert past.status_code == 400 and "expires_at" in past.json()["error"]["fields"]
    placeholder = next(
        i for i, f in enumerate(output.safety_flags) if f["category"] == "placeholder_text"
    )
    not_a_claim = api.post(
        f"/api/v1/jobs/{job.pk}/flags/dismiss",
        {"output": output.pk, "flag": placeholder, "reason": "Fine."},
    )
    assert not_a_claim.status_code == 400 and "flag" in not_a_claim.json()["error"]["fields"]
    assert not ClaimResolution.objects.exists()


def test_another_client_sees_no_job(job, gary):
    output, index = claim_index(job)
    api = api_as(gary)
    assert api.get(f"/api/v1/jobs/{job.pk}/trust").status_code == 404
    response = api.post(
        f"/api/v1/jobs/{job.pk}/flags/dismiss", {"output": output.pk, "flag": index, "reason": "x"}
    )
    assert response.status_code == 404
    assert not ClaimResolution.objects.exists()


def test_preflight_turns_the_briefs_claims_into_questions(acme, alice):
    response = api_as(alice).post(
        "/api/v1/preflight",
        {
            "title": "Launch post",
            "input_data": {"topic": "Our tea cures fatigue and is 100% organic"},
        },
    )
    assert response.status_code == 200
    body = response.json()
    assert body["clear"] is False
    excerpts = {c["excerpt"] for c in body["claims"]}
    assert "cures fatigue" in excerpts
    assert any(
        "cures fatigue" in q and "which verified fact backs it" in q for q in body["questions"]
    )


def test_preflight_of_a_brief_the_clients_facts_back_is_clear(acme, alice):
    response = api_as(alice).post(
        "/api/v1/preflight", {"input_data": {"topic": "Acme Outdoor ships to 12 countries"}}
    )
    assert response.json()["clear"] is True


def test_the_safety_check_shows_occurrences_points_and_breakdown(alice):
    body = (
        api_as(alice)
        .post("/api/v1/safety/check", {"text": "It cures fatigue. Truly, it cures fatigue."})
        .json()
    )
    [flag] = [f for f in body["flags"] if f["excerpt"] == "cures fatigue"]
    assert flag["count"] == 2 and flag["occurrences"] == [[3, 16], [28, 41]]
    assert any("cures fatigue" in line and "x2" in line for line in body["breakdown"])
