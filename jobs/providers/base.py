"""Shared vocabulary of the provider layer: attempts, results, errors and the Provider shape."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal, Protocol, runtime_checkable

Capability = Literal["text", "image", "speech", "music", "render"]
CAPABILITIES: tuple[str, ...] = ("text", "image", "speech", "music", "render")

Outcome = Literal["ok", "error", "timeout", "circuit_open"]


@dataclass(frozen=True)
class Attempt:
    """One try of one provider; `attempt` is 1-based and 0 when the breaker refused the call."""

    provider: str
    capability: str
    attempt: int
    outcome: Outcome
    duration_ms: float = 0.0
    tokens_in: int = 0
    tokens_out: int = 0
    cost_usd: float = 0.0
    error: str = ""
    model: str = ""
    # True when the price table has no price for this provider and model: cost_usd is not known.
    unpriced: bool = False

    @property
    def called(self) -> bool:
        """Whether this attempt reached the provider (a refused call costs nothing)."""
        return self.outcome != "circuit_open"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class TextResult:
    text: str
    tokens_in: int = 0
    tokens_out: int = 0
    model: str = ""


@dataclass(frozen=True)
class MediaResult:
    data: bytes
    mime: str = "application/octet-stream"
    meta: dict[str, Any] = field(default_factory=dict)
    # Media providers may bill by tokens too; most bill per call (see pricing).
    tokens_in: int = 0
    tokens_out: int = 0
    model: str = ""


Result = TextResult | MediaResult


class ProviderError(Exception):
    """A provider failed; `retryable` says whether trying the same provider again may help."""

    def __init__(self, message: str, *, retryable: bool = False, status: int | None = None):
        super().__init__(message)
        self.retryable = retryable
        self.status = status


class ProviderTimeout(ProviderError):
    """A provider did not answer within its timeout; always worth another try."""

    def __init__(self, message: str):
        super().__init__(message, retryable=True)


class AllProvidersFailed(Exception):
    """Every provider of a chain failed or was skipped; carries all attempts for the record."""

    def __init__(self, attempts: list[Attempt], capability: str = ""):
        self.attempts = list(attempts)
        self.capability = capability or (attempts[0].capability if attempts else "")
        super().__init__(self._describe())

    def _describe(self) -> str:
        if not self.attempts:
            return f"no provider configured for {self.capability or 'this capability'}"
        # Keep the last word of each provider: that is why the chain moved on.
        last: dict[str, Attempt] = {}
        for attempt in self.attempts:
            last[attempt.provider] = attempt
        reasons = []
        for name, attempt in last.items():
            why = "circuit open" if attempt.outcome == "circuit_open" else attempt.error
            tries = f" after {attempt.attempt} attempt(s)" if attempt.called else ""
            reasons.append(f"{name}: {attempt.outcome}{tries} ({why or 'no detail'})")
        return f"all {self.capability} providers failed: " + "; ".join(reasons)


@runtime_checkable
class Provider(Protocol):
    """Anything that can serve one capability; raises ProviderError on failure."""

    name: str
    capability: str
    timeout: float

    def call(self, request: Any) -> Result: ...
