"""A job page's live fragment is rendered once per version and view and reused: the next viewer
of the same version gets the same page without a render, a change (a notice) renders it again,
people who may do different things get different fragments, each gets their own CSRF token,
and the tenant check runs on every request."""

from __future__ import annotations

import re
import threading
import time as clock

import pytest
from django.db import connection, transaction
from django.test import Client as DjangoClient
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dashboards import live_fragments, live_shared
from dashboards.pipeline import Pipeline
from jobs import lifecycle, live
from jobs.models import Status
from tests.factories import in_review, login, make_job, make_user

pytestmark = pytest.mark.django_db(transaction=True)

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _queues(clean_queues):
    return clean_queues


def fetch(client: DjangoClient, job) -> str:
    response = client.get(reverse("job_partial", args=[job.pk, "live"]), **HTMX)
    assert response.status_code == 200
    return response.content.decode()


def bump(job) -> None:
    """A change an open page should see: a notice goes out once it commits."""
    with transaction.atomic():
        live.notify(job.pk, "job", job.client_id)


def without_tokens(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_the_second_viewer_of_a_version_reuses_the_render(acme, alice, renders):
    job = make_job(acme, title="Trail guide")
    bump(job)
    first, second = DjangoClient(), DjangoClient()
    login(first, alice)
    login(second, alice)

    page = fetch(first, job)
    with CaptureQueriesContext(connection) as queries:
        again = fetch(second, job)

    assert len(renders) == 1
    assert without_tokens(page) == without_tokens(again) and "Trail guide" in again
    # The reuse reads neither the timeline nor the job and its requests: those come from the
    # first viewer's read of this version; the tenant check uses the viewer's memberships.
    tables = ("jobs_jobevent", "jobs_productionjob", "approvals_approvalrequest")
    assert not any(t in q["sql"] for q in queries.captured_queries for t in tables)


def test_a_change_renders_the_fragment_again(acme, alice, renders):
    job = make_job(acme, title="Trail guide")
    bump(job)
    client = login(DjangoClient(), alice)
    assert "Pending" in fetch(client, job)
    lifecycle.transition(job.pk, Status.QUEUED)  # saves the job: a notice on commit

    page = fetch(client, job)

    assert len(renders) == 2 and "Queued" in page


def test_people_who_may_do_different_things_get_different_fragments(acme, alice, rita, renders):
    job = in_review(acme, title="Cold brew launch")
    bump(job)
    member = login(DjangoClient(), alice)
    reviewer = login(DjangoClient(), rita)

    assert "actions/approve/" not in fetch(member, job)
    assert "actions/approve/" in fetch(reviewer, job)
    assert len(renders) == 2


def test_each_viewer_gets_their_own_working_csrf_token(acme, rita, renders):
    job = in_review(acme, title="Cold brew launch")
    bump(job)
    ron = make_user("ron", acme, "reviewer")
    fetch(login(DjangoClient(enforce_csrf_checks=True), ron), job)  # the render now cached
    reviewer = login(DjangoClient(enforce_csrf_checks=True), rita)

    page = fetch(reviewer, job)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    assert len(renders) == 1 and token != live_fragments.CSRF_SLOT
    response = reviewer.post(
        reverse("job_action", args=[job.pk, "approve"]),
        {"csrfmiddlewaretoken": token, "revision": "1", "feedback": "Fine."},
        **HTMX,
    )

    assert response.status_code == 200
    job.refresh_from_db()
    assert job.status in (Status.APPROVED, Status.COMPLETED)


def test_another_client_never_gets_a_cached_fragment(acme, globex, alice, bob):
    job = make_job(acme, title="Trail guide")
    bump(job)
    fetch(login(DjangoClient(), alice), job)

    stranger = login(DjangoClient(), bob)
    response = stranger.get(reverse("job_partial", args=[job.pk, "live"]), **HTMX)

    assert response.status_code == 404 and b"Trail guide" not in response.content


def test_a_membership_ended_since_the_version_was_read_ends_the_access(acme, alice, renders):
    job = make_job(acme, title="Trail guide")
    bump(job)
    fetch(login(DjangoClient(), alice), job)
    alice.memberships.all().delete()

    response = login(DjangoClient(), alice).get(
        reverse("job_partial", args=[job.pk, "live"]), **HTMX
    )

    assert response.status_code == 404


def test_without_a_version_every_request_renders(acme, alice, renders, monkeypatch):
    monkeypatch.setattr(live, "version", lambda channels: 0)  # Redis not answering
    job = make_job(acme, title="Trail guide")
    client = login(DjangoClient(), alice)
    fetch(client, job)
    fetch(client, job)
    assert len(renders) == 2


def test_viewers_asking_at_once_wait_for_one_render(acme, monkeypatch):
    job = make_job(acme, title="Trail guide")
    monkeypatch.setattr(live, "version", lambda channels: 7)
    built = []

    def slow_context() -> dict:
        built.append(1)
        clock.sleep(0.3)  # a render that takes a while: the others arrive meanwhile
        return {"job": job, "pipeline": Pipeline(revision=1), "detail": None, "live": False}

    monkeypatch.setattr(live_fragments, "render_to_string", lambda name, context: "<p>page</p>")
    results = []

    def viewer() -> None:
        request = RequestFactory().get("/")
        results.append(live_fragments.fragment(request, job, 7, "view", slow_context))

    threads = [threading.Thread(target=viewer) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(built) == 1 and len(results) == 5
    assert {html for html, _ in results} == {"<p>page</p>"}


def test_viewers_asking_at_once_wait_for_one_read_of_the_job(acme, monkeypatch):
    job = make_job(acme, title="Trail guide")
    reads = []

    def slow_load():
        reads.append(1)
        clock.sleep(0.3)  # the others arrive meanwhile
        return job, []

    results = []
    threads = [
        threading.Thread(target=lambda: results.append(live_fragments.facts(job.pk, 9, slow_load)))
        for _ in range(5)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(reads) == 1 and len(results) == 5
    assert {found.pk for found, _ in results} == {job.pk}


def test_a_caller_refused_while_building_does_not_hold_up_the_others(acme):
    job = make_job(acme, title="Trail guide")
    refused = threading.Event()

    def refusing_load():
        clock.sleep(0.2)
        refused.set()
        raise PermissionError("not theirs")

    def first():
        with pytest.raises(PermissionError):
            live_fragments.facts(job.pk, 11, refusing_load)

    opener = threading.Thread(target=first)
    opener.start()
    clock.sleep(0.05)  # the first holds the claim
    started = clock.monotonic()
    found, _ = live_fragments.facts(job.pk, 11, lambda: (job, []))
    waited = clock.monotonic() - started
    opener.join()

    assert refused.is_set() and found.pk == job.pk
    # Woken by the refusal, not by the claim running out after CLAIM_SECONDS.
    assert waited < live_shared.CLAIM_SECONDS
