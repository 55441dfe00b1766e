"""Job actions over the API: approve, request changes, reject, cancel, retry and start."""

from __future__ import annotations

import pytest

from approvals.models import ApprovalRequest
from jobs import lifecycle
from jobs.models import JobEvent, ProductionJob, Status
from tests import factories
from tests.factories import api_as, make_job

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _queues(clean_queues):
    return clean_queues


def in_review(client) -> ProductionJob:
    """The shared job in review, checked to be in review before any action is tried on it."""
    job = factories.in_review(client)
    assert job.status == Status.REVIEW
    return job


def post(user, job, action: str, body: dict | None = None):
    return api_as(user).post(f"/api/v1/jobs/{job.pk}/{action}/", body or {}, format="json")


def test_a_reviewer_approves_and_the_decision_is_in_the_history(acme, rita):
    job = in_review(acme)

    response = post(rita, job, "approve", {"notes": "Ship it", "revision": 1})

    assert response.status_code == 200, response.json()
    assert response.json()["status"] in ("approved", "completed")
    event = JobEvent.objects.filter(job=job, action="decision.approved").get()
    assert event.actor == rita and event.note == "Ship it"


def test_request_changes_needs_feedback(acme, rita):
    job = in_review(acme)

    response = post(rita, job, "request-changes", {})

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["feedback"]
    job.refresh_from_db()
    assert job.status == "review"


def test_request_changes_starts_a_new_revision_with_the_feedback(acme, rita):
    job = in_review(acme)

    response = post(rita, job, "request-changes", {"feedback": "Shorter intro, please."})

    assert response.status_code == 200, response.json()
    assert response.json()["revision"] == 2 and response.json()["status"] == "queued"
    decided = ApprovalRequest.objects.get(job=job, revision=1)
    assert decided.status == "changes_requested" and decided.feedback == "Shorter intro, please."


def test_notes_count_as_feedback_for_a_rejection(acme, rita):
    job = in_review(acme)

    response = post(rita, job, "reject", {"notes": "Off brand."})

    assert response.status_code == 200, response.json()
    assert ApprovalRequest.objects.get(job=job, revision=1).status == "rejected"


def test_a_member_may_not_approve(acme, alice):
    job = in_review(acme)

    response = post(alice, job, "approve")

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    job.refresh_from_db()
    assert job.status == "review"


def test_approving_a_job_that_waits_for_no_decision_is_a_409(acme, rita):
    job = make_job(acme)

    response = post(rita, job, "approve")

    assert response.status_code == 409
    assert response.json()["error"]["current_status"] == "pending"


def test_a_stale_revision_is_refused(acme, rita):
    job = in_review(acme)

    response = post(rita, job, "approve", {"revision": 5})

    assert response.status_code == 409
    assert "revision" in response.json()["error"]["fields"]
    assert ApprovalRequest.objects.get(job=job).status == "pending"


def test_deciding_twice_differently_is_a_409_that_says_who_decided(acme, rita, olga):
    job = in_review(acme)
    request = ApprovalRequest.objects.get(job=job)
    assert post(rita, job, "reject", {"feedback": "No."}).status_code == 200

    response = api_as(olga).post(
        f"/api/v1/approvals/{request.pk}/decide/", {"decision": "approve"}, format="json"
    )

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "already_decided"
    assert response.json()["error"]["current_status"] == "rejected"


def test_start_queues_a_pending_job(acme, alice):
    job = make_job(acme)

    response = post(alice, job, "start")

    assert response.status_code == 200 and response.json()["status"] == "queued"


def test_start_twice_is_a_409_with_the_current_status(acme, alice):
    job = make_job(acme)
    post(alice, job, "start")

    response = post(alice, job, "start")

    assert response.status_code == 409
    assert response.json()["error"]["current_status"] == "queued"


def test_cancel_keeps_a_note_in_the_history(acme, alice):
    job = make_job(acme)

    response = post(alice, job, "cancel", {"notes": "Not needed"})

    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    event = JobEvent.objects.get(job=job, to_status="cancelled")
    assert event.note == "Not needed" and event.actor == alice


def test_cancelling_a_cancelled_job_is_a_409(acme, alice):
    job = make_job(acme)
    post(alice, job, "cancel")

    response = post(alice, job, "cancel")

    assert response.status_code == 409
    assert response.json()["error"]["current_status"] == "cancelled"


def test_retry_queues_a_failed_job_and_refuses_others(acme, alice):
    job = make_job(acme, auto_process=True)
    lifecycle.transition(job, Status.PROCESSING)
    lifecycle.transition(job, Status.FAILED)

    assert post(alice, job, "retry").json()["status"] == "queued"
    again = post(alice, job, "retry")
    assert again.status_code == 409 and again.json()["error"]["current_status"] == "queued"


def test_actions_refuse_unknown_body_fields(acme, alice):
    job = make_job(acme)

    response = post(alice, job, "start", {"status": "completed"})

    assert response.status_code == 400
    job.refresh_from_db()
    assert job.status == "pending"
