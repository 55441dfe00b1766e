"""Media provider calls from workflow steps: every attempt recorded, and an error that
would repeat itself (an unknown voice, an unreadable file) failing the step at once."""

from __future__ import annotations

from jobs.provider_runtime import configured_providers
from jobs.providers import AllProvidersFailed, MediaRequest, MediaResult
from jobs.providers.retry import permanent_cause
from jobs.workflows.base import StepContext, StepFailure


def call_media(context: StepContext, capability: str, request: MediaRequest) -> MediaResult:
    """The first provider's result for `request`; raises StepFailure when the error is permanent.

    A permanent error is reported with its own words (not the chain's summary), so the person
    reads "espeak-ng has no voice named 'x'" once instead of three retries later.
    """
    try:
        result = configured_providers().chain(capability).call(request)
    except AllProvidersFailed as exc:
        context.record_attempts(exc.attempts)
        cause = permanent_cause(exc)
        if cause is not None:
            raise StepFailure(str(cause)) from exc
        raise
    context.record_attempts(result.attempts)
    return result.value  # type: ignore[return-value]
