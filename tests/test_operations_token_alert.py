"""A publishing token about to expire raises an alert once, and resolves once it is renewed."""

from __future__ import annotations

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.utils import timezone

from operations import alerts
from operations.models import AlertRule
from publishing import vault
from publishing.models import Connection, Platform

pytestmark = pytest.mark.django_db


@pytest.fixture
def rule(redis_conn) -> AlertRule:  # noqa: ANN001
    importlib.import_module("operations.migrations.0007_token_expiry_alert").add_rule(apps, None)
    AlertRule.objects.exclude(kind="token_expiry").update(enabled=False)
    return AlertRule.objects.get(kind="token_expiry")


def connect(client, platform: str, expires_in: timedelta) -> Connection:  # noqa: ANN001
    return Connection.objects.create(
        client=client,
        platform=platform,
        name=f"{client.name} on {platform}",
        sealed_secrets=vault.seal({"access_token": "token-1234"}),
        token_expires_at=timezone.now() + expires_in,
    )


def test_an_instagram_token_in_its_last_days_fires_once_and_resolves_when_renewed(rule, acme):
    assert rule.threshold == 120  # hours: five days, within the week a refresh needs
    account = connect(acme, Platform.INSTAGRAM, timedelta(days=3))
    fired = alerts.evaluate()
    assert [(n.status, n.subject) for n in fired] == [("firing", f"connection:{account.pk}")]
    assert "expires in 3 days" in fired[0].message and acme.name in fired[0].message
    assert alerts.evaluate() == []  # still expiring: quiet within the cool-down

    account.token_expires_at = timezone.now() + timedelta(days=60)  # renewed by a publish
    account.save()
    assert [n.status for n in alerts.evaluate()] == ["resolved"]


def test_tokens_that_refresh_themselves_or_have_time_left_raise_nothing(rule, acme):
    connect(acme, Platform.INSTAGRAM, timedelta(days=30))
    connect(acme, Platform.YOUTUBE, timedelta(minutes=10))  # Google's refresh token renews it
    assert alerts.evaluate() == []


def test_an_expired_token_says_so(rule, acme):
    connect(acme, Platform.INSTAGRAM, -timedelta(hours=2))
    [notice] = alerts.evaluate()
    assert "has expired" in notice.message and "connect it again" in notice.message
