"""Values built once and shared: across processes through Redis (one build per key however
many ask), and within a process (the streams one notice wakes ask Redis once between them)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest

from dashboards import live_shared

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _queues(clean_queues):
    return clean_queues


def at_once(count: int, ask: Callable[[], Any]) -> list[Any]:
    results: list[Any] = []
    threads = [threading.Thread(target=lambda: results.append(ask())) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def slow(value: str, built: list[str]) -> Callable[[], str]:
    def build() -> str:
        built.append(value)
        time.sleep(0.3)  # the others arrive meanwhile
        return value

    return build


def test_callers_in_other_processes_wait_for_one_build():
    built: list[str] = []
    results = at_once(5, lambda: live_shared.between_processes("k-cross", slow("v", built)))
    assert built == ["v"] and results == ["v"] * 5
    # Stored for whoever asks next, in any process.
    assert live_shared.between_processes("k-cross", slow("again", built)) == "v"
    assert built == ["v"]


def test_a_builder_that_fails_lets_the_next_caller_build_at_once():
    def failing() -> str:
        time.sleep(0.2)
        raise PermissionError("not theirs")

    def first() -> None:
        with pytest.raises(PermissionError):
            live_shared.between_processes("k-fail", failing)

    opener = threading.Thread(target=first)
    opener.start()
    time.sleep(0.05)  # the first holds the claim
    started = time.monotonic()
    found = live_shared.between_processes("k-fail", lambda: "mine")
    opener.join()
    assert found == "mine"
    assert time.monotonic() - started < live_shared.CLAIM_SECONDS


def test_the_streams_of_one_process_ask_redis_once_between_them(monkeypatch):
    asked: list[str] = []
    original = live_shared.between_processes

    def counting(key: str, build: Callable[[], Any]) -> Any:
        asked.append(key)
        return original(key, build)

    monkeypatch.setattr(live_shared, "between_processes", counting)
    built: list[str] = []
    results = at_once(20, lambda: live_shared.shared("k-local", slow("v", built)))
    assert results == ["v"] * 20 and built == ["v"] and asked == ["k-local"]

    # Kept a moment only; then Redis is asked again (and still holds it: no new build).
    monkeypatch.setattr(live_shared, "LOCAL_SECONDS", 0.0)
    live_shared.shared("k-local-2", lambda: "w")
    assert live_shared.shared("k-local-2", lambda: "built again") == "w"
    assert asked == ["k-local", "k-local-2", "k-local-2"]


def test_a_thread_whose_build_fails_passes_the_key_to_the_next():
    attempts: list[int] = []

    def flaky() -> str:
        attempts.append(1)
        time.sleep(0.1)
        if len(attempts) == 1:
            raise RuntimeError("template missing")
        return "ok"

    def ask() -> str:
        try:
            return live_shared.shared("k-flaky", flaky)
        except RuntimeError:
            return "failed"

    results = at_once(4, ask)
    assert sorted(results) == ["failed", "ok", "ok", "ok"] and len(attempts) == 2


def test_without_a_key_every_caller_builds():
    built: list[str] = []
    at_once(3, lambda: live_shared.shared("", slow("v", built)))
    assert built == ["v"] * 3
