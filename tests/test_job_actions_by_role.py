"""Each role is offered, and may post, only the job actions it has: members and owners order,
reviewers review (issue 19, item 6)."""

from __future__ import annotations

import re

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from jobs import lifecycle
from jobs.models import ProductionJob, Status
from tests.factories import PASSWORD, in_review, make_job

HTMX = {"HTTP_HX_REQUEST": "true"}
ORDERING = {"start", "cancel", "retry", "delete"}

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _queues(clean_queues):
    return clean_queues


def signed_in(user) -> HttpClient:
    client = HttpClient()
    assert client.login(username=user.get_username(), password=PASSWORD)
    return client


def job_in(client, *path: str) -> ProductionJob:
    job = make_job(client)
    for target in path:
        lifecycle.transition(job.pk, target)
    job.refresh_from_db()
    return job


def offered(user, job: ProductionJob) -> set[str]:
    html = signed_in(user).get(reverse("job_detail", args=[job.pk])).content.decode()
    return set(re.findall(rf'hx-post="/jobs/{job.pk}/actions/([a-z-]+)/"', html))


def test_a_reviewer_sees_no_start_cancel_retry_or_delete(acme, rita):
    pending = job_in(acme)
    failed = job_in(acme, Status.QUEUED, Status.PROCESSING, Status.FAILED)
    assert offered(rita, pending) == set()
    assert offered(rita, failed) == set()
    html = signed_in(rita).get(reverse("job_detail", args=[failed.pk])).content.decode()
    assert "Start processing" not in html and "Cancel job" not in html
    assert ">Retry<" not in html and ">Delete<" not in html


def test_a_client_member_sees_the_actions_the_status_allows(acme, alice):
    assert offered(alice, job_in(acme)) == {"start", "cancel"}
    failed = job_in(acme, Status.QUEUED, Status.PROCESSING, Status.FAILED)
    assert offered(alice, failed) == {"retry", "cancel", "delete"}


def test_an_owner_orders_work_too(acme, olga):
    assert offered(olga, job_in(acme)) == {"start", "cancel"}


@pytest.mark.parametrize("action", sorted(ORDERING))
def test_a_reviewer_posting_an_ordering_action_gets_403_and_nothing_changes(acme, rita, action):
    job = job_in(acme, Status.QUEUED, Status.PROCESSING, Status.FAILED)
    if action == "start":
        job = job_in(acme)
    before = job.status
    response = signed_in(rita).post(reverse("job_action", args=[job.pk, action]), **HTMX)
    assert response.status_code == 403
    assert f"only a member or owner of Acme Outdoor can {action} a job" in (
        response.content.decode()
    )
    assert ProductionJob.objects.get(pk=job.pk).status == before


def test_a_plain_form_post_from_a_reviewer_is_refused_on_the_page(acme, rita):
    job = job_in(acme)
    response = signed_in(rita).post(reverse("job_action", args=[job.pk, "start"]))
    assert response.status_code == 403
    assert 'id="action-error"' in response.content.decode()
    assert ProductionJob.objects.get(pk=job.pk).status == Status.PENDING


def test_a_member_may_post_them(acme, alice):
    job = job_in(acme)
    response = signed_in(alice).post(reverse("job_action", args=[job.pk, "cancel"]), **HTMX)
    assert response.status_code == 200
    assert ProductionJob.objects.get(pk=job.pk).status == Status.CANCELLED


def test_a_member_posting_a_decision_gets_403(acme, alice):
    job = in_review(acme)
    response = signed_in(alice).post(
        reverse("job_action", args=[job.pk, "approve"]), {"revision": "1"}, **HTMX
    )
    assert response.status_code == 403
    assert "Only a reviewer of Acme Outdoor" in response.content.decode()
    assert ProductionJob.objects.get(pk=job.pk).status == Status.REVIEW
