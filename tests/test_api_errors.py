"""One error shape everywhere: code, message and field errors; 409 carries the current status."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from jobs.api.errors import flatten, map_path
from tests.factories import BLOG_INPUTS, api_as, make_job

pytestmark = pytest.mark.django_db


def assert_error_shape(body: dict) -> dict:
    assert set(body) == {"error"}
    error = body["error"]
    assert {"code", "message", "fields"} <= set(error)
    assert isinstance(error["code"], str) and error["code"]
    assert isinstance(error["message"], str) and error["message"]
    assert all(
        isinstance(v, list) and all(isinstance(m, str) for m in v) for v in error["fields"].values()
    )
    return error


def test_every_kind_of_failure_has_the_one_shape(acme, alice):
    api = api_as(alice)
    job = make_job(acme)
    failures = [
        (APIClient().get("/api/v1/jobs/"), 401),
        (api.get("/api/v1/jobs/00000000-0000-0000-0000-000000000000/"), 404),
        (api.post("/api/v1/jobs/", {"title": ""}, format="json"), 400),
        (api.post("/api/v1/jobs/", "not json", content_type="application/json"), 400),
        (api.post("/api/v1/jobs/", "a=b", content_type="application/x-www-form-urlencoded"), 415),
        (api.delete(f"/api/v1/jobs/{job.pk}/"), 409),
        (api.put(f"/api/v1/jobs/{job.pk}/", {}, format="json"), 405),
        (api.get("/api/v1/no-such-thing"), 404),
        (api.get("/api/production/jobs?limit=0"), 400),
    ]
    for response, status in failures:
        assert response.status_code == status, (status, response.content)
        assert response["Content-Type"].startswith("application/json")
        assert_error_shape(response.json())


def test_a_forbidden_transition_is_a_409_with_the_current_status(acme, alice):
    job = make_job(acme)

    error = assert_error_shape(api_as(alice).post(f"/api/v1/jobs/{job.pk}/retry/").json())

    assert error["code"] == "invalid_transition"
    assert error["current_status"] == "pending"


def test_validation_errors_name_the_field_path(acme, alice):
    body = {
        "client": str(acme.pk),
        "job_type": "content",
        "title": "T",
        "input_data": {**BLOG_INPUTS, "length": "epic"},
        "auto_process": False,
    }

    response = api_as(alice).post("/api/v1/jobs/", body, format="json")

    error = assert_error_shape(response.json())
    assert response.status_code == 400 and list(error["fields"]) == ["input_data.length"]


def test_an_unknown_job_type_is_reported_on_job_type(acme, alice):
    body = {"client": str(acme.pk), "job_type": "poem", "title": "T"}

    error = assert_error_shape(api_as(alice).post("/api/v1/jobs/", body, format="json").json())

    assert list(error["fields"]) == ["job_type"]


def test_nested_drf_errors_flatten_to_dotted_paths():
    detail = {"a": {"b": ["bad"]}, "items": [{}, {"c": ["worse"]}], "non_field_errors": ["x"]}

    assert flatten(detail) == {"a.b": ["bad"], "items.1.c": ["worse"], "": ["x"]}


def test_service_paths_are_respelled_for_each_api_style():
    assert map_path("inputData.topic", "snake") == "input_data.topic"
    assert map_path("jobType", "snake") == "job_type"
    assert map_path("input_data.topic", "camel") == "inputData.topic"
    assert map_path("inputData.contentType", "camel") == "inputData.contentType"


def test_routes_answer_with_or_without_a_trailing_slash(alice):
    api = api_as(alice)

    assert api.get("/api/v1/tokens").status_code == api.get("/api/v1/tokens/").status_code == 200
    assert api.post("/api/v1/tokens", {"name": "x"}, format="json").status_code == 201


def test_a_docs_path_without_its_slash_still_redirects(db):
    from django.test import Client

    response = Client().get("/api/docs")

    assert response.status_code == 301 and response["Location"] == "/api/docs/"


@pytest.mark.parametrize("path", ["/api/v1/jobs/", "/api/production/jobs", "/api/v1/templates/"])
def test_a_body_over_the_size_limit_is_a_json_413(alice, settings, path):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000

    response = api_as(alice).post(path, {"title": "x" * 5_000}, format="json")

    assert response.status_code == 413
    assert response["Content-Type"].startswith("application/json")
    error = assert_error_shape(response.json())
    assert error["code"] == "too_large" and "1000 bytes" in error["message"]


def test_an_unexpected_failure_under_api_is_a_json_500(alice, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("jobs.api.views.JobViewSet.list", broken)
    api = api_as(alice)
    api.raise_request_exception = False

    response = api.get("/api/v1/jobs/")

    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    assert assert_error_shape(response.json())["code"] == "server_error"


def test_a_request_django_refuses_before_any_view_is_a_json_400_under_api(db):
    from django.test import Client

    response = Client().get("/api/v1/jobs/", HTTP_HOST="evil.example")

    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert assert_error_shape(response.json())["code"] == "bad_request"


def test_error_pages_outside_the_api_stay_html(db):
    from django.test import Client

    refused = Client().get("/accounts/login/", HTTP_HOST="evil.example")

    assert refused.status_code == 400 and refused["Content-Type"].startswith("text/html")


def test_the_schema_documents_the_413_on_operations_that_take_a_body():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)

    create = schema["paths"]["/api/v1/jobs/"]["post"]["responses"]
    assert create["413"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Error"
    }
