"""The Redis-backed circuit breaker: opening, cooling down, one half-open trial, closing."""

from __future__ import annotations

import threading
import time

import redis

from jobs.providers import CircuitBreaker
from tests import redis_isolation


def breaker(client: redis.Redis, **options: float) -> CircuitBreaker:
    settings = {"failure_threshold": 3, "window_seconds": 60, "cooldown_seconds": 0.5}
    settings.update(options)
    return CircuitBreaker(client, "openai", **settings)  # type: ignore[arg-type]


def open_breaker(target: CircuitBreaker) -> None:
    for _ in range(target.failure_threshold):
        target.record_failure()
    assert target.state() == "open"


def test_it_starts_closed_and_allows_calls(scratch_redis: redis.Redis) -> None:
    target = breaker(scratch_redis)

    assert target.state() == "closed"
    assert target.allow()
    assert target.permit() == "closed"


def test_it_opens_on_the_threshold_failure_and_not_before(scratch_redis: redis.Redis) -> None:
    target = breaker(scratch_redis)

    assert target.record_failure() == "closed"
    assert target.record_failure() == "closed"
    assert target.failures() == 2
    assert target.allow()

    assert target.record_failure() == "open"
    assert target.state() == "open"
    assert not target.allow()


def test_it_forgets_failures_older_than_the_window(scratch_redis: redis.Redis) -> None:
    target = breaker(scratch_redis, window_seconds=0.3)
    target.record_failure()
    target.record_failure()

    time.sleep(0.4)

    assert target.record_failure() == "closed"
    assert target.failures() == 1


def test_it_half_opens_after_the_cool_down(scratch_redis: redis.Redis) -> None:
    target = breaker(scratch_redis, cooldown_seconds=0.3)
    open_breaker(target)

    time.sleep(0.4)

    assert target.state() == "half_open"
    assert target.permit() == "half_open"
    assert target.permit() == "open"  # The trial slot is taken.


def test_it_gives_exactly_one_concurrent_caller_the_half_open_trial(
    scratch_redis: redis.Redis, scratch_redis_url: str
) -> None:
    open_breaker(breaker(scratch_redis, cooldown_seconds=0.3))
    time.sleep(0.4)
    callers = 12
    # One connection per caller, as separate worker processes would have.
    workers = [
        breaker(redis.Redis.from_url(scratch_redis_url), cooldown_seconds=0.3)
        for _ in range(callers)
    ]
    start = threading.Barrier(callers)
    answers: list[str] = []
    lock = threading.Lock()

    def ask(worker: CircuitBreaker) -> None:
        start.wait()
        answer = worker.permit()
        with lock:
            answers.append(answer)

    threads = [threading.Thread(target=ask, args=(worker,)) for worker in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(answers) == ["half_open"] + ["open"] * (callers - 1)


def test_it_closes_when_the_trial_succeeds(scratch_redis: redis.Redis) -> None:
    target = breaker(scratch_redis, cooldown_seconds=0.2)
    open_breaker(target)
    time.sleep(0.3)
    assert target.permit() == "half_open"

    target.record_success()

    assert target.state() == "closed"
    assert target.failures() == 0
    assert target.record_failure() == "closed"  # The count starts over.


def test_it_reopens_for_a_full_cool_down_when_the_trial_fails(scratch_redis: redis.Redis) -> None:
    target = breaker(scratch_redis, cooldown_seconds=0.3)
    open_breaker(target)
    time.sleep(0.4)
    assert target.permit() == "half_open"

    assert target.record_failure() == "open"

    assert target.state() == "open"
    assert not target.allow()
    time.sleep(0.4)
    assert target.permit() == "half_open"  # A fresh trial slot after the new cool-down.


def test_it_ignores_late_failures_while_cooling_down(scratch_redis: redis.Redis) -> None:
    target = breaker(scratch_redis, cooldown_seconds=0.4)
    open_breaker(target)
    time.sleep(0.25)

    target.record_failure()  # A call that started before the breaker opened.

    time.sleep(0.25)
    assert target.state() == "half_open"


def test_it_frees_the_trial_slot_when_the_trial_never_reports(scratch_redis: redis.Redis) -> None:
    target = breaker(scratch_redis, cooldown_seconds=0.2, trial_seconds=0.3)
    open_breaker(target)
    time.sleep(0.3)
    assert target.permit() == "half_open"

    time.sleep(0.4)  # The worker holding the trial died.

    assert target.permit() == "half_open"


def test_it_shares_state_between_instances_of_the_same_name(
    scratch_redis: redis.Redis, scratch_redis_url: str
) -> None:
    here = breaker(scratch_redis)
    elsewhere = breaker(redis.Redis.from_url(scratch_redis_url))
    other_provider = CircuitBreaker(scratch_redis, "other", failure_threshold=3)

    open_breaker(here)

    assert elsewhere.state() == "open"
    assert not elsewhere.allow()
    assert other_provider.state() == "closed"


def test_it_keeps_its_state_under_breaker_prefixed_keys(scratch_redis: redis.Redis) -> None:
    target = breaker(scratch_redis)
    target.record_failure()
    open_breaker(target)

    keys = {key.decode() for key in scratch_redis.keys("*")} - {redis_isolation.CLAIM_KEY}

    assert keys == {"breaker:openai:open", "breaker:openai:cooldown"}
