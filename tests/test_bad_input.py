"""Input the database cannot store or the code cannot walk is a clear 4xx, and nothing is written.

NUL characters and unpaired surrogates only break on PostgreSQL (SQLite stores NUL), so this
file is run on both databases. JSON is sent as text: "\\ud800" is how a lone surrogate arrives.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from approvals import services as decisions
from approvals.models import ApprovalRequest
from jobs.models import JobEvent, JobTemplate, Manifest, ProductionJob
from production.input_safety import DEPTH_MESSAGE, NUL_MESSAGE, SURROGATE_MESSAGE
from production.models import ApiToken
from tests.factories import BLOG_INPUTS, api_as, in_review, login, make_job

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
BAD_TEXT = {"surrogate": ("\ud800", SURROGATE_MESSAGE), "nul": ("\x00", NUL_MESSAGE)}


def rows() -> dict[str, int]:
    """Counts of everything a request could have half-written."""
    return {
        model.__name__: model.objects.count()
        for model in (ProductionJob, JobTemplate, JobEvent, ApiToken, Manifest)
    }


def send(api, method: str, path: str, body: Any):
    # ensure_ascii writes a lone surrogate as the escape "\ud800", as a client would send it.
    return getattr(api, method)(path, json.dumps(body), content_type="application/json")


def deep_object(depth: int) -> str:
    """{"a": [[[...]]]} as JSON text, the list nested `depth` deep."""
    return '{"a": ' + "[" * depth + "]" * depth + "}"


def assert_refused(response, field: str, message: str) -> None:
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert message in error["fields"].get(field, []), error


# --- the API ----------------------------------------------------------------------------------


def api_cases(acme, job, template) -> list[tuple[str, str, Any, str]]:
    """(method, path, body with BAD in one place, the field the error must name)."""
    blog = {"client": str(acme.pk), "job_type": "content", "title": "T", "auto_process": False}
    return [
        (
            "post",
            "/api/v1/jobs/",
            {**blog, "input_data": {**BLOG_INPUTS, "topic": "BAD"}},
            "input_data.topic",
        ),
        (
            "post",
            "/api/v1/jobs/",
            {**blog, "input_data": {**BLOG_INPUTS, "BAD": 1}},
            "input_data.?",
        ),
        ("post", "/api/v1/jobs/", {**blog, "input_data": BLOG_INPUTS, "title": "BAD"}, "title"),
        (
            "post",
            "/api/v1/jobs/",
            {**blog, "input_data": BLOG_INPUTS, "description": "BAD"},
            "description",
        ),
        (
            "patch",
            f"/api/v1/jobs/{job.pk}/",
            {"input_data": {"topic": ["BAD"]}},
            "input_data.topic.0",
        ),
        (
            "post",
            "/api/production/jobs",
            {"jobType": "content", "title": "T", "inputData": {**BLOG_INPUTS, "topic": "BAD"}},
            "inputData.topic",
        ),
        (
            "post",
            "/api/v1/templates/",
            {
                "client": str(acme.pk),
                "name": "N",
                "job_type": "content",
                "default_inputs": {"tone": "BAD"},
            },
            "default_inputs.tone",
        ),
        (
            "patch",
            f"/api/v1/templates/{template.pk}/",
            {"default_inputs": {"topic": "BAD"}},
            "default_inputs.topic",
        ),
        ("post", "/api/v1/tokens/", {"name": "BAD"}, "name"),
        (
            "post",
            "/api/production-planner/phase4",
            {"treatmentText": "Scene 1: a hook.", "analyzerJson": {"scenes": [{"n": "BAD"}]}},
            "analyzerJson.scenes.0.n",
        ),
    ]


@pytest.mark.parametrize("bad", BAD_TEXT, ids=list(BAD_TEXT))
def test_text_the_database_cannot_store_is_a_400_naming_its_field(acme, olga, bad):
    char, message = BAD_TEXT[bad]
    job = make_job(acme, user=olga)
    template = JobTemplate.objects.create(client=acme, name="Blog", job_type="content")
    api = api_as(olga)
    before = rows()

    for method, path, body, field in api_cases(acme, job, template):
        text = json.dumps(body).replace("BAD", json.dumps(char)[1:-1])
        response = getattr(api, method)(path, text, content_type="application/json")
        assert_refused(response, field, message)

    assert rows() == before
    job.refresh_from_db()
    template.refresh_from_db()
    assert job.input_data["topic"] == BLOG_INPUTS["topic"] and template.default_inputs == {}


@pytest.mark.parametrize("bad", BAD_TEXT, ids=list(BAD_TEXT))
def test_decision_feedback_the_database_cannot_store_is_a_400(acme, rita, bad):
    char, message = BAD_TEXT[bad]
    job = in_review(acme)
    request = decisions.pending_request_for(job)
    api = api_as(rita)
    feedback = {"decision": "request_changes", "feedback": f"Shorter{char}", "revision": 1}

    by_request = send(api, "post", f"/api/v1/approvals/{request.pk}/decide/", feedback)
    by_job = send(api, "post", f"/api/v1/jobs/{job.pk}/reject/", {"feedback": f"No{char}"})
    by_seed = send(
        api,
        "patch",
        "/api/production/jobs",
        {"jobId": str(job.pk), "action": "revise", "notes": char},
    )

    assert_refused(by_request, "feedback", message)
    assert_refused(by_job, "feedback", message)
    assert_refused(by_seed, "notes", message)
    request.refresh_from_db()
    assert request.status == "pending" and request.feedback == ""


@pytest.mark.parametrize("depth", [100, 5_000])
@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/api/v1/jobs/", "input_data"),
        ("/api/production/jobs", "inputData"),
        ("/api/v1/templates/", "default_inputs"),
        ("/api/production-planner/phase4", "analyzerJson"),
    ],
)
def test_json_nested_too_deeply_is_a_400_naming_the_field(acme, olga, path, field, depth):
    api = api_as(olga)
    before = rows()
    text = f'{{"title": "T", "{field}": {deep_object(depth)}}}'

    response = api.post(path, text, content_type="application/json")

    assert response.status_code == 400, response.content
    fields = response.json()["error"]["fields"]
    assert next(m for p, m in fields.items() if p.split(".")[0] == field) == [DEPTH_MESSAGE]
    assert rows() == before


def test_deep_json_with_an_idempotency_key_is_still_a_400(acme, olga):
    api = api_as(olga)

    response = api.post(
        "/api/v1/jobs/",
        '{"title": "T", "input_data": ' + deep_object(900) + "}",
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="deep-1",
    )

    # The field is named down to the depth Python's decoder reached ("input_data.a", or
    # "input_data" when the decoder itself gave up).
    fields = response.json()["error"]["fields"]
    assert response.status_code == 400 and list(fields)[0].startswith("input_data")


def test_a_template_whose_defaults_do_not_fit_its_job_type_is_refused(acme, olga):
    api = api_as(olga)
    body = {"client": str(acme.pk), "name": "Blog", "job_type": "content"}

    wrong_value = api.post(
        "/api/v1/templates/", {**body, "default_inputs": {"length": "epic"}}, format="json"
    )
    unknown = api.post(
        "/api/v1/templates/", {**body, "default_inputs": {"colour": "red"}}, format="json"
    )
    wrong_type = api.post(
        "/api/v1/templates/", {**body, "default_inputs": {"topic": 7}}, format="json"
    )

    assert list(wrong_value.json()["error"]["fields"]) == ["default_inputs.length"]
    assert list(unknown.json()["error"]["fields"]) == ["default_inputs.colour"]
    assert list(wrong_type.json()["error"]["fields"]) == ["default_inputs.topic"]
    assert {wrong_value.status_code, unknown.status_code, wrong_type.status_code} == {400}
    assert not JobTemplate.objects.exists()


def test_partial_defaults_are_accepted_and_make_jobs(acme, olga):
    api = api_as(olga)
    body = {"client": str(acme.pk), "name": "Blog", "job_type": "content"}
    partial = {"contentType": "blog_post", "tone": "friendly"}

    created = api.post("/api/v1/templates/", {**body, "default_inputs": partial}, format="json")
    job = api.post(
        "/api/v1/jobs/",
        {"template": created.json()["id"], "title": "T", "input_data": {"topic": "Trail running"}},
        format="json",
    )

    assert created.status_code == 201 and job.status_code == 201, job.content


def test_editing_a_template_checks_new_defaults_against_its_job_type(acme, olga):
    template = JobTemplate.objects.create(client=acme, name="Video", job_type="video")
    api = api_as(olga)

    response = api.patch(
        f"/api/v1/templates/{template.pk}/",
        {"default_inputs": {"durationSeconds": 9000}},
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["default_inputs.durationSeconds"]
    template.refresh_from_db()
    assert template.default_inputs == {}


# --- the dashboard ------------------------------------------------------------------------------


def new_job_form(acme, **override: str) -> dict[str, str]:
    return {
        "submitted": "1",
        "client": str(acme.pk),
        "jobType": "content",
        "title": "A post",
        "description": "",
        "inputData.contentType": "blog_post",
        "inputData.topic": "Trail running",
        **override,
    }


@pytest.mark.parametrize("name", ["title", "description", "inputData.topic", "priority"])
def test_a_nul_in_a_new_job_field_is_a_form_error_at_that_field(client, acme, alice, name):
    login(client, alice)
    before = rows()

    response = client.post(reverse("new_job"), new_job_form(acme, **{name: "a\x00b"}), **HTMX)

    assert response.status_code == 422
    errors = response.context["errors"]
    assert NUL_MESSAGE in errors.get(name, []) or NUL_MESSAGE in response.context["general_errors"]
    assert rows() == before


def test_a_nul_in_an_input_is_shown_next_to_that_input(client, acme, alice):
    login(client, alice)

    response = client.post(
        reverse("new_job"), new_job_form(acme, **{"inputData.topic": "a\x00b"}), **HTMX
    )

    shown = re.search(r'id="f-inputData-topic-error">([^<]+)<', response.content.decode())
    assert shown and NUL_MESSAGE in shown.group(1)


def test_numbers_json_cannot_hold_are_a_form_error(client, acme, alice):
    login(client, alice)
    before = rows()

    response = client.post(
        reverse("new_job"),
        {
            "submitted": "1",
            "client": str(acme.pk),
            "jobType": "data_viz",
            "title": "Chart",
            "inputData.chartType": "bar",
            "inputData.title": "Sales",
            "inputData.data": "2024: nan\n2025: inf",
        },
        **HTMX,
    )

    assert response.status_code == 422 and rows() == before


@pytest.mark.parametrize(
    "query", ["?q=%00", "?q=a%00b&status=pending", "?q=%ED%A0%80", "?page=%00"]
)
def test_a_search_with_characters_the_database_cannot_compare_still_lists(
    client, acme, alice, query
):
    make_job(acme, title="ab")
    login(client, alice)

    page = client.get(reverse("dashboard") + query)
    fragment = client.get(reverse("dashboard") + query, **HTMX)

    assert page.status_code == 200 and fragment.status_code == 200


@pytest.mark.parametrize("revision", ["²", "٣", "0", "-1", "99999999999999999999999", "1.5", "%00"])
def test_a_revision_that_is_not_a_plain_number_shows_the_latest(client, acme, alice, revision):
    job = make_job(acme)
    login(client, alice)

    page = client.get(reverse("job_detail", args=[job.pk]), {"revision": revision})
    part = client.get(reverse("job_partial", args=[job.pk, "outputs"]), {"revision": revision})

    assert page.status_code == 200 and part.status_code == 200


def test_nul_in_decision_feedback_on_the_job_page_is_refused_at_the_field(client, acme, rita):
    job = in_review(acme)
    login(client, rita)
    url = reverse("job_action", args=[job.pk, "request-changes"])

    response = client.post(url, {"feedback": "Shorter\x00please", "revision": "1"}, **HTMX)

    assert response.status_code == 422
    assert response.context["error_field"] == "feedback"
    assert response.context["error"] == NUL_MESSAGE
    assert decisions.pending_request_for(job) is not None
    job.refresh_from_db()
    assert job.status == "review" and job.revision == 1


def test_a_revision_like_superscript_two_on_a_decision_is_no_server_error(client, acme, rita):
    job = in_review(acme)
    login(client, rita)
    url = reverse("job_action", args=[job.pk, "approve"])

    response = client.post(url, {"revision": "²"}, **HTMX)

    assert response.status_code in (200, 422)


@pytest.mark.parametrize(
    "posted",
    [
        {"decision": "request_changes", "feedback": "Shorter\x00"},
        {"decision": "approve", "expected_revision": "²"},
        {"decision": "approve", "expected_revision": "99999999999999999999"},
    ],
)
def test_the_review_page_refuses_what_cannot_be_stored(client, acme, rita, posted):
    job = in_review(acme)
    request = decisions.pending_request_for(job)
    login(client, rita)

    response = client.post(reverse("reviews:decide", args=[request.pk]), posted)

    assert response.status_code == 400
    assert ApprovalRequest.objects.get(pk=request.pk).status == "pending"


# --- the admin ----------------------------------------------------------------------------------


@pytest.fixture
def staff_client(staff) -> HttpClient:
    client = HttpClient()
    client.force_login(staff)
    return client


def admin_template(acme, defaults: str, job_type: str = "content") -> dict[str, str]:
    return {
        "client": str(acme.pk),
        "name": "From the admin",
        "description": "",
        "job_type": job_type,
        "default_inputs": defaults,
        "priority": "normal",
        "is_active": "on",
    }


@pytest.mark.parametrize(
    ("defaults", "message"),
    [
        ('{"length": "epic"}', "length: Must be one of"),
        ('{"colour": "red"}', "colour: This field is not allowed."),
        ('{"topic": "a\\u0000b"}', NUL_MESSAGE),
        ('{"topic": "\\ud800"}', SURROGATE_MESSAGE),
        (deep_object(5_000), DEPTH_MESSAGE),
        (deep_object(100), DEPTH_MESSAGE),
        ("[1, 2]", "Must be an object."),
    ],
)
def test_the_admin_refuses_template_defaults_that_do_not_fit(staff_client, acme, defaults, message):
    url = reverse("admin:jobs_jobtemplate_add")

    response = staff_client.post(url, admin_template(acme, defaults))

    assert response.status_code == 200
    errors = " ".join(response.context["adminform"].form.errors.get("default_inputs", []))
    assert message in errors
    assert not JobTemplate.objects.exists()


def test_the_admin_saves_partial_defaults(staff_client, acme):
    url = reverse("admin:jobs_jobtemplate_add")

    response = staff_client.post(url, admin_template(acme, '{"contentType": "email"}'))

    assert response.status_code == 302
    assert JobTemplate.objects.get().default_inputs == {"contentType": "email"}


@pytest.mark.parametrize("model", ["productionjob", "jobtemplate", "steprun"])
def test_an_admin_search_drops_nul_and_a_filter_holding_one_is_a_400(staff_client, acme, model):
    make_job(acme, title="ab")
    url = reverse(f"admin:jobs_{model}_changelist")

    searched = staff_client.get(url + "?q=a%00b")
    filtered = staff_client.get(url + "?status__exact=%00")

    assert searched.status_code == 200
    assert filtered.status_code == 400


def test_an_idempotency_key_holding_a_nul_is_a_400(acme, olga):
    body = {"client": str(acme.pk), "job_type": "content", "title": "T", "input_data": BLOG_INPUTS}

    response = api_as(olga).post(
        "/api/v1/jobs/", body, format="json", HTTP_IDEMPOTENCY_KEY="key\x00one"
    )

    assert_refused(response, "Idempotency-Key", NUL_MESSAGE)
    assert not ProductionJob.objects.exists()
