"""Try a capability's providers in order, once each, behind their breakers, recording every try.

The chain only fails over: a provider that fails hands the request to the next one, and the
chain never sleeps and tries a provider again. Retrying with backoff is the step's business
(jobs/engine/retry.py): when every provider failed, `ProvidersExhausted.retryable` says
whether a later attempt of the step may succeed (a timeout, throttling, a server error, an open
breaker) or not (every provider refused the request itself, or none is configured).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection

from .base import AllProvidersFailed, Attempt, Provider, ProviderError, ProviderTimeout, Result
from .breaker import CircuitBreaker
from .limits import ConcurrencyLimit, LimitTimeout
from .pricing import cost_for, is_priced
from .specs import is_local

logger = logging.getLogger(__name__)

BreakerSource = Mapping[str, CircuitBreaker] | Callable[[str], CircuitBreaker | None] | None
AttemptCallback = Callable[[Attempt], None]


class ProvidersExhausted(AllProvidersFailed):
    """Every provider failed once; `retryable` when any failed for a passing reason."""

    def __init__(self, attempts: list[Attempt], capability: str, *, retryable: bool) -> None:
        super().__init__(attempts, capability)
        self.retryable = retryable


@dataclass(frozen=True)
class ChainResult:
    value: Result
    provider: str
    attempts: list[Attempt]

    @property
    def calls(self) -> int:
        return sum(1 for a in self.attempts if a.called)

    @property
    def tokens_in(self) -> int:
        return sum(a.tokens_in for a in self.attempts)

    @property
    def tokens_out(self) -> int:
        return sum(a.tokens_out for a in self.attempts)

    @property
    def cost_usd(self) -> float:
        return round(sum(a.cost_usd for a in self.attempts), 6)

    @property
    def duration_ms(self) -> float:
        return round(sum(a.duration_ms for a in self.attempts), 3)


class ProviderChain:
    """An ordered list of providers for one capability, tried until one succeeds."""

    def __init__(
        self,
        capability: str,
        providers: Sequence[Provider],
        breakers: BreakerSource = None,
        prices: Mapping[str, Any] | None = None,
        on_attempt: AttemptCallback | None = None,
        limits: Mapping[str, ConcurrencyLimit] | None = None,
        slot_timeout: float = 300.0,
    ) -> None:
        self.capability = capability
        self.providers = list(providers)
        self._breakers = breakers
        self.prices = prices or {}
        self.on_attempt = on_attempt
        self.limits = limits or {}
        # How long a call waits for a free slot of its provider before that provider counts
        # as timed out; waiting is cheap (no worker process is held, only a thread).
        self.slot_timeout = slot_timeout

    @property
    def names(self) -> list[str]:
        return [p.name for p in self.providers]

    def breaker_for(self, provider_name: str) -> CircuitBreaker | None:
        if self._breakers is None:
            return None
        if isinstance(self._breakers, Mapping):
            return self._breakers.get(provider_name)
        return self._breakers(provider_name)

    def call(self, request: Any, on_attempt: AttemptCallback | None = None) -> ChainResult:
        """Return the first provider's success; raise ProvidersExhausted with every attempt."""
        attempts: list[Attempt] = []
        last_error: BaseException | None = None
        retryable = False

        def record(attempt: Attempt) -> None:
            attempts.append(attempt)
            for callback in (self.on_attempt, on_attempt):
                if callback is not None:
                    callback(attempt)

        for provider in self.providers:
            breaker = self.breaker_for(provider.name)
            if breaker is not None and breaker.permit() == "open":
                record(self._attempt(provider, 0, "circuit_open", 0.0, error="circuit open"))
                retryable = True  # the breaker closes again after its cool-down
                continue
            started = time.perf_counter()
            try:
                value = self._call(provider, request)
            except ProviderTimeout as exc:
                outcome, passing, last_error = "timeout", True, exc
            except ProviderError as exc:
                outcome, passing, last_error = "error", exc.retryable, exc
            except Exception as exc:  # A broken provider must not stop the chain.
                logger.exception("provider %s raised unexpectedly", provider.name)
                # A broken provider fails the same way again, unless its error says it is
                # passing: the media kit's timeouts (espeak-ng, ffmpeg) are permanent=False.
                passing = getattr(exc, "permanent", True) is False
                outcome, last_error = "error", exc
            else:
                record(self._success(provider, 1, _ms_since(started), value))
                if breaker is not None:
                    breaker.record_success()
                return ChainResult(value=value, provider=provider.name, attempts=attempts)
            record(self._attempt(provider, 1, outcome, _ms_since(started), _describe(last_error)))
            retryable = retryable or passing
            if breaker is not None:
                breaker.record_failure()
        raise ProvidersExhausted(attempts, self.capability, retryable=retryable) from last_error

    def _call(self, provider: Provider, request: Any) -> Result:
        if not is_local(provider.name):
            release_database_connection()
        limit = self.limits.get(provider.name)
        if limit is None:
            return provider.call(request)
        try:
            token = limit.acquire(self.slot_timeout)
        except LimitTimeout as exc:
            raise ProviderTimeout(str(exc)) from exc
        try:
            return provider.call(request)
        finally:
            limit.release(token)

    def _attempt(
        self, provider: Provider, number: int, outcome: str, elapsed: float, error: str = ""
    ) -> Attempt:
        return Attempt(
            provider=provider.name,
            capability=self.capability,
            attempt=number,
            outcome=outcome,  # type: ignore[arg-type]
            duration_ms=elapsed,
            error=error,
            model=str(getattr(provider, "model", "") or ""),
        )

    def _success(self, provider: Provider, number: int, elapsed: float, value: Result) -> Attempt:
        tokens_in = int(getattr(value, "tokens_in", 0) or 0)
        tokens_out = int(getattr(value, "tokens_out", 0) or 0)
        model = str(getattr(value, "model", "") or getattr(provider, "model", "") or "")
        return Attempt(
            provider=provider.name,
            capability=self.capability,
            attempt=number,
            outcome="ok",
            duration_ms=elapsed,
            tokens_in=tokens_in,
            tokens_out=tokens_out,
            cost_usd=cost_for(provider.name, model, tokens_in, tokens_out, self.prices),
            model=model,
            unpriced=not is_priced(provider.name, model, self.prices),
        )


def release_database_connection() -> None:
    """Give back this thread's database connection before seconds of waiting on the network.

    A step worker runs dozens of steps at once; each would otherwise pin a PostgreSQL
    connection while its model thinks. Django opens a new one at the next query (a few ms
    against a call of seconds). Inside a transaction the connection must stay, and a process
    that never set Django up (a script using only the providers) has none to give back.
    """
    if settings.configured and not connection.in_atomic_block:
        connection.close()


def _ms_since(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 3)


def _describe(error: BaseException | None) -> str:
    if error is None:
        return ""
    # The person reads this in the job's error: the message in words, never the class name
    # (the trace keeps that for staff).
    text = str(error).strip() or "an unexpected error with no message"
    return text[:500]
