"""Per-provider concurrency limits hold across threads and worker processes (Redis-backed)."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest
import redis

from jobs.providers.config import provider_config_from_env
from jobs.providers.limits import ConcurrencyLimit, LimitTimeout
from tests.conftest import ROOT
from tests.fake_openai_server import FakeOpenAIServer, Reply


def test_it_admits_up_to_the_limit_and_frees_a_released_slot(scratch_redis: redis.Redis) -> None:
    limit = ConcurrencyLimit(scratch_redis, "openai", 2)
    first, second = limit.try_acquire(), limit.try_acquire()

    assert first and second
    assert limit.try_acquire() is None
    assert limit.in_flight() == 2
    limit.release(first)
    assert limit.try_acquire() is not None


def test_a_dead_holders_slot_comes_back_when_its_lease_ends(scratch_redis: redis.Redis) -> None:
    limit = ConcurrencyLimit(scratch_redis, "openai", 1, lease_seconds=0.2)
    held = limit.try_acquire()  # never released, as if its worker was killed

    assert held and limit.try_acquire() is None
    time.sleep(0.3)
    assert limit.try_acquire() is not None


def test_a_renewed_lease_keeps_its_slot(scratch_redis: redis.Redis) -> None:
    limit = ConcurrencyLimit(scratch_redis, "openai", 1, lease_seconds=0.3)
    held = limit.try_acquire()
    for _ in range(3):
        time.sleep(0.15)
        assert limit.renew(held)

    assert limit.try_acquire() is None


def test_waiting_past_the_timeout_says_which_provider_was_busy(scratch_redis: redis.Redis) -> None:
    limit = ConcurrencyLimit(scratch_redis, "openai", 1)
    limit.try_acquire()

    with pytest.raises(LimitTimeout, match="openai: all 1 slots"):
        limit.acquire(timeout=0.1)


def test_the_environment_names_limits_per_provider() -> None:
    config = provider_config_from_env({"PROVIDER_CONCURRENCY": "openai=12"})
    assert config["concurrency"] == {"openai": 12}
    assert provider_config_from_env({})["concurrency"] == {
        "openai": 64,
        "openai-images": 8,
        "elevenlabs": 4,
    }
    with pytest.raises(ValueError, match="name=number"):
        provider_config_from_env({"PROVIDER_CONCURRENCY": "openai=lots"})


def test_a_busy_provider_counts_as_a_timeout_for_the_chain(scratch_redis: redis.Redis) -> None:
    from jobs.providers import TextRequest, configure_providers

    with FakeOpenAIServer(default=Reply(text="hello")) as server:
        config = provider_config_from_env(
            {"OPENAI_BASE_URL": server.base_url, "PROVIDER_CONCURRENCY": "openai=1"}
        )
        registry = configure_providers(config, scratch_redis)
        registry.limits["openai"].try_acquire()  # another worker holds the only slot
        chain = registry.chain("text")
        chain.slot_timeout = 0.1
        result = chain.call(
            TextRequest(messages=[{"role": "user", "content": "Say hello"}], draft="Hello.")
        )

    assert result.provider == "builtin-text"
    assert result.attempts[0].outcome == "timeout"
    assert "all 1 slots" in result.attempts[0].error
    assert server.request_count == 0


# Run in a separate process: eight threads call the hosted model through the chain.
CALLER = """
import sys, threading
import redis
from jobs.providers import TextRequest, configure_providers
from jobs.providers.config import provider_config_from_env

url, base_url = sys.argv[1], sys.argv[2]
config = provider_config_from_env({"OPENAI_BASE_URL": base_url, "PROVIDER_CONCURRENCY": "openai=3"})
registry = configure_providers(config, redis.Redis.from_url(url))
providers = []
def call():
    providers.append(registry.chain("text").call(TextRequest(messages=[{"role": "user", "content": "hi"}], draft="Hi.")).provider)
threads = [threading.Thread(target=call) for _ in range(8)]
for t in threads: t.start()
for t in threads: t.join()
print(",".join(providers))
"""


@pytest.mark.worker
def test_the_limit_holds_across_two_worker_processes(scratch_redis_url: str, scratch_redis) -> None:
    with FakeOpenAIServer(default=Reply(text="hello", delay=0.3)) as server:
        callers = [
            subprocess.Popen(
                [sys.executable, "-c", CALLER, scratch_redis_url, server.base_url],
                cwd=ROOT,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
            for _ in range(2)
        ]
        outputs = [caller.communicate(timeout=60) for caller in callers]

    for (out, err), caller in zip(outputs, callers, strict=True):
        assert caller.returncode == 0, err.decode()
        assert out.decode().strip().split(",") == ["openai"] * 8
    assert server.request_count == 16
    assert server.peak_in_flight == 3
