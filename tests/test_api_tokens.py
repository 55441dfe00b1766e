"""API tokens: created with the key shown once, stored as a hash, listed, revoked by their owner."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from jobs.api.auth import issue_token
from production.models import ApiToken

pytestmark = pytest.mark.django_db


def bearer(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def test_it_creates_a_token_whose_key_is_shown_once_and_stored_as_a_hash(alice):
    _, key = issue_token(user=alice, name="bootstrap")
    api = bearer(key)

    response = api.post("/api/v1/tokens/", {"name": "CI"}, format="json")

    assert response.status_code == 201
    new_key = response.json()["key"]
    assert new_key.startswith("pe_") and len(new_key) > 40
    token = ApiToken.objects.get(pk=response.json()["id"])
    assert token.key_hash == hashlib.sha256(new_key.encode()).hexdigest()
    assert new_key not in str(ApiToken.objects.filter(pk=token.pk).values().get())
    listed = api.get("/api/v1/tokens/").json()["results"]
    assert {t["name"] for t in listed} == {"bootstrap", "CI"}
    assert all("key" not in t for t in listed)
    assert bearer(new_key).get("/api/v1/jobs/").status_code == 200


def test_a_revoked_token_stops_working(alice):
    token, key = issue_token(user=alice, name="old")
    _, admin_key = issue_token(user=alice, name="admin")

    response = bearer(admin_key).delete(f"/api/v1/tokens/{token.pk}/")

    assert response.status_code == 204
    token.refresh_from_db()
    assert token.revoked_at is not None
    refused = bearer(key).get("/api/v1/jobs/")
    assert refused.status_code == 401
    assert refused.json()["error"]["code"] == "authentication_failed"


def test_nobody_revokes_another_users_token(alice, bob):
    token, _ = issue_token(user=alice, name="alice's")
    _, bob_key = issue_token(user=bob, name="bob's")

    response = bearer(bob_key).delete(f"/api/v1/tokens/{token.pk}/")

    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    assert [t["name"] for t in bearer(bob_key).get("/api/v1/tokens/").json()["results"]] == [
        "bob's"
    ]


def test_an_unknown_or_malformed_token_is_a_401(db):
    assert bearer("pe_nope").get("/api/v1/jobs/").status_code == 401
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer")
    assert client.get("/api/v1/jobs/").status_code == 401


def test_an_inactive_users_token_is_refused(alice):
    _, key = issue_token(user=alice, name="t")
    alice.is_active = False
    alice.save()

    assert bearer(key).get("/api/v1/jobs/").status_code == 401


def test_last_used_is_written_at_most_once_a_minute(alice):
    token, key = issue_token(user=alice, name="t")
    api = bearer(key)

    api.get("/api/v1/tokens/")
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    api.get("/api/v1/tokens/")
    token.refresh_from_db()
    assert token.last_used_at == first

    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - timedelta(minutes=2))
    api.get("/api/v1/tokens/")
    token.refresh_from_db()
    assert first <= token.last_used_at <= timezone.now()
