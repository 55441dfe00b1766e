"""Throttling per token: over the rate a caller gets 429 with Retry-After; tokens count apart."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from jobs.api.auth import issue_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def low_rate(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api": "3/min"},
    }
    yield


def bearer(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def test_over_the_rate_a_token_gets_429_with_retry_after(alice, low_rate):
    _, key = issue_token(user=alice, name="busy")
    api = bearer(key)

    statuses = [api.get("/api/v1/jobs/").status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]
    refused = api.get("/api/v1/jobs/")
    assert refused.json()["error"]["code"] == "throttled"
    assert 0 < int(refused["Retry-After"]) <= 60


def test_each_token_has_its_own_budget(alice, low_rate):
    _, first = issue_token(user=alice, name="one")
    _, second = issue_token(user=alice, name="two")
    for _ in range(3):
        bearer(first).get("/api/v1/jobs/")

    assert bearer(first).get("/api/v1/jobs/").status_code == 429
    assert bearer(second).get("/api/v1/jobs/").status_code == 200


def test_the_default_rate_lets_ordinary_use_through(alice):
    _, key = issue_token(user=alice, name="normal")
    api = bearer(key)

    assert all(api.get("/api/v1/jobs/").status_code == 200 for _ in range(20))
