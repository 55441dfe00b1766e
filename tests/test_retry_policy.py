"""A step's retry policy: deterministic errors fail once in words for a person; passing errors
are retried with growing delays through RQ's scheduler, up to the policy's attempts."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator

import pytest
from django.urls import reverse
from jsonschema import validate

from jobs.engine.retry import RetryPolicy
from jobs.inline import run_inline
from jobs.job_types.specs import JOB_TYPE_SPECS
from jobs.mediakit.speech import SpeechError
from jobs.models import JobEvent, ProductionJob, StepRun
from jobs.providers import MediaRequest, OpenAICompatibleProvider, ProviderChain, TextRequest
from jobs.queues import get_queue
from jobs.workflows.base import OutputSpec, Step, StepContext, Workflow, static_steps
from jobs.workflows.media import call_media
from tests.factories import make_job
from tests.fake_openai_server import FakeOpenAIServer, Status

pytestmark = pytest.mark.django_db(transaction=True)

RAW_NAMES = ("ProvidersExhausted", "AllProvidersFailed", "ProviderError", "ValidationError")


@pytest.fixture
def server() -> Iterator[FakeOpenAIServer]:
    with FakeOpenAIServer() as running:
        yield running


def asks_the_model(server: FakeOpenAIServer) -> Callable[[StepContext], None]:
    """A step handler whose only provider is the local model server (no built-in fallback)."""

    def handler(context: StepContext) -> None:
        hosted = OpenAICompatibleProvider(server.base_url, "sk-test", "gpt-4o-mini", timeout=5.0)
        request = TextRequest(messages=[{"role": "user", "content": "Write."}], draft="")
        result = ProviderChain("text", [hosted]).call(request)
        context.record_attempts(result.attempts)
        context.add_output(OutputSpec(kind="markdown", key="post", text=result.value.text))  # type: ignore[union-attr]

    return handler


@pytest.fixture
def one_step(monkeypatch) -> Callable[..., None]:
    """Content jobs run a single step with the given handler and retry policy."""

    def install(handler: Callable[[StepContext], None], retry: RetryPolicy | None = None) -> None:
        step = Step("write", "Write the post", handler, retry=retry)
        workflow = Workflow("content", "One step", static_steps(step))
        spec = dataclasses.replace(JOB_TYPE_SPECS["content"], workflow=lambda spec: workflow)
        monkeypatch.setitem(JOB_TYPE_SPECS, "content", spec)

    return install


def run(acme) -> tuple[ProductionJob, StepRun]:
    job = make_job(acme, auto_process=True)
    run_inline(job.pk)
    job.refresh_from_db()
    return job, StepRun.objects.get(job=job, step="write")


def retry_delays(job: ProductionJob) -> list[float]:
    events = JobEvent.objects.filter(job=job, action="step_retry").order_by("created_at", "id")
    return [event.payload["delay"] for event in events]


def test_a_refused_request_fails_once_and_the_page_says_why(
    acme, alice, client, server, one_step, clean_queues
):
    server.reset(default=Status(401, "invalid api key"))
    one_step(asks_the_model(server))

    job, step = run(acme)

    assert (job.status, step.status, step.attempt) == ("failed", "failed", 1)
    assert server.request_count == 1  # no provider call repeated
    assert retry_delays(job) == []
    assert step.error.startswith("All text providers failed")
    assert "HTTP 401" in step.error and "invalid api key" in step.error
    failed = JobEvent.objects.get(job=job, to_status="failed")
    assert failed.note.startswith("Write the post failed: ")
    assert failed.payload["error_type"] == "ProvidersExhausted"  # kept for staff
    client.force_login(alice)
    page = client.get(reverse("job_detail", args=[job.pk])).content.decode()
    assert "This job failed." in page and "HTTP 401" in page
    assert not any(name in page for name in RAW_NAMES)


def wrong_shape(context: StepContext) -> None:
    validate({"headline": 7}, {"properties": {"headline": {"type": "string"}}})


def unknown_voice(context: StepContext) -> None:
    raise SpeechError("espeak-ng has no voice named 'xx-robot'")


@pytest.mark.parametrize(
    ("handler", "message"),
    [
        (
            wrong_shape,
            "The data did not match what this step expects (headline: 7 is not of type 'string').",
        ),
        (unknown_voice, "espeak-ng has no voice named 'xx-robot'"),
    ],
)
def test_deterministic_errors_fail_at_the_first_attempt(
    acme, one_step, clean_queues, handler, message, settings
):
    settings.STEP_MAX_ATTEMPTS = 3
    one_step(handler)

    job, step = run(acme)

    assert (step.status, step.attempt, step.error) == ("failed", 1, message)
    assert job.error == f"Write the post: {message}"
    assert retry_delays(job) == []


def test_a_passing_error_is_retried_with_growing_delays_up_to_the_last_attempt(
    acme, server, one_step, clean_queues, settings
):
    settings.STEP_MAX_ATTEMPTS = 4
    settings.STEP_RETRY_DELAYS = [2, 6, 10]  # 2 s, then times 3, capped at 10 s
    server.reset(default=Status(503, "overloaded"))
    one_step(asks_the_model(server))

    job, step = run(acme)

    assert retry_delays(job) == [2, 6, 10]
    assert (step.status, step.attempt) == ("failed", 4)
    assert server.request_count == 4  # one call per attempt: the chain itself never retries
    assert "HTTP 503" in step.error and not any(name in step.error for name in RAW_NAMES)
    failed = JobEvent.objects.get(job=job, to_status="failed")
    assert "failed after 4 attempts" in failed.note
    # Each retry went to RQ's scheduler, not to a sleeping worker.
    assert get_queue(job.priority).scheduled_job_registry.count == 3


def test_a_media_timeout_inside_the_builtin_provider_is_retried_not_failed_at_once(
    acme, one_step, clean_queues, settings
):
    # espeak-ng (and ffmpeg) run inside the built-in provider's render; their timeouts say
    # they are passing (permanent=False), which the chain used to read as a refusal.
    settings.STEP_MAX_ATTEMPTS = 3
    settings.STEP_RETRY_DELAYS = [0]

    def speech_times_out(context: StepContext) -> None:
        def render() -> bytes:
            raise SpeechError("espeak-ng timed out after 120 s", permanent=False)

        call_media(context, "speech", MediaRequest("speech", {"text": "Hi"}, render=render))

    one_step(speech_times_out)

    job, step = run(acme)

    assert retry_delays(job) == [0, 0]
    assert (job.status, step.status, step.attempt) == ("failed", "failed", 3)
    assert "espeak-ng timed out after 120 s" in step.error
    assert "failed after 3 attempts" in JobEvent.objects.get(job=job, to_status="failed").note


def test_a_step_can_override_the_policy(acme, server, one_step, clean_queues, settings):
    settings.STEP_MAX_ATTEMPTS = 5
    settings.STEP_RETRY_DELAYS = [2, 8, 30]
    server.reset(default=Status(500, "down"))
    policy = RetryPolicy(maximum_attempts=3, initial_interval=1.5, backoff_coefficient=4)
    one_step(asks_the_model(server), retry=policy)

    job, step = run(acme)

    # The cap comes from the settings' default (30 s) since the step does not set one.
    assert retry_delays(job) == [1.5, 6.0]
    assert (step.status, step.attempt) == ("failed", 3)
    assert server.request_count == 3


def test_a_step_can_name_its_own_non_retryable_errors(acme, one_step, clean_queues, settings):
    settings.STEP_MAX_ATTEMPTS = 3

    def missing_field(context: StepContext) -> None:
        raise LookupError("the brief has no product name")

    one_step(missing_field, retry=RetryPolicy(non_retryable_errors=(LookupError,)))

    job, step = run(acme)

    assert (step.status, step.attempt) == ("failed", 1)
    assert step.error == "An unexpected error stopped this step: the brief has no product name"
    assert retry_delays(job) == []


def test_without_an_override_the_same_error_is_retried(acme, one_step, clean_queues, settings):
    settings.STEP_MAX_ATTEMPTS = 2
    settings.STEP_RETRY_DELAYS = [0]

    def missing_field(context: StepContext) -> None:
        raise LookupError("the brief has no product name")

    one_step(missing_field)

    job, step = run(acme)

    assert (step.status, step.attempt) == ("failed", 2)
    assert retry_delays(job) == [0]
