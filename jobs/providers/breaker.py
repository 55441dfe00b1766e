"""A circuit breaker per provider whose state lives in Redis, so every worker sees the same one.

State is kept in four keys with Redis expiries, so no worker's clock is trusted:
  breaker:<name>:failures  failure count in the current window (expires after the window)
  breaker:<name>:open      present while the breaker is open or half-open
  breaker:<name>:cooldown  present while the open breaker is cooling down (expires after it)
  breaker:<name>:trial     the one half-open trial call in flight (SET NX with an expiry)
Each transition runs as one Lua script, so concurrent workers agree. Openings, half-open
trials and closings are told to the functions in `listeners` (operations keeps their history).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Literal

log = logging.getLogger(__name__)

State = Literal["closed", "open", "half_open"]

# Called with (provider, new state, reason) on each change; a listener's error is only logged,
# because a history must never fail a provider call.
Listener = Callable[[str, str, str], None]
listeners: list[Listener] = []

# Admit a caller: "closed" (normal call), "half_open" (the single trial) or "open" (refused).
_PERMIT = """
if redis.call('EXISTS', KEYS[1]) == 0 then return 'closed' end
if redis.call('EXISTS', KEYS[2]) == 1 then return 'open' end
if redis.call('SET', KEYS[3], '1', 'NX', 'PX', ARGV[1]) then return 'half_open' end
return 'open'
"""

# Count a failure; open at the threshold, or reopen when the half-open trial failed.
_FAILURE = """
if redis.call('EXISTS', KEYS[1]) == 1 then
  if redis.call('EXISTS', KEYS[2]) == 1 then return 'open' end
  redis.call('SET', KEYS[2], '1', 'PX', ARGV[2])
  redis.call('DEL', KEYS[3])
  return 'reopened'
end
local failures = redis.call('INCR', KEYS[4])
if failures == 1 then redis.call('PEXPIRE', KEYS[4], ARGV[3]) end
if failures >= tonumber(ARGV[1]) then
  redis.call('SET', KEYS[1], '1')
  redis.call('SET', KEYS[2], '1', 'PX', ARGV[2])
  redis.call('DEL', KEYS[3], KEYS[4])
  return 'opened'
end
return 'closed'
"""

# Close: forget everything, answering whether the breaker was open (a closing to record).
_SUCCESS = """
local was_open = redis.call('EXISTS', KEYS[1])
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[4])
return was_open
"""


def _notify(name: str, state: str, reason: str) -> None:
    for listener in list(listeners):
        try:
            listener(name, state, reason)
        except Exception:  # noqa: BLE001 - see Listener
            log.exception("breaker listener failed for %s (%s)", name, state)


def _ms(seconds: float) -> int:
    return max(1, int(seconds * 1000))


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


class CircuitBreaker:
    """Opens after `failure_threshold` failures within `window_seconds`, half-opens after the
    cool-down to let exactly one trial call through, and closes when a call succeeds."""

    def __init__(
        self,
        redis_client: Any,
        name: str,
        failure_threshold: int = 5,
        window_seconds: float = 60.0,
        cooldown_seconds: float = 30.0,
        trial_seconds: float = 60.0,
    ) -> None:
        self.redis = redis_client
        self.name = name
        self.failure_threshold = max(1, int(failure_threshold))
        self.window_seconds = window_seconds
        self.cooldown_seconds = cooldown_seconds
        # How long the trial slot is held: if the trial's worker dies, another may try after.
        self.trial_seconds = trial_seconds
        prefix = f"breaker:{name}"
        self.keys = {
            "open": f"{prefix}:open",
            "cooldown": f"{prefix}:cooldown",
            "trial": f"{prefix}:trial",
            "failures": f"{prefix}:failures",
        }
        self._permit = redis_client.register_script(_PERMIT)
        self._failure = redis_client.register_script(_FAILURE)
        self._success = redis_client.register_script(_SUCCESS)

    def permit(self) -> State:
        """Ask to call: "closed" and "half_open" (the trial) admit the caller, "open" refuses."""
        keys = [self.keys["open"], self.keys["cooldown"], self.keys["trial"]]
        state = _text(self._permit(keys=keys, args=[_ms(self.trial_seconds)]))
        if state == "half_open":
            _notify(self.name, "half_open", "cool-down over: one trial call let through")
        return state  # type: ignore[return-value]

    def allow(self) -> bool:
        return self.permit() != "open"

    def record_success(self) -> None:
        keys = [self.keys[k] for k in ("open", "cooldown", "trial", "failures")]
        if int(self._success(keys=keys)):
            _notify(self.name, "closed", "a call succeeded")

    def record_failure(self) -> State:
        """Count a failed call and return the state it leaves the breaker in."""
        keys = [self.keys[k] for k in ("open", "cooldown", "trial", "failures")]
        args = [
            self.failure_threshold,
            _ms(self.cooldown_seconds),
            _ms(self.window_seconds),
        ]
        outcome = _text(self._failure(keys=keys, args=args))
        if outcome == "opened":
            reason = f"{self.failure_threshold} failed calls within {self.window_seconds:g} s"
            _notify(self.name, "open", reason)
        elif outcome == "reopened":
            _notify(self.name, "open", "the half-open trial call failed")
        return "closed" if outcome == "closed" else "open"

    def state(self) -> State:
        pipe = self.redis.pipeline(transaction=True)
        pipe.exists(self.keys["open"])
        pipe.exists(self.keys["cooldown"])
        is_open, cooling = pipe.execute()
        if not is_open:
            return "closed"
        return "open" if cooling else "half_open"

    def failures(self) -> int:
        """Failures counted in the current window (0 once the breaker has opened)."""
        return int(self.redis.get(self.keys["failures"]) or 0)

    def reset(self) -> None:
        self.record_success()
