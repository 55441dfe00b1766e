"""Guessing passwords: the site's and the admin's sign-in lock an account after five failures
and an address after twenty, say so plainly, and unlock after the pause."""

from __future__ import annotations

import time

import pytest
from django.core.cache import cache

from production import sign_in_guard
from tests.factories import PASSWORD
from tests.test_api_without_redis import closed_port

pytestmark = pytest.mark.django_db

LOCKED = "Too many failed sign-ins"


def sign_in(client, username: str, password: str, url: str = "/accounts/login/"):
    return client.post(url, {"username": username, "password": password})


def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(client, alice):
    for attempt in range(4):
        response = sign_in(client, "alice", f"wrong-{attempt}")
        assert response.status_code == 200
        assert "don&#x27;t match" in response.content.decode()
    fifth = sign_in(client, "alice", "wrong-5").content.decode()
    assert LOCKED in fifth and "15 minutes" in fifth

    refused = sign_in(client, "alice", PASSWORD)
    assert refused.status_code == 200 and LOCKED in refused.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_lock_lifts_after_the_pause(client, alice, monkeypatch):
    for attempt in range(5):
        sign_in(client, "alice", f"wrong-{attempt}")
    later = time.time() + sign_in_guard.LOCK_SECONDS + 1
    monkeypatch.setattr(sign_in_guard.time, "time", lambda: later)
    response = sign_in(client, "alice", PASSWORD)
    assert response.status_code == 302


def test_a_right_password_clears_the_accounts_count(client, alice):
    for attempt in range(4):
        sign_in(client, "alice", f"wrong-{attempt}")
    assert sign_in(client, "alice", PASSWORD).status_code == 302
    client.logout()
    for attempt in range(4):
        response = sign_in(client, "alice", f"again-{attempt}")
        assert LOCKED not in response.content.decode()


def test_one_address_guessing_many_accounts_is_paused(client, alice):
    for number in range(sign_in_guard.MAX_FAILURES_PER_ADDRESS):
        sign_in(client, f"nobody-{number}", "guess")
    response = sign_in(client, "alice", PASSWORD)
    assert LOCKED in response.content.decode()
    # Another address is not affected.
    other = client.post(
        "/accounts/login/",
        {"username": "alice", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.9",
    )
    assert other.status_code == 302


def test_the_admin_sign_in_is_guarded_too(client, staff):
    for attempt in range(5):
        sign_in(client, "sam", f"wrong-{attempt}", url="/admin/login/")
    response = sign_in(client, "sam", "pw-sam-12345", url="/admin/login/")
    assert response.status_code == 200
    assert LOCKED in response.content.decode()


def test_a_member_refused_by_the_admin_is_not_counted_as_guessing(client, alice):
    for _ in range(6):
        response = sign_in(client, "alice", PASSWORD, url="/admin/login/")
        assert LOCKED not in response.content.decode()
    assert sign_in(client, "alice", PASSWORD).status_code == 302


def test_sign_in_still_works_while_the_cache_is_down(client, alice, settings):
    real = settings.CACHES["default"]
    settings.CACHES = {"default": {**real, "LOCATION": f"redis://127.0.0.1:{closed_port()}/0"}}
    with pytest.raises(Exception, match="(?i)connect"):
        cache.get("anything")
    for attempt in range(6):
        sign_in(client, "alice", f"wrong-{attempt}")
    assert sign_in(client, "alice", PASSWORD).status_code == 302
