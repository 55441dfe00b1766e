"""OTLP traces: requests, job runs, steps and provider calls, received by a local OTLP receiver."""

from __future__ import annotations

import time
from types import SimpleNamespace
from typing import Any

import django_rq
import pytest

from jobs.models import JobEvent, StepRun
from jobs.providers.base import AllProvidersFailed, ProviderError, TextResult
from jobs.providers.chain import ProviderChain
from jobs.providers.requests import TextRequest
from operations import otlp, tracing
from operations.otlp import KIND_CLIENT, KIND_CONSUMER, KIND_INTERNAL, KIND_SERVER
from tests.conftest import worker_env
from tests.factories import api_as, make_job, make_user
from tests.otlp_receiver import OTLPReceiver, ReceivedSpan, parse

PRICES = {"openai:gpt-4o-mini": {"input_per_1k": "0.15", "output_per_1k": "0.6"}}


@pytest.fixture
def receiver(settings, monkeypatch):  # noqa: ANN001, ANN201
    with OTLPReceiver() as local:
        settings.OTEL_EXPORTER_OTLP_ENDPOINT = local.endpoint
        settings.OTEL_BSP_SCHEDULE_DELAY = "50"
        yield local


def flushed(receiver: OTLPReceiver) -> list[ReceivedSpan]:
    exporter = otlp.exporter()
    assert exporter is not None
    assert exporter.flush(timeout=10)
    return receiver.spans()


class Writer:
    """A hosted writer stand-in: fails when told to, else answers with tokens."""

    name = "openai"
    capability = "text"
    model = "gpt-4o-mini"

    def __init__(self, failing: bool = False) -> None:
        self.failing = failing

    def call(self, request: Any) -> TextResult:
        if self.failing:
            raise ProviderError("HTTP 503 from the model server", retryable=False)
        return TextResult(
            text="Autumn trail days.", tokens_in=1200, tokens_out=300, model=self.model
        )


def test_the_json_follows_the_otlp_mapping():
    span = otlp.Span(
        name="step write", trace_id="a" * 32, span_id="b" * 16, parent_id="c" * 16,
        kind=KIND_CONSUMER, start_ns=1_700_000_000_000_000_001, end_ns=1_700_000_000_500_000_000,
        attributes={"production.job.id": 7, "production.cost_usd": 0.25, "ok": True, "s": "x"},
    )  # fmt: skip
    span.fail("boom")

    payload = otlp.encode([span], {"service.name": "production-engine"})
    encoded = payload["resourceSpans"][0]["scopeSpans"][0]["spans"][0]

    assert encoded["startTimeUnixNano"] == "1700000000000000001"  # 64-bit as a string
    assert encoded["parentSpanId"] == "c" * 16 and encoded["kind"] == 5
    assert encoded["status"] == {"code": 2, "message": "boom"}
    assert {"key": "production.job.id", "value": {"intValue": "7"}} in encoded["attributes"]
    (received,) = parse(payload)
    assert received.attributes == {"production.job.id": 7, "production.cost_usd": 0.25,
                                   "ok": True, "s": "x"}  # fmt: skip
    assert received.resource == {"service.name": "production-engine"}


@pytest.mark.django_db
def test_nothing_is_recorded_or_sent_without_an_endpoint(client, settings, monkeypatch):
    monkeypatch.delenv("OTEL_EXPORTER_OTLP_ENDPOINT", raising=False)
    monkeypatch.delenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", raising=False)
    settings.OTEL_EXPORTER_OTLP_ENDPOINT = ""
    with OTLPReceiver() as idle:
        assert client.get("/healthz").status_code == 200
        with tracing.span("anything") as span:
            assert span is None
        time.sleep(0.3)
        assert otlp.exporter() is None
        assert idle.requests == []


@pytest.mark.django_db
def test_a_request_is_a_server_span_named_by_its_route_continuing_the_callers_trace(
    client, receiver
):
    caller = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"

    assert client.get("/healthz", HTTP_TRACEPARENT=caller).status_code == 200
    assert client.get("/no-such-page/").status_code == 404

    spans = flushed(receiver)
    health = next(s for s in spans if s.name == "GET /healthz")
    assert health.kind == KIND_SERVER
    assert (health.trace_id, health.parent_id) == (
        "0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331"
    )  # fmt: skip
    assert health.attributes["http.response.status_code"] == 200
    assert health.end_ns > health.start_ns
    assert health.resource["service.name"] == "production-engine"
    missing = next(s for s in spans if s.name == "GET /no-such-page/")
    assert missing.parent_id == "" and missing.trace_id != health.trace_id


