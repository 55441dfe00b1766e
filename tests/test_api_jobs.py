"""The jobs endpoints of /api/v1/: list with filters and pages, create, read, edit, delete."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from jobs.models import JobEvent, ProductionJob
from tests.factories import BLOG_INPUTS, api_as, make_job, make_user, with_scope_statements

pytestmark = pytest.mark.django_db


def create_body(client, **overrides) -> dict:
    return {
        "client": str(client.pk),
        "job_type": "content",
        "title": "Q4 Blog Post",
        "description": "Blog about industry trends",
        "priority": "normal",
        "input_data": dict(BLOG_INPUTS),
        "auto_process": False,
        **overrides,
    }


def test_it_lists_only_the_callers_jobs_newest_first_with_page_counts(acme, globex, alice):
    first = make_job(acme, title="First")
    second = make_job(acme, title="Second")
    make_job(globex, title="Not yours")

    response = api_as(alice).get("/api/v1/jobs/")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2 and body["next"] is None and body["previous"] is None
    assert [job["id"] for job in body["results"]] == [str(second.pk), str(first.pk)]
    assert body["results"][0]["client_name"] == "Acme Outdoor"


def test_it_filters_by_status_type_priority_client_and_search(acme, alice):
    blog = make_job(acme, title="Trail blog", priority="high")
    make_job(acme, title="Other post", priority="low")
    queued = make_job(acme, title="Queued trail", auto_process=True)
    api = api_as(alice)

    def ids(query: str) -> set[str]:
        response = api.get(f"/api/v1/jobs/?{query}")
        assert response.status_code == 200, response.json()
        return {job["id"] for job in response.json()["results"]}

    assert ids("status=queued") == {str(queued.pk)}
    assert ids("priority=high") == {str(blog.pk)}
    assert ids("type=content") == ids("") and len(ids("")) == 3
    assert ids("type=visual") == set()
    assert ids(f"client={acme.pk}") == ids("")
    assert ids("search=trail") == {str(blog.pk), str(queued.pk)}


def test_it_filters_by_creation_time(acme, alice):
    old = make_job(acme, title="Old")
    ProductionJob.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=3))
    new = make_job(acme, title="New")
    cut = (timezone.now() - timedelta(days=1)).isoformat()
    api = api_as(alice)

    after = api.get("/api/v1/jobs/", {"created_after": cut}).json()["results"]
    before = api.get("/api/v1/jobs/", {"created_before": cut}).json()["results"]

    assert [job["id"] for job in after] == [str(new.pk)]
    assert [job["id"] for job in before] == [str(old.pk)]


def test_it_refuses_unknown_filter_values_with_the_field_named(alice):
    response = api_as(alice).get("/api/v1/jobs/?status=done&created_after=yesterday")

    assert response.status_code == 400
    assert "status" in response.json()["error"]["fields"]


def test_it_pages_with_next_and_previous_links(acme, alice):
    for index in range(3):
        make_job(acme, title=f"Post {index}")

    page1 = api_as(alice).get("/api/v1/jobs/?page_size=2").json()

    assert page1["count"] == 3 and len(page1["results"]) == 2
    assert "page=2" in page1["next"] and page1["previous"] is None
    page2 = api_as(alice).get(page1["next"]).json()
    assert len(page2["results"]) == 1 and page2["next"] is None


def test_it_creates_a_pending_job_and_records_who_created_it(acme, alice):
    response = api_as(alice).post("/api/v1/jobs/", create_body(acme), format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    job = ProductionJob.objects.get(pk=body["id"])
    assert job.status == "pending" and body["status"] == "pending"
    assert job.created_by == alice and body["created_by"] == "alice"
    assert body["input_data"]["topic"] == BLOG_INPUTS["topic"]
    assert JobEvent.objects.filter(job=job, action="created").exists()


def test_it_queues_the_job_when_auto_process_is_on(acme, alice, clean_queues):
    response = api_as(alice).post(
        "/api/v1/jobs/", create_body(acme, auto_process=True), format="json"
    )

    assert response.status_code == 201
    assert response.json()["status"] == "queued"


def test_it_defaults_the_client_when_the_caller_has_only_one(acme, alice):
    body = create_body(acme)
    del body["client"]

    response = api_as(alice).post("/api/v1/jobs/", body, format="json")

    assert response.status_code == 201
    assert response.json()["client"] == str(acme.pk)


def test_it_needs_the_client_when_the_caller_has_several(acme, globex, alice):
    from production.models import Membership

    Membership.objects.create(user=alice, client=globex, role="member")
    body = create_body(acme)
    del body["client"]

    response = api_as(alice).post("/api/v1/jobs/", body, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"client": ["This field is required."]}


def test_it_reports_input_errors_with_their_schema_path(acme, alice):
    inputs = {key: value for key, value in BLOG_INPUTS.items() if key != "topic"}

    response = api_as(alice).post(
        "/api/v1/jobs/", create_body(acme, input_data=inputs), format="json"
    )

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert error["fields"]["input_data.topic"] == ["This field is required."]
    assert not ProductionJob.objects.exists()


def test_it_refuses_status_safety_and_other_read_only_fields_on_create(acme, alice):
    body = create_body(acme, status="completed", safety_score=100, truth_verified=True)

    response = api_as(alice).post("/api/v1/jobs/", body, format="json")

    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"status", "safety_score", "truth_verified"}
    assert not ProductionJob.objects.exists()


def test_it_applies_a_template_of_the_client(acme, alice):
    from jobs.models import JobTemplate

    template = JobTemplate.objects.create(
        client=acme, name="Blog", job_type="content", default_inputs=dict(BLOG_INPUTS)
    )
    body = create_body(acme, template=template.pk, input_data={"topic": "Winter hikes"})
    del body["job_type"]

    response = api_as(alice).post("/api/v1/jobs/", body, format="json")

    assert response.status_code == 201, response.json()
    assert response.json()["template"] == template.pk
    assert response.json()["input_data"]["topic"] == "Winter hikes"
    assert response.json()["input_data"]["contentType"] == "blog_post"


def test_it_retrieves_a_job_with_its_read_only_fields(acme, alice):
    job = make_job(acme)

    body = api_as(alice).get(f"/api/v1/jobs/{job.pk}/").json()

    assert body["id"] == str(job.pk)
    for field in (
        "status",
        "safety_score",
        "safety_band",
        "truth_verified",
        "revision",
        "cost_usd",
        "tokens_total",
        "created_by",
    ):
        assert field in body


def test_it_answers_404_for_a_malformed_id(alice):
    response = api_as(alice).get("/api/v1/jobs/not-a-uuid/")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_it_edits_a_pending_job(acme, alice):
    job = make_job(acme)

    response = api_as(alice).patch(
        f"/api/v1/jobs/{job.pk}/", {"title": "Better title", "priority": "urgent"}, format="json"
    )

    assert response.status_code == 200, response.json()
    job.refresh_from_db()
    assert (job.title, job.priority) == ("Better title", "urgent")


def test_it_refuses_to_edit_a_job_that_is_no_longer_pending_with_409(acme, alice, clean_queues):
    job = make_job(acme, auto_process=True)

    response = api_as(alice).patch(f"/api/v1/jobs/{job.pk}/", {"title": "Late"}, format="json")

    assert response.status_code == 409
    assert response.json()["error"]["current_status"] == "queued"
    job.refresh_from_db()
    assert job.title == "Spring blog post"


def test_it_refuses_to_set_status_or_client_by_patch(acme, globex, alice):
    job = make_job(acme)

    response = api_as(alice).patch(
        f"/api/v1/jobs/{job.pk}/",
        {"status": "completed", "client": str(globex.pk), "revision": 7},
        format="json",
    )

    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"status", "client", "revision"}
    job.refresh_from_db()
    assert (job.status, job.client_id, job.revision) == ("pending", acme.pk, 1)


def test_it_validates_edited_inputs_against_the_schema(acme, alice):
    job = make_job(acme)

    response = api_as(alice).patch(
        f"/api/v1/jobs/{job.pk}/", {"input_data": {"contentType": "blog_post"}}, format="json"
    )

    assert response.status_code == 400
    assert "input_data.topic" in response.json()["error"]["fields"]


def test_it_does_not_accept_put(acme, alice):
    job = make_job(acme)

    response = api_as(alice).put(f"/api/v1/jobs/{job.pk}/", {"title": "x"}, format="json")

    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"


def test_it_deletes_a_cancelled_job(acme, alice):
    job = make_job(acme)
    api = api_as(alice)
    assert api.post(f"/api/v1/jobs/{job.pk}/cancel/", {}, format="json").status_code == 200

    response = api.delete(f"/api/v1/jobs/{job.pk}/")

    assert response.status_code == 204
    assert not ProductionJob.objects.filter(pk=job.pk).exists()


def test_it_refuses_to_delete_a_job_that_is_not_cancelled_or_failed(acme, alice):
    job = make_job(acme)

    response = api_as(alice).delete(f"/api/v1/jobs/{job.pk}/")

    assert response.status_code == 409
    assert response.json()["error"]["current_status"] == "pending"
    assert ProductionJob.objects.filter(pk=job.pk).exists()


def test_it_works_with_a_browser_session_too(acme, alice):
    from tests.factories import PASSWORD

    make_job(acme)
    client = APIClient(enforce_csrf_checks=True)
    assert client.login(username="alice", password=PASSWORD)

    assert client.get("/api/v1/jobs/").json()["count"] == 1
    # Session writes need the CSRF token, like any form of the site.
    assert client.post("/api/v1/jobs/", create_body(acme), format="json").status_code == 403


def test_it_refuses_anonymous_callers_with_401_and_a_bearer_challenge(db):
    response = APIClient().get("/api/v1/jobs/")

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["error"]["code"] == "not_authenticated"


def test_it_lets_staff_see_every_clients_jobs(acme, globex, staff):
    make_job(acme)
    make_job(globex)

    assert api_as(staff).get("/api/v1/jobs/").json()["count"] == 2


def test_it_lists_jobs_with_a_fixed_number_of_queries(acme, alice, django_assert_max_num_queries):
    for index in range(5):
        make_job(acme, title=f"Post {index}", user=make_user(f"u{index}", acme))
    api = api_as(alice)

    with django_assert_max_num_queries(with_scope_statements(8, statements=4)):
        response = api.get("/api/v1/jobs/")

    assert response.json()["count"] == 5
