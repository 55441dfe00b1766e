"""The OpenAPI schema: valid without warnings, documented errors and examples, offline docs."""

from __future__ import annotations

import re

import pytest
import yaml
from django.core.management import call_command
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema(django_db_blocker) -> dict:
    from drf_spectacular.generators import SchemaGenerator

    with django_db_blocker.unblock():
        return SchemaGenerator().get_schema(request=None, public=True)


def test_the_schema_validates_with_no_warnings(tmp_path):
    out = tmp_path / "schema.yaml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))

    assert yaml.safe_load(out.read_text())["openapi"].startswith("3.")


def test_every_route_is_documented(schema):
    paths = set(schema["paths"])
    for expected in (
        "/api/v1/jobs/",
        "/api/v1/jobs/{id}/",
        "/api/v1/jobs/{id}/approve/",
        "/api/v1/jobs/{id}/request-changes/",
        "/api/v1/jobs/{id}/reject/",
        "/api/v1/jobs/{id}/cancel/",
        "/api/v1/jobs/{id}/retry/",
        "/api/v1/jobs/{id}/start/",
        "/api/v1/jobs/{id}/outputs/",
        "/api/v1/jobs/{id}/history/",
        "/api/v1/jobs/{id}/steps/",
        "/api/v1/outputs/{id}/download",
        "/api/v1/templates/",
        "/api/v1/templates/{id}/",
        "/api/v1/approvals/",
        "/api/v1/approvals/{id}/decide/",
        "/api/v1/safety/check",
        "/api/v1/planner/manifests/",
        "/api/v1/planner/manifests/{id}/",
        "/api/v1/planner/schema",
        "/api/v1/tokens/",
        "/api/v1/tokens/{id}/",
        "/api/production/jobs",
        "/api/production-planner/phase4",
    ):
        assert expected in paths, expected


def test_operations_are_tagged_secured_and_document_their_errors(schema):
    assert schema["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "description": pytest.approx(
            schema["components"]["securitySchemes"]["bearerAuth"]["description"]
        ),
    }
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            assert operation["tags"], (method, path)
            assert {"bearerAuth": []} in operation["security"], (method, path)
            for code in ("400", "401", "403", "404", "429"):
                ref = operation["responses"][code]["content"]["application/json"]["schema"]
                assert ref == {"$ref": "#/components/schemas/Error"}, (method, path, code)


def test_transitions_document_409_and_creates_document_idempotency(schema):
    jobs = schema["paths"]["/api/v1/jobs/"]["post"]
    assert "409" in schema["paths"]["/api/v1/jobs/{id}/cancel/"]["post"]["responses"]
    assert "422" in jobs["responses"]
    assert "Idempotency-Key" in [p["name"] for p in jobs["parameters"]]
    assert jobs["requestBody"]["content"]["application/json"]["examples"]


def test_request_bodies_refuse_unknown_fields(schema):
    body = schema["components"]["schemas"]["JobCreateRequest"]
    assert body["additionalProperties"] is False
    assert "status" not in body["properties"] and "safety_score" not in body["properties"]


def test_the_seed_example_is_in_the_schema(schema):
    post = schema["paths"]["/api/production/jobs"]["post"]
    examples = post["requestBody"]["content"]["application/json"]["examples"]
    values = [example["value"] for example in examples.values()]
    assert any(
        value.get("inputData", {}).get("topic") == "Industry trends 2024" for value in values
    )


@pytest.mark.parametrize("path", ["/api/docs/", "/api/redoc/"])
def test_the_docs_pages_load_their_assets_from_this_server(path):
    html = Client().get(path).content.decode()

    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any("/static/drf_spectacular_sidecar/" in asset for asset in assets)
    assert not [asset for asset in assets if asset.startswith(("http:", "https:", "//"))]
    assert "cdn." not in html
