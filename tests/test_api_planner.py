"""The planner endpoints: plan and store a manifest, read it back, and the manifest schema."""

from __future__ import annotations

import json

import pytest
from jsonschema import Draft202012Validator

from jobs.models import Manifest
from jobs.planner import MANIFEST_SCHEMA, SCHEMA_PATH
from tests.factories import api_as

pytestmark = pytest.mark.django_db

TREATMENT = """# Build a Vid
Scene 1 (0-3s): A laptop opens on a desk.
Narration: Step one: pick footage.
Scene 2 (3-6s): A timeline fills with clips.
Narration: Step two: let the engine cut it.
"""


def test_it_plans_and_stores_a_manifest(acme, alice):
    response = api_as(alice).post(
        "/api/v1/planner/manifests/",
        {
            "treatment": TREATMENT,
            "durationSeconds": 12,
            "aspectRatio": "9:16",
            "platform": "tiktok",
            "tone": "friendly",
            "title": "Build a Vid",
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    stored = Manifest.objects.get(pk=body["id"])
    assert stored.client == acme and stored.created_by == alice and stored.job is None
    assert body["valid"] is True and body["manifest"] == stored.manifest
    assert not list(Draft202012Validator(MANIFEST_SCHEMA).iter_errors(body["manifest"]))
    assert body["manifest"]["metadata"]["aspect_ratio"] == "9:16"
    assert body["dag"] and {"id", "kind", "depends_on"} <= set(body["dag"][0])
    assert isinstance(body["processing_ms"], float)


def test_it_reads_a_stored_manifest_back(acme, alice):
    api = api_as(alice)
    created = api.post("/api/v1/planner/manifests/", {"treatment": TREATMENT}, format="json")

    response = api.get(f"/api/v1/planner/manifests/{created.json()['id']}/")

    assert response.status_code == 200 and response.json() == created.json()


def test_a_short_treatment_is_a_400_on_treatment(alice, acme):
    response = api_as(alice).post("/api/v1/planner/manifests/", {"treatment": "hi"}, format="json")

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["treatment"]


def test_an_out_of_range_duration_is_a_400_on_that_field(alice, acme):
    response = api_as(alice).post(
        "/api/v1/planner/manifests/",
        {"treatment": TREATMENT, "durationSeconds": 4},
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["durationSeconds"]


def test_it_serves_the_manifest_json_schema(alice):
    response = api_as(alice).get("/api/v1/planner/schema")

    assert response.status_code == 200
    assert response.json() == json.loads(SCHEMA_PATH.read_text())
