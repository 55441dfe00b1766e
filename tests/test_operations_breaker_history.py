"""The history of breaker openings: written by real breakers, on the dashboard, admin and /metrics."""

from __future__ import annotations

import time
from typing import Any

import pytest
import redis

from jobs.providers import breaker as breaker_module
from jobs.providers.base import AllProvidersFailed, ProviderError, TextResult
from jobs.providers.breaker import CircuitBreaker
from jobs.providers.chain import ProviderChain
from operations import breakers
from operations.metrics import render
from operations.models import BreakerEvent

pytestmark = pytest.mark.django_db


class Switchable:
    """A hosted provider stand-in that fails until told to answer."""

    name = "openai"
    capability = "text"
    model = "gpt-4o-mini"

    def __init__(self) -> None:
        self.failing = True

    def call(self, request: Any) -> TextResult:
        if self.failing:
            raise ProviderError("HTTP 503 from the model server", retryable=False)
        return TextResult(text="fine", tokens_in=3, tokens_out=2, model=self.model)


def chain_with_breaker(client: redis.Redis) -> tuple[ProviderChain, Switchable]:
    provider = Switchable()
    guard = CircuitBreaker(client, "openai", failure_threshold=2, cooldown_seconds=0.3)
    return ProviderChain("text", [provider], breakers={"openai": guard}), provider


def fail(chain: ProviderChain, times: int) -> None:
    for _ in range(times):
        with pytest.raises(AllProvidersFailed):
            chain.call("write")


def test_it_records_an_opening_with_its_reason(scratch_redis):
    chain, _ = chain_with_breaker(scratch_redis)

    fail(chain, 1)
    assert not BreakerEvent.objects.exists()
    fail(chain, 1)

    event = BreakerEvent.objects.get()
    assert (event.provider, event.state) == ("openai", "open")
    assert event.reason == "2 failed calls within 60 s"


def test_it_records_the_trial_and_the_closing_with_how_long_it_stayed_open(scratch_redis):
    chain, provider = chain_with_breaker(scratch_redis)
    fail(chain, 2)
    opening = BreakerEvent.objects.get()
    fail(chain, 1)  # refused while cooling down: no new row
    assert BreakerEvent.objects.count() == 1

    time.sleep(0.4)
    provider.failing = False
    assert chain.call("write").provider == "openai"

    states = list(BreakerEvent.objects.order_by("id").values_list("state", flat=True))
    assert states == ["open", "half_open", "closed"]
    closing = BreakerEvent.objects.get(state="closed")
    assert closing.opened_at == opening.created_at
    assert 0.4 <= closing.open_seconds < 5
    assert closing.reason == "a call succeeded"


def test_a_failed_trial_reopens_and_the_closing_counts_from_the_first_opening(scratch_redis):
    chain, provider = chain_with_breaker(scratch_redis)
    fail(chain, 2)
    first = BreakerEvent.objects.get()
    time.sleep(0.4)
    fail(chain, 1)
    time.sleep(0.4)
    provider.failing = False
    chain.call("write")

    rows = list(BreakerEvent.objects.order_by("id").values_list("state", "reason"))
    assert rows == [
        ("open", "2 failed calls within 60 s"),
        ("half_open", "cool-down over: one trial call let through"),
        ("open", "the half-open trial call failed"),
        ("half_open", "cool-down over: one trial call let through"),
        ("closed", "a call succeeded"),
    ]
    closing = BreakerEvent.objects.get(state="closed")
    assert closing.opened_at == first.created_at
    assert closing.open_seconds >= 0.8


def test_successes_of_a_closed_breaker_write_nothing(scratch_redis):
    chain, provider = chain_with_breaker(scratch_redis)
    provider.failing = False

    for _ in range(3):
        chain.call("write")

    assert not BreakerEvent.objects.exists()


def test_a_broken_listener_never_fails_the_call(scratch_redis, monkeypatch):
    def broken(provider: str, state: str, reason: str) -> None:
        raise RuntimeError("history database away")

    monkeypatch.setattr(breaker_module, "listeners", [broken])
    chain, provider = chain_with_breaker(scratch_redis)
    fail(chain, 2)
    time.sleep(0.4)
    provider.failing = False

    assert chain.call("write").provider == "openai"


def episode(provider: str, seconds: float) -> None:
    breakers.record(provider, "open", "2 failed calls within 60 s")
    closing = breakers.record(provider, "closed", "a call succeeded")
    BreakerEvent.objects.filter(pk=closing.pk).update(open_seconds=seconds)


def test_the_dashboard_shows_openings_to_staff_and_owners(client, staff, olga):
    episode("openai", 42.5)
    breakers.record("elevenlabs", "open", "5 failed calls within 60 s")

    for user in (staff, olga):
        client.force_login(user)
        page = client.get("/operations/metrics/").content.decode()
        table = page[page.index('id="breaker-history"') :]
        assert "<strong>openai</strong> 1" in table
        assert "<strong>elevenlabs</strong> 1" in table
        assert "42.5 s" in table
        assert "5 failed calls within 60 s" in table


def test_the_admin_lists_the_history_read_only(client, staff):
    episode("openai", 12.0)
    client.force_login(staff)

    listing = client.get("/admin/operations/breakerevent/?state__exact=closed")
    event = BreakerEvent.objects.get(state="closed")

    assert listing.status_code == 200
    assert "a call succeeded" in listing.content.decode()
    assert "2 failed calls" not in listing.content.decode()
    assert client.get("/admin/operations/breakerevent/add/").status_code == 403
    detail = client.post(f"/admin/operations/breakerevent/{event.pk}/change/", {"state": "open"})
    assert detail.status_code == 403
    assert BreakerEvent.objects.get(pk=event.pk).state == "closed"


@pytest.mark.parametrize(
    ("seconds", "said"), [(None, ""), (4.25, "4.2 s"), (754, "12 min 34 s"), (7290, "2 h 1 min")]
)
def test_how_long_a_breaker_stayed_open_reads_as_a_person_says_it(seconds, said):
    assert BreakerEvent(provider="openai", state="closed", open_seconds=seconds).open_for == said


def test_metrics_count_openings_and_changes_per_provider():
    episode("openai", 3.0)
    breakers.record("openai", "open", "2 failed calls within 60 s")
    breakers.record("elevenlabs", "open", "5 failed calls within 60 s")

    text = render().decode()

    assert 'production_breaker_openings_total{provider="openai"} 2.0' in text
    assert 'production_breaker_openings_total{provider="elevenlabs"} 1.0' in text
    assert 'production_breaker_changes_total{provider="openai",state="closed"} 1.0' in text
