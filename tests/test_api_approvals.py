"""Approval requests over the API: the caller's pending queue and deciding one."""

from __future__ import annotations

import pytest

from approvals.models import ApprovalRequest
from tests.factories import api_as, in_review

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _queues(clean_queues):
    return clean_queues


def test_a_reviewer_sees_the_pending_requests_of_their_clients(acme, globex, rita):
    job = in_review(acme)
    in_review(globex)

    body = api_as(rita).get("/api/v1/approvals/").json()

    assert body["count"] == 1
    [item] = body["results"]
    assert item["job"] == str(job.pk) and item["job_title"] == job.title
    assert (item["gate"], item["status"], item["revision"]) == ("final", "pending", 1)
    assert item["client"] == str(acme.pk)


def test_a_member_has_nothing_to_decide(acme, alice):
    in_review(acme)

    assert api_as(alice).get("/api/v1/approvals/").json()["count"] == 0


def test_a_reviewer_decides_a_request(acme, rita):
    job = in_review(acme)
    request = ApprovalRequest.objects.get(job=job)

    response = api_as(rita).post(
        f"/api/v1/approvals/{request.pk}/decide/",
        {"decision": "request_changes", "feedback": "Shorter intro.", "revision": 1},
        format="json",
    )

    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "changes_requested"
    assert response.json()["decided_by"] == "rita"
    job.refresh_from_db()
    assert job.revision == 2


def test_rejecting_without_feedback_is_a_400_on_feedback(acme, rita):
    request = ApprovalRequest.objects.get(job=in_review(acme))

    response = api_as(rita).post(
        f"/api/v1/approvals/{request.pk}/decide/", {"decision": "reject"}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["feedback"]
    request.refresh_from_db()
    assert request.status == "pending"


def test_an_unknown_decision_is_a_400(acme, rita):
    request = ApprovalRequest.objects.get(job=in_review(acme))

    response = api_as(rita).post(
        f"/api/v1/approvals/{request.pk}/decide/", {"decision": "maybe"}, format="json"
    )

    assert response.status_code == 400
    assert "decision" in response.json()["error"]["fields"]


def test_an_owner_signs_off_high_impact_work(acme, rita, olga):
    job = in_review(acme)
    request = ApprovalRequest.objects.get(job=job, gate="final")
    api_as(rita).post(
        f"/api/v1/approvals/{request.pk}/decide/", {"decision": "approve"}, format="json"
    )
    signoff = ApprovalRequest.objects.get(job=job, gate="owner_signoff")

    assert api_as(rita).get("/api/v1/approvals/").json()["count"] == 0
    assert api_as(olga).get("/api/v1/approvals/").json()["results"][0]["id"] == signoff.pk
    refused = api_as(rita).post(
        f"/api/v1/approvals/{signoff.pk}/decide/", {"decision": "approve"}, format="json"
    )
    assert refused.status_code == 403
    done = api_as(olga).post(
        f"/api/v1/approvals/{signoff.pk}/decide/", {"decision": "approve"}, format="json"
    )
    assert done.status_code == 200 and done.json()["job_status"] == "completed"


def test_an_unknown_request_id_is_a_404(rita):
    api = api_as(rita)

    assert (
        api.post(
            "/api/v1/approvals/999/decide/", {"decision": "approve"}, format="json"
        ).status_code
        == 404
    )
    assert (
        api.post(
            "/api/v1/approvals/abc/decide/", {"decision": "approve"}, format="json"
        ).status_code
        == 404
    )
