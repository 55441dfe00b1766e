"""How many calls to one provider may be in flight at once, counted across every worker.

A provider's rate limit applies to the whole deployment, not to one process, so the count
lives in Redis: one sorted set per provider,
  limit:<name>:holders   member = a holder token, score = when its lease ends (ms, Redis clock)
A caller takes a slot with one Lua script (drop expired holders, then add itself if fewer than
`limit` remain) and gives it back with ZREM. A holder that dies without giving back its slot
loses it when its lease ends, so a crashed worker never shrinks the limit for good; a call that
outlives its lease renews it (`renew`).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

_ACQUIRE = """
local now = redis.call('TIME')
local now_ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now_ms)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], now_ms + tonumber(ARGV[2]), ARGV[3])
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]) * 2)
  return 1
end
return 0
"""

_RENEW = """
local now = redis.call('TIME')
local now_ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
if redis.call('ZSCORE', KEYS[1], ARGV[2]) then
  redis.call('ZADD', KEYS[1], 'XX', now_ms + tonumber(ARGV[1]), ARGV[2])
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[1]) * 2)
  return 1
end
return 0
"""


class LimitTimeout(Exception):
    """No slot came free in time."""


class ConcurrencyLimit:
    """At most `limit` holders of `name` at once, cluster-wide."""

    def __init__(
        self,
        redis_client: Any,
        name: str,
        limit: int,
        lease_seconds: float = 120.0,
        poll_seconds: float = 0.05,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if limit < 1:
            raise ValueError(f"the concurrency limit of {name} must be at least 1, got {limit}")
        self.redis = redis_client
        self.name = name
        self.limit = int(limit)
        self.lease_ms = max(1, int(lease_seconds * 1000))
        self.poll_seconds = poll_seconds
        self.sleep = sleep
        self.key = f"limit:{name}:holders"
        self._acquire = redis_client.register_script(_ACQUIRE)
        self._renew = redis_client.register_script(_RENEW)

    def try_acquire(self) -> str | None:
        """A holder token when a slot is free now, else None."""
        token = uuid.uuid4().hex
        taken = self._acquire(keys=[self.key], args=[self.limit, self.lease_ms, token])
        return token if int(taken) == 1 else None

    def acquire(self, timeout: float) -> str:
        """Wait up to `timeout` seconds for a slot; its holder token."""
        deadline = time.monotonic() + timeout
        while True:
            token = self.try_acquire()
            if token is not None:
                return token
            if time.monotonic() >= deadline:
                raise LimitTimeout(
                    f"{self.name}: all {self.limit} slots stayed busy for {timeout:g} s"
                )
            self.sleep(self.poll_seconds)

    def renew(self, token: str) -> bool:
        """Extend a held slot's lease; False when it had already expired."""
        return int(self._renew(keys=[self.key], args=[self.lease_ms, token])) == 1

    def release(self, token: str) -> None:
        self.redis.zrem(self.key, token)

    def in_flight(self) -> int:
        """Holders whose lease has not ended (expired ones are dropped on the next acquire)."""
        seconds, microseconds = self.redis.time()
        now_ms = int(seconds) * 1000 + int(microseconds) // 1000
        return int(self.redis.zcount(self.key, f"({now_ms}", "+inf"))

    @contextmanager
    def slot(self, timeout: float) -> Iterator[str]:
        token = self.acquire(timeout)
        try:
            yield token
        finally:
            self.release(token)
