"""A step's retry policy (like Temporal's RetryPolicy) and the one place failures are judged.

One retry layer. The provider chain (jobs/providers/chain.py) tries each provider of a
capability once, in order, and only fails over: it never sleeps and tries again. When every
provider failed, the step fails, and this policy decides: a deterministic error (bad input, a
broken contract, an unknown voice, a provider that refused the request itself) fails the step
at once, on its first attempt, with a message written for a person; anything else (a timeout,
throttling, a server error, a provider whose breaker is open) is retried as a new attempt of
the whole step, after a growing delay, through RQ's scheduler, so no worker thread sleeps.

The default policy comes from settings: STEP_MAX_ATTEMPTS attempts, and STEP_RETRY_DELAYS
read as its first delay, the growth to its second, and its last as the cap (2, 8, 30 means
2 s, 8 s, then 30 s). A workflow step may carry its own `retry` (Step.retry).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from jsonschema.exceptions import ValidationError as SchemaViolation

from jobs.planner.errors import PlannerInputError
from jobs.providers import AllProvidersFailed, ProviderError
from jobs.providers.retry import permanent_cause
from jobs.workflows.base import Step, StepFailure

# Errors that fail the same way on every attempt, whatever the step.
ALWAYS_NON_RETRYABLE: tuple[type[BaseException], ...] = (
    StepFailure,
    PlannerInputError,
    SchemaViolation,
)


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how patiently a step is tried; None takes the setting's default."""

    maximum_attempts: int | None = None
    initial_interval: float | None = None  # seconds before the second attempt
    backoff_coefficient: float | None = None  # each delay is the last one times this
    maximum_interval: float | None = None  # no delay is longer
    non_retryable_errors: tuple[type[BaseException], ...] = ()

    def resolved(self) -> RetryPolicy:
        """This policy with every unset field taken from the settings' default."""
        base = default_policy()
        return RetryPolicy(
            maximum_attempts=_pick(self.maximum_attempts, base.maximum_attempts),
            initial_interval=_pick(self.initial_interval, base.initial_interval),
            backoff_coefficient=_pick(self.backoff_coefficient, base.backoff_coefficient),
            maximum_interval=_pick(self.maximum_interval, base.maximum_interval),
            non_retryable_errors=self.non_retryable_errors,
        )

    def delay_after(self, attempt: int) -> float:
        """Seconds to wait after failed attempt `attempt` (1-based) before the next one."""
        policy = self.resolved()
        grown = float(policy.initial_interval or 0) * float(policy.backoff_coefficient or 1) ** (
            attempt - 1
        )
        return min(grown, float(policy.maximum_interval or 0))


def default_policy() -> RetryPolicy:
    delays = [float(d) for d in settings.STEP_RETRY_DELAYS] or [0.0]
    first = delays[0]
    growth = delays[1] / first if len(delays) > 1 and first > 0 else 1.0
    return RetryPolicy(
        maximum_attempts=max(1, int(settings.STEP_MAX_ATTEMPTS)),
        initial_interval=first,
        backoff_coefficient=max(1.0, growth),
        maximum_interval=max(delays),
    )


def policy_for(step: Step) -> RetryPolicy:
    return (step.retry or RetryPolicy()).resolved()


@dataclass(frozen=True)
class Decision:
    """What to do after a failed attempt: retry after `delay` seconds, or fail now."""

    retry: bool
    delay: float
    message: str  # for the person: what went wrong, in words
    deterministic: bool  # the same input would fail the same way again


def decide(step: Step, attempt: int, error: BaseException) -> Decision:
    policy = policy_for(step)
    message = explain(error)
    if not is_retryable(error, policy):
        return Decision(retry=False, delay=0.0, message=message, deterministic=True)
    if attempt >= int(policy.maximum_attempts or 1):
        return Decision(retry=False, delay=0.0, message=message, deterministic=False)
    return Decision(
        retry=True, delay=policy.delay_after(attempt), message=message, deterministic=False
    )


def is_retryable(error: BaseException, policy: RetryPolicy) -> bool:
    """False when another attempt would fail the same way."""
    if isinstance(error, (*ALWAYS_NON_RETRYABLE, *policy.non_retryable_errors)):
        return False
    if permanent_cause(error) is not None:
        return False
    if isinstance(error, (AllProvidersFailed, ProviderError)):
        # A chain is worth another attempt if any provider failed for a passing reason.
        return bool(getattr(error, "retryable", True))
    return True


def explain(error: BaseException) -> str:
    """The failure in words for the person reading the job page, never an exception's name."""
    if isinstance(error, StepFailure):
        return error.message
    if isinstance(error, PlannerInputError):
        return f"The treatment could not be planned: {error.message}"
    if isinstance(error, SchemaViolation):
        where = "/".join(str(p) for p in error.absolute_path) or "the data"
        return f"The data did not match what this step expects ({where}: {error.message})."
    cause = permanent_cause(error)
    if cause is not None:
        return str(cause).strip() or "The step failed the same way it would every time."
    if isinstance(error, (AllProvidersFailed, ProviderError)):
        return _sentence(str(error))
    detail = str(error).strip()
    return (
        f"An unexpected error stopped this step: {detail}"
        if detail
        else "An unexpected error stopped this step."
    )


def _sentence(text: str) -> str:
    # "all text providers failed: ..." opens the job page's message: start it as a sentence.
    text = text.strip() or "The provider failed."
    return text[0].upper() + text[1:] if text.startswith("all ") else text


def _pick(value: float | int | None, default: float | int | None) -> float | int | None:
    return default if value is None else value
