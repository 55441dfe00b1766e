"""The seed-shaped PATCH is conditional: an ETag on GET, 412 on a stale If-Match."""

from __future__ import annotations

import pytest
from django.db import transaction
from rest_framework.test import APIClient

from approvals import services
from approvals.models import ApprovalRequest
from approvals.review import submit_for_review
from jobs import lifecycle
from jobs.models import ProductionJob, Status
from tests.factories import api_as, in_review

pytestmark = pytest.mark.django_db

URL = "/api/production/jobs"


@pytest.fixture(autouse=True)
def _queues(clean_queues):
    return clean_queues


def at_revision_two(job: ProductionJob, rita) -> ProductionJob:
    """Changes were asked on revision 1 and revision 2 now waits for review."""
    services.job_decide(job=job, user=rita, decision="request_changes", feedback="Shorter.")
    lifecycle.transition(job.pk, Status.PROCESSING)
    with transaction.atomic():
        submit_for_review(lifecycle.lock_job(job.pk))
    return ProductionJob.objects.get(pk=job.pk)


def read(client: APIClient, job: ProductionJob):
    return client.get(URL, {"jobId": str(job.pk)})


def patch(client: APIClient, job: ProductionJob, action: str, if_match: str | None = None, **body):
    headers = {"HTTP_IF_MATCH": if_match} if if_match is not None else {}
    return client.patch(
        URL, {"jobId": str(job.pk), "action": action, **body}, format="json", **headers
    )


def test_get_of_one_job_carries_its_etag(acme, rita):
    job = in_review(acme)
    response = read(api_as(rita), job)
    assert response.status_code == 200
    assert response["ETag"] == '"1.review"'
    assert [j["id"] for j in response.json()["jobs"]] == [str(job.pk)]


def test_another_clients_job_is_404_without_an_etag(acme, globex, gary):
    response = read(api_as(gary), in_review(acme))
    assert response.status_code == 404 and "ETag" not in response


def test_a_matching_if_match_applies_and_answers_the_new_etag(acme, rita):
    job = in_review(acme)
    client = api_as(rita)
    etag = read(client, job)["ETag"]
    response = patch(client, job, "revise", etag, notes="Shorter.")
    assert response.status_code == 200, response.json()
    assert response.json()["job"]["revision"] == 2
    assert response["ETag"] == '"2.queued"'


def test_a_stale_if_match_is_412_with_the_current_state_and_nothing_changes(acme, rita):
    job = in_review(acme)
    client = api_as(rita)
    etag = read(client, job)["ETag"]
    # Someone else asks for changes after we read the job: revision 2 is being written.
    services.job_decide(job=job, user=rita, decision="request_changes", feedback="Shorter.")

    response = patch(client, job, "approve", etag)

    assert response.status_code == 412
    error = response.json()["error"]
    assert error["code"] == "precondition_failed"
    assert error["current_etag"] == '"2.queued"' and error["current_revision"] == 2
    assert 'you sent If-Match "1.review"' in error["message"]
    assert "GET it again" in error["message"]
    job.refresh_from_db()
    assert (job.revision, job.status) == (2, "queued")


def test_a_status_change_within_the_revision_also_fails_the_precondition(acme, rita, olga):
    job = in_review(acme)
    etag = read(api_as(olga), job)["ETag"]
    services.job_decide(job=job, user=rita, decision="approve")  # now approved, awaiting sign-off
    response = patch(api_as(olga), job, "cancel", etag)
    assert response.status_code == 412
    job.refresh_from_db()
    assert job.status == "approved"


def test_any_of_several_etags_and_the_star_match(acme, rita):
    first, second = in_review(acme), in_review(acme, title="Second")
    client = api_as(rita)
    assert patch(client, first, "approve", '"9.review", "1.review"').status_code == 200
    assert patch(client, second, "approve", "*").status_code == 200


def test_without_if_match_the_body_revision_still_binds_with_409(acme, rita):
    job = in_review(acme)
    client = api_as(rita)
    at_revision_two(job, rita)
    stale = patch(client, job, "approve", revision=1)
    assert stale.status_code == 409
    assert stale.json()["error"]["current_revision"] == 2
    assert ApprovalRequest.objects.get(job=job, revision=2).status == "pending"
    # Neither If-Match nor revision: the decision applies to the open review, as the seed did.
    assert patch(client, job, "approve").status_code == 200


def test_a_bare_revision_number_binds_like_the_v1_api(acme, rita):
    job = in_review(acme)
    client = api_as(rita)
    at_revision_two(job, rita)
    response = patch(client, job, "approve", '"1"')
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "stale_revision"
    assert patch(client, job, "approve", '"2"').status_code == 200


def test_a_malformed_if_match_is_a_400_naming_the_header(acme, rita):
    job = in_review(acme)
    response = patch(api_as(rita), job, "approve", "1.review")
    assert response.status_code == 400
    assert "If-Match" in response.json()["error"]["fields"]
    assert ApprovalRequest.objects.get(job=job).status == "pending"


def test_if_match_and_a_different_body_revision_disagree_with_a_400(acme, rita):
    job = in_review(acme)
    response = patch(api_as(rita), job, "approve", '"1.review"', revision=2)
    assert response.status_code == 400
    assert "revision" in response.json()["error"]["fields"]
