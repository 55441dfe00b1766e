"""API tokens expire, and guessing keys from one address is paused like guessing passwords."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from jobs.api.auth import issue_token
from production import sign_in_guard
from tests.factories import api_as

pytestmark = pytest.mark.django_db


def bearer(key: str, address: str = "127.0.0.1") -> APIClient:
    client = APIClient(REMOTE_ADDR=address)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def test_a_new_token_expires_after_the_days_asked_for(alice):
    api = api_as(alice)
    default = api.post("/api/v1/tokens/", {"name": "laptop"}, format="json").json()
    short = api.post("/api/v1/tokens/", {"name": "ci", "expires_in_days": 30}, format="json").json()
    now = timezone.now()

    def days_left(body: dict) -> float:
        expires = timezone.datetime.fromisoformat(body["expires_at"].replace("Z", "+00:00"))
        return (expires - now) / timedelta(days=1)

    assert 89.9 < days_left(default) <= 90
    assert 29.9 < days_left(short) <= 30


@pytest.mark.parametrize("days", [0, 366, "soon"])
def test_an_impossible_lifetime_is_a_field_error(alice, days):
    response = api_as(alice).post(
        "/api/v1/tokens/", {"name": "x", "expires_in_days": days}, format="json"
    )
    assert response.status_code == 400
    assert "expires_in_days" in str(response.json())


def test_an_expired_token_is_refused_with_the_reason(alice):
    token, key = issue_token(user=alice, name="old")
    token.expires_at = timezone.now() - timedelta(minutes=1)
    token.save(update_fields=["expires_at"])

    response = bearer(key).get("/api/v1/jobs/")

    assert response.status_code == 401
    assert "expired" in str(response.json())


def test_guessing_keys_from_one_address_is_paused_even_for_a_valid_key(alice):
    _, key = issue_token(user=alice, name="real")
    for number in range(sign_in_guard.MAX_FAILURES_PER_ADDRESS):
        assert bearer(f"pe_guess{number}", "10.1.1.1").get("/api/v1/jobs/").status_code == 401

    paused = bearer(key, "10.1.1.1").get("/api/v1/jobs/")

    assert paused.status_code == 429
    assert int(paused["Retry-After"]) > 60
    assert bearer(key, "10.2.2.2").get("/api/v1/jobs/").status_code == 200
