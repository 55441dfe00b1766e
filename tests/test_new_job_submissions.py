"""One job per submitted new-job form: a repeat of the same form answers with the first job."""

from __future__ import annotations

import threading
import uuid

import pytest
from django.db import connection
from django.test import Client as HttpClient

from dashboards import submissions
from jobs.models import ProductionJob
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def form(token: str, **extra: str) -> dict[str, str]:
    return {
        "jobType": "content",
        "title": "Spring launch post",
        "inputData.contentType": "blog_post",
        "inputData.topic": "Our spring launch",
        "submitToken": token,
        **extra,
    }


def signed_in() -> HttpClient:
    client = HttpClient()
    assert client.login(username="alice", password=PASSWORD)
    return client


def test_the_form_carries_a_fresh_token_each_time_it_is_opened(acme, alice):
    client = signed_in()
    first = client.get("/jobs/new/?jobType=content").content.decode()
    second = client.get("/jobs/new/?jobType=content").content.decode()
    token = 'name="submitToken" value="'
    assert token in first
    assert first.split(token)[1][:32] != second.split(token)[1][:32]


def test_a_repeated_post_returns_the_first_job(acme, alice):
    client = signed_in()
    token = uuid.uuid4().hex
    first = client.post("/jobs/new/", form(token))
    second = client.post("/jobs/new/", form(token))
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert ProductionJob.objects.count() == 1
    # A new form (a new token) makes a new job.
    client.post("/jobs/new/", form(uuid.uuid4().hex))
    assert ProductionJob.objects.count() == 2


def test_a_post_with_errors_leaves_the_token_free_for_the_corrected_form(acme, alice):
    client = signed_in()
    token = uuid.uuid4().hex
    refused = client.post("/jobs/new/", form(token, title=""))
    assert refused.status_code == 422
    assert f'value="{token}"' in refused.content.decode()  # the re-rendered form keeps it
    assert client.post("/jobs/new/", form(token)).status_code == 302
    assert ProductionJob.objects.count() == 1


def test_two_posts_at_the_same_moment_make_one_job(acme, alice):
    token = uuid.uuid4().hex
    locations: list[str] = []
    start = threading.Barrier(2)

    def post() -> None:
        try:
            client = signed_in()
            start.wait()
            response = client.post("/jobs/new/", form(token))
            locations.append(response.get("Location", str(response.status_code)))
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert ProductionJob.objects.count() == 1
    job = ProductionJob.objects.get()
    assert locations == [f"/jobs/{job.pk}/"] * 2


def test_a_claim_held_too_long_is_reported_busy(alice, monkeypatch):
    monkeypatch.setattr(submissions, "WAIT_SECONDS", 0.2)
    token = uuid.uuid4().hex
    first = submissions.claim(alice, token)
    assert first.key and not first.busy
    second = submissions.claim(alice, token)
    assert second.busy and not second.job_id
    first.done("job-1")
    assert submissions.claim(alice, token).job_id == "job-1"
    # Tokens are per person: another user's identical token is a separate claim.
    assert submissions.claim(type("U", (), {"pk": -1})(), token).key != first.key