@pytest.mark.django_db
@pytest.mark.parametrize("sick", ["slow", "erroring", "down"])
def test_a_sick_collector_never_fails_or_slows_a_request(client, settings, sick):
    with OTLPReceiver(
        status=503 if sick == "erroring" else 200, delay=3 if sick == "slow" else 0
    ) as c:
        settings.OTEL_EXPORTER_OTLP_ENDPOINT = c.endpoint
        settings.OTEL_BSP_SCHEDULE_DELAY = "10"
        settings.OTEL_EXPORTER_OTLP_TIMEOUT = "500"
        if sick == "down":
            c.__exit__()
        started = time.monotonic()
        for _ in range(5):
            assert client.get("/healthz").status_code == 200
        elapsed = time.monotonic() - started
        exporter = otlp.exporter()
        assert exporter is not None
        exporter.flush(timeout=10)
    assert elapsed < 2.5  # five requests; a held export would cost 3 s or 0.5 s each
    if sick != "slow":
        assert exporter.failed_batches >= 1 and exporter.sent == 0


@pytest.mark.django_db
@pytest.mark.parametrize("content", [False, True])
def test_provider_calls_are_client_spans_with_model_tokens_cost_and_outcome(
    receiver, settings, content
):
    settings.OTEL_TRACE_CONTENT = "1" if content else "0"
    configured = tracing.instrument_providers(
        SimpleNamespace(providers={"down": Writer(failing=True), "openai": Writer()}, prices=PRICES)
    )
    # The first provider also answers to "openai" for pricing: both are the same service.
    chain = ProviderChain("text", list(configured.providers.values()), prices=PRICES)
    request = TextRequest(messages=[{"role": "user", "content": "Write a headline."}])

    with tracing.span("step write") as step:
        assert chain.call(request).provider == "openai"
    with pytest.raises(AllProvidersFailed), tracing.span("step again"):
        ProviderChain("text", [configured.providers["down"]]).call(request)

    spans = flushed(receiver)
    calls = [s for s in spans if s.kind == KIND_CLIENT and s.parent_id == step.span_id]
    assert [s.attributes["production.outcome"] for s in calls] == ["error", "ok"]
    failed, answered = calls
    assert failed.status["code"] == 2 and "HTTP 503" in failed.status["message"]
    assert answered.name == "text openai"
    assert answered.attributes["gen_ai.request.model"] == "gpt-4o-mini"
    assert answered.attributes["gen_ai.usage.input_tokens"] == 1200
    assert answered.attributes["gen_ai.usage.output_tokens"] == 300
    assert answered.attributes["gen_ai.usage.cost"] == pytest.approx(0.18 + 0.18)
    assert ("gen_ai.prompt" in answered.attributes) is content
    assert answered.attributes.get("gen_ai.completion") == (
        "Autumn trail days." if content else None
    )
    outer = next(s for s in spans if s.name == "step again")
    assert outer.status["code"] == 2


def run_spans(spans: list[ReceivedSpan], job_id: Any) -> list[ReceivedSpan]:
    return [s for s in spans if s.attributes.get("production.job.id") == str(job_id)]


