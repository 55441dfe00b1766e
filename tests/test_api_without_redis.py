"""The API while Redis (the throttle's cache) is unreachable: calls are served, the outage logged."""

from __future__ import annotations

import logging
import socket

import pytest
from django.core.cache import cache

from jobs.api import throttling
from tests.factories import BLOG_INPUTS, api_as

pytestmark = pytest.mark.django_db

THROTTLE_LOGGER = "jobs.api.throttling"


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on: bound for a number, closed, then proven shut."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with socket.socket() as probe, pytest.raises(ConnectionRefusedError):
        probe.connect(("127.0.0.1", port))
    return port


@pytest.fixture
def fresh_outage(monkeypatch):
    """This process's record of outages starts empty, and goes back as it was after the test."""
    monkeypatch.setattr(throttling, "outage", throttling.CacheOutage())
    return throttling.outage


@pytest.fixture
def redis_down(settings, fresh_outage):
    real = settings.CACHES["default"]
    settings.CACHES = {"default": {**real, "LOCATION": f"redis://127.0.0.1:{closed_port()}/0"}}
    with pytest.raises(Exception, match="(?i)connect"):
        cache.get("anything")
    yield real


def test_it_answers_api_calls_while_the_cache_is_unreachable(acme, alice, redis_down):
    api = api_as(alice)
    body = {"client": str(acme.pk), "job_type": "content", "title": "T", "input_data": BLOG_INPUTS}

    listed = api.get("/api/v1/jobs/")
    created = api.post("/api/v1/jobs/", {**body, "auto_process": False}, format="json")
    seed = api.get("/api/production/jobs")

    assert listed.status_code == 200, listed.content
    assert created.status_code == 201, created.content
    assert seed.status_code == 200 and seed.json()["total"] == 1


def test_it_logs_the_outage_once_rather_than_for_every_request(alice, redis_down, caplog):
    api = api_as(alice)

    with caplog.at_level(logging.WARNING, logger=THROTTLE_LOGGER):
        statuses = [api.get("/api/v1/jobs/").status_code for _ in range(5)]

    assert statuses == [200] * 5
    warnings = [r for r in caplog.records if r.name == THROTTLE_LOGGER]
    assert len(warnings) == 1
    assert "throttling is off" in warnings[0].getMessage()
    assert "unreachable" in warnings[0].getMessage()


def test_it_throttles_again_once_the_cache_answers(alice, redis_down, settings, monkeypatch):
    monkeypatch.setattr(throttling, "OUTAGE_PAUSE_SECONDS", 0.0)
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api": "2/min"},
    }
    api = api_as(alice)
    assert [api.get("/api/v1/jobs/").status_code for _ in range(3)] == [200, 200, 200]

    settings.CACHES = {"default": redis_down}

    assert [api.get("/api/v1/jobs/").status_code for _ in range(3)] == [200, 200, 429]
