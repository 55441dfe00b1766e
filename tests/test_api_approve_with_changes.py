"""Approve with changes over the API: field errors, the revision binding and the outcome."""

from __future__ import annotations

import pytest
from django.db import transaction

from approvals import services
from approvals.models import ApprovalRequest
from approvals.review import submit_for_review
from jobs import lifecycle
from jobs.models import JobEvent, ProductionJob, Status
from tests.factories import api_as, in_review

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _queues(clean_queues):
    return clean_queues


def url(job: ProductionJob) -> str:
    return f"/api/v1/jobs/{job.pk}/approve-with-changes/"


def untouched(job: ProductionJob, revision: int = 1) -> bool:
    request = ApprovalRequest.objects.get(job=job, revision=revision, gate="final")
    return request.status == "pending" and request.decided_by is None


def test_it_approves_and_starts_the_revision_that_makes_the_changes(acme, rita):
    job = in_review(acme)
    response = api_as(rita).post(
        url(job), {"changes": "Mention free shipping.", "revision": 1}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert (response.json()["status"], response.json()["revision"]) == ("queued", 2)
    decided = ApprovalRequest.objects.get(job=job, revision=1)
    assert decided.status == "approved_with_changes"
    assert decided.feedback == "Mention free shipping." and decided.decided_by == rita
    event = JobEvent.objects.get(job=job, action="decision.approved_with_changes")
    assert event.payload["next"] == "changes_without_review"


def test_the_changes_are_required_as_a_400_on_the_field(acme, rita):
    job = in_review(acme)
    for body in ({"revision": 1}, {"changes": "   ", "revision": 1}):
        response = api_as(rita).post(url(job), body, format="json")
        assert response.status_code == 400
        assert list(response.json()["error"]["fields"]) == ["changes"]
    assert untouched(job)


def test_unknown_fields_and_bad_revisions_are_400s_naming_them(acme, rita):
    job = in_review(acme)
    unknown = api_as(rita).post(url(job), {"changes": "x", "feedback": "y"}, format="json")
    bad = api_as(rita).post(url(job), {"changes": "x", "revision": 0}, format="json")
    assert unknown.status_code == 400 and "feedback" in unknown.json()["error"]["fields"]
    assert bad.status_code == 400 and "revision" in bad.json()["error"]["fields"]
    assert untouched(job)


def test_a_stale_revision_is_409_with_the_current_one(acme, rita):
    job = in_review(acme)
    services.job_decide(job=job, user=rita, decision="request_changes", feedback="Shorter.")
    job.refresh_from_db()
    lifecycle.transition(job, Status.PROCESSING)
    with transaction.atomic():
        submit_for_review(lifecycle.lock_job(job.pk))

    by_body = api_as(rita).post(url(job), {"changes": "Typo.", "revision": 1}, format="json")
    by_header = api_as(rita).post(
        url(job), {"changes": "Typo."}, format="json", HTTP_IF_MATCH='"1"'
    )

    for response in (by_body, by_header):
        assert response.status_code == 409
        assert response.json()["error"]["code"] == "stale_revision"
        assert response.json()["error"]["current_revision"] == 2
    assert untouched(job, revision=2)


def test_nothing_pending_is_409(acme, rita):
    job = in_review(acme)
    services.job_decide(job=job, user=rita, decision="cancel")
    response = api_as(rita).post(url(job), {"changes": "Typo."}, format="json")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "nothing_to_decide"


def test_an_owner_sign_off_is_not_approved_with_changes(acme, rita, olga):
    job = in_review(acme)
    services.job_decide(job=job, user=rita, decision="approve")
    assert services.pending_request_for(job).gate == "owner_signoff"
    response = api_as(olga).post(url(job), {"changes": "Typo."}, format="json")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "not_final_review"
    assert services.pending_request_for(job).status == "pending"


def test_a_member_is_refused_and_another_client_gets_404(acme, globex, alice, gary):
    job = in_review(acme)
    member = api_as(alice).post(url(job), {"changes": "Typo."}, format="json")
    stranger = api_as(gary).post(url(job), {"changes": "Typo."}, format="json")
    assert member.status_code == 403
    assert stranger.status_code == 404 and "Acme" not in stranger.content.decode()
    assert untouched(job)
