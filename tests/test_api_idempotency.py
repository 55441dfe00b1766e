"""Idempotency-Key on creates: replay of the first response, 422 on a different body, per user."""

from __future__ import annotations

import pytest

from jobs.api import idempotency
from jobs.models import Manifest, ProductionJob
from production.models import IdempotencyRecord
from tests.factories import BLOG_INPUTS, api_as

pytestmark = pytest.mark.django_db


def body(client, title: str = "Q4 Blog Post") -> dict:
    return {
        "client": str(client.pk),
        "job_type": "content",
        "title": title,
        "input_data": dict(BLOG_INPUTS),
        "auto_process": False,
    }


def test_the_same_key_and_body_replays_the_first_response(acme, alice):
    api = api_as(alice)

    first = api.post("/api/v1/jobs/", body(acme), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    second = api.post("/api/v1/jobs/", body(acme), format="json", HTTP_IDEMPOTENCY_KEY="k-1")

    assert first.status_code == second.status_code == 201
    assert second.json() == first.json()
    assert second["Idempotent-Replayed"] == "true"
    assert ProductionJob.objects.count() == 1


def test_the_same_key_with_another_body_is_a_422(acme, alice):
    api = api_as(alice)
    api.post("/api/v1/jobs/", body(acme), format="json", HTTP_IDEMPOTENCY_KEY="k-1")

    response = api.post(
        "/api/v1/jobs/", body(acme, "Other"), format="json", HTTP_IDEMPOTENCY_KEY="k-1"
    )

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "idempotency_key_reused"
    assert ProductionJob.objects.count() == 1


def test_keys_are_scoped_per_user(acme, alice, olga):
    first = api_as(alice).post(
        "/api/v1/jobs/", body(acme), format="json", HTTP_IDEMPOTENCY_KEY="shared"
    )
    second = api_as(olga).post(
        "/api/v1/jobs/", body(acme), format="json", HTTP_IDEMPOTENCY_KEY="shared"
    )

    assert first.status_code == second.status_code == 201
    assert first.json()["id"] != second.json()["id"]
    assert ProductionJob.objects.count() == 2


def test_without_a_key_every_request_creates(acme, alice):
    api = api_as(alice)

    api.post("/api/v1/jobs/", body(acme), format="json")
    api.post("/api/v1/jobs/", body(acme), format="json")

    assert ProductionJob.objects.count() == 2 and not IdempotencyRecord.objects.exists()


def test_a_failed_request_is_not_remembered(acme, alice):
    api = api_as(alice)
    bad = body(acme)
    bad["input_data"] = {}

    failed = api.post("/api/v1/jobs/", bad, format="json", HTTP_IDEMPOTENCY_KEY="k-2")
    fixed = api.post("/api/v1/jobs/", body(acme), format="json", HTTP_IDEMPOTENCY_KEY="k-2")

    assert failed.status_code == 400 and fixed.status_code == 201


def test_the_loser_of_a_race_replays_the_winners_response(acme, alice, monkeypatch):
    api = api_as(alice)
    winner = api.post("/api/v1/jobs/", body(acme), format="json", HTTP_IDEMPOTENCY_KEY="race")
    real_find = idempotency.find_record
    calls: list[int] = []

    def find_after_the_check(user, key):
        # The loser's first look happens before the winner committed: it sees nothing.
        calls.append(1)
        return None if len(calls) == 1 else real_find(user, key)

    monkeypatch.setattr(idempotency, "find_record", find_after_the_check)

    loser = api.post("/api/v1/jobs/", body(acme), format="json", HTTP_IDEMPOTENCY_KEY="race")

    assert loser.status_code == 201 and loser.json() == winner.json()
    assert ProductionJob.objects.count() == 1, "the loser's job was rolled back"


def test_seed_creates_and_manifests_are_idempotent_too(acme, alice):
    api = api_as(alice)
    seed = {
        "clientId": str(acme.pk),
        "jobType": "content",
        "title": "Seed post",
        "inputData": dict(BLOG_INPUTS),
        "autoProcess": False,
    }
    plan = {
        "treatment": "Scene 1: a runner at dawn. Narration: Start small.",
        "durationSeconds": 20,
    }

    for _ in range(2):
        assert (
            api.post(
                "/api/production/jobs", seed, format="json", HTTP_IDEMPOTENCY_KEY="seed"
            ).status_code
            == 201
        )
        assert (
            api.post(
                "/api/v1/planner/manifests/", plan, format="json", HTTP_IDEMPOTENCY_KEY="plan"
            ).status_code
            == 201
        )

    assert ProductionJob.objects.count() == 1 and Manifest.objects.count() == 1


def test_a_key_is_bound_to_its_endpoint(acme, alice):
    api = api_as(alice)
    api.post("/api/v1/jobs/", body(acme), format="json", HTTP_IDEMPOTENCY_KEY="k-3")

    response = api.post(
        "/api/v1/planner/manifests/",
        {"treatment": "Scene 1: a runner at dawn."},
        format="json",
        HTTP_IDEMPOTENCY_KEY="k-3",
    )

    assert response.status_code == 422


def test_a_key_is_forgotten_after_its_hours_and_old_records_are_swept(acme, alice, settings):
    from datetime import timedelta

    from django.utils import timezone

    settings.IDEMPOTENCY_KEY_HOURS = 24
    api = api_as(alice)
    api.post("/api/v1/jobs/", body(acme), format="json", HTTP_IDEMPOTENCY_KEY="old-1")
    api.post("/api/v1/jobs/", body(acme, "Second"), format="json", HTTP_IDEMPOTENCY_KEY="old-2")
    IdempotencyRecord.objects.update(created_at=timezone.now() - timedelta(hours=25))

    reused = api.post(
        "/api/v1/jobs/", body(acme, "Another"), format="json", HTTP_IDEMPOTENCY_KEY="old-1"
    )

    assert reused.status_code == 201 and "Idempotent-Replayed" not in reused
    assert ProductionJob.objects.count() == 3
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["old-1"]
    replay = api.post(
        "/api/v1/jobs/", body(acme, "Another"), format="json", HTTP_IDEMPOTENCY_KEY="old-1"
    )
    assert replay["Idempotent-Replayed"] == "true" and replay.json() == reused.json()