@pytest.mark.django_db
def test_a_step_message_carries_its_jobs_run_context(
    receiver, acme, redis_conn, django_capture_on_commit_callbacks
):
    alice = make_user("alice", acme, "member")
    job = make_job(acme, title="Traced blog")

    with django_capture_on_commit_callbacks(execute=True):
        answered = api_as(alice).post(f"/api/v1/jobs/{job.pk}/start/", {}, format="json")

    assert answered.status_code == 200
    run = tracing.job_context(job.pk)
    assert run is not None
    messages = [m for q in ("urgent", "high", "normal", "low") for m in django_rq.get_queue(q).jobs]
    steps = [m for m in messages if m.func_name == "jobs.tasks.run_step"]
    assert steps and all(m.meta["traceparent"] == tracing.traceparent(run) for m in steps)
    request = next(s for s in flushed(receiver) if s.kind == KIND_SERVER)
    assert request.name == "POST /api/v1/jobs/<pk>/start/"
    assert run[0] == request.trace_id


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_one_job_is_one_tree_from_the_request_through_a_worker_to_each_provider_call(
    receiver, acme, worker_factory, media_root
):
    alice = make_user("alice", acme, "member")
    job = make_job(acme, title="Traced blog")
    assert api_as(alice).post(f"/api/v1/jobs/{job.pk}/start/", {}, format="json").status_code == 200

    env = worker_env(OTEL_EXPORTER_OTLP_ENDPOINT=receiver.endpoint, OTEL_BSP_SCHEDULE_DELAY="100")
    worker_factory(burst=True, env=env).wait(timeout=120)
    job.refresh_from_db()
    assert job.status == "review"

    def whole(spans: list[ReceivedSpan]) -> bool:
        return any(s.name.startswith("job ") for s in run_spans(spans, job.pk))

    spans = receiver.wait_for(whole, timeout=30)
    flushed(receiver)
    spans = receiver.spans()
    by_id = {s.span_id: s for s in spans}
    request = next(s for s in spans if s.name == "POST /api/v1/jobs/<pk>/start/")
    run = next(s for s in run_spans(spans, job.pk) if s.name.startswith("job "))
    steps = [s for s in run_spans(spans, job.pk) if s.kind == KIND_CONSUMER]
    calls = [
        s for s in spans if s.kind == KIND_CLIENT and s.parent_id in {st.span_id for st in steps}
    ]

    # One trace: request -> job run -> each step -> each provider call.
    assert run.kind == KIND_INTERNAL and run.parent_id == request.span_id
    assert {s.trace_id for s in [request, run, *steps, *calls]} == {request.trace_id}
    ran = StepRun.objects.filter(job=job).order_by("id")
    assert sorted(s.attributes["production.step"] for s in steps) == sorted(r.step for r in ran)
    assert all(by_id[s.parent_id] is run for s in steps)
    assert calls, "the writer's provider call is a span under its step"
    # Across processes: the request was served here, the steps ran in the worker.
    assert request.resource["process.pid"] != steps[0].resource["process.pid"]
    for step in steps:
        row = ran.get(step=step.attributes["production.step"])
        assert step.attributes["production.client"] == "acme"
        assert step.attributes["production.outcome"] == "succeeded"
        assert step.attributes["production.provider"] == row.provider
        assert step.attributes["gen_ai.usage.input_tokens"] == row.tokens_in
        assert run.start_ns <= step.start_ns <= run.end_ns
    for call in calls:
        assert call.attributes["production.outcome"] == "ok"
        assert by_id[call.parent_id].start_ns <= call.start_ns
    ended = JobEvent.objects.get(
        job=job, from_status="processing", to_status__in=["draft", "review"]
    )
    assert run.attributes["production.outcome"] == ended.to_status
    assert run.attributes["production.client"] == "acme"
    assert tracing.job_context(job.pk) is None  # the run's record is gone once it is closed


@pytest.mark.django_db
def test_a_step_queued_again_for_its_retry_stays_in_the_same_run(
    receiver, acme, redis_conn, django_capture_on_commit_callbacks
):
    job = make_job(acme, title="Retried blog")

    def moved(source: str, target: str) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            JobEvent.objects.create(job=job, from_status=source, to_status=target, revision=1)

    moved("pending", "queued")
    first = tracing.job_context(job.pk)
    moved("queued", "processing")
    moved("processing", "queued")  # a step failed and waits for its retry
    assert tracing.job_context(job.pk) == first
    moved("queued", "processing")
    moved("processing", "failed")
    moved("failed", "queued")  # retried by a person: a new run
    second = tracing.job_context(job.pk)

    runs = [s for s in flushed(receiver) if s.name == "job content"]
    assert [(s.trace_id, s.span_id) for s in runs] == [first]
    assert runs[0].status["code"] == 2 and runs[0].attributes["production.outcome"] == "failed"
    assert second is not None and second != first


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_collector_that_is_down_never_fails_a_step(acme, worker_factory, media_root, settings):
    with OTLPReceiver() as gone:
        endpoint = gone.endpoint
    settings.OTEL_EXPORTER_OTLP_ENDPOINT = endpoint
    job = make_job(acme, title="Untraced blog", auto_process=True)

    env = worker_env(OTEL_EXPORTER_OTLP_ENDPOINT=endpoint, OTEL_BSP_SCHEDULE_DELAY="10")
    output = worker_factory(burst=True, env=env).wait(timeout=120)

    job.refresh_from_db()
    assert job.status == "review"
    assert set(StepRun.objects.filter(job=job).values_list("status", flat=True)) == {"succeeded"}
    assert "OTLP export" in output  # the failed export is logged, nothing more
