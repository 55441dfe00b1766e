"""A hosted text model's tokens and cost land on each step run and roll up to the job."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jobs.models import Output, StepRun
from jobs.providers.config import DEFAULT_PRICES
from tests.conftest import worker_env
from tests.factories import make_job
from tests.fake_openai_server import FakeOpenAIServer, Reply, Status

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

MODEL = "gpt-4o-mini"
PRICE = DEFAULT_PRICES[f"openai:{MODEL}"]
HOSTED_POST = "Trail etiquette, rewritten by the hosted model. #Trails #Etiquette"


def hosted_env(server: FakeOpenAIServer) -> dict[str, str]:
    return worker_env(
        OPENAI_BASE_URL=server.base_url,
        OPENAI_API_KEY="test-key",
        OPENAI_MODEL=MODEL,
        TEXT_PROVIDERS="openai,builtin-text",
        PROVIDER_TIMEOUT="10",
    )


def expected_cost(tokens_in: int, tokens_out: int) -> Decimal:
    per_call = (
        Decimal(str(PRICE["input_per_1k"])) * tokens_in
        + Decimal(str(PRICE["output_per_1k"])) * tokens_out
    ) / 1000
    return per_call.quantize(Decimal("0.000001"))


def test_hosted_calls_record_tokens_and_cost_on_the_step_and_the_job(
    acme, worker_factory, media_root
):
    reply = Reply(text=HOSTED_POST, prompt_tokens=1200, completion_tokens=300)
    with FakeOpenAIServer(default=reply) as server:
        job = make_job(
            acme,
            job_type="social",
            title="Hosted posts",
            inputs={"platforms": ["linkedin", "facebook"], "topic": "Trail etiquette"},
            auto_process=True,
        )
        worker_factory(burst=True, env=hosted_env(server)).wait(timeout=60)
        assert server.request_count == 2  # one call per post
        assert server.received[0].headers["Authorization"] == "Bearer test-key"
        assert server.received[0].body["model"] == MODEL

    job.refresh_from_db()
    assert job.status == "review"
    run = StepRun.objects.get(job=job)
    per_call = expected_cost(1200, 300)
    assert per_call == Decimal("0.000360")
    assert run.provider == "openai" and run.calls == 2
    assert [(a["provider"], a["outcome"], a["model"]) for a in run.provider_attempts] == [
        ("openai", "ok", MODEL)
    ] * 2
    for attempt in run.provider_attempts:
        assert (attempt["tokens_in"], attempt["tokens_out"]) == (1200, 300)
        assert Decimal(str(attempt["cost_usd"])) == per_call
        assert attempt["duration_ms"] > 0
    assert (run.tokens_in, run.tokens_out) == (2400, 600)
    assert run.cost_usd == 2 * per_call
    assert job.cost_usd == 2 * per_call and job.tokens_total == 3000
    assert {o.text for o in Output.objects.filter(job=job)} == {HOSTED_POST}


def test_a_server_error_falls_through_to_the_builtin_writer_and_is_recorded(
    acme, worker_factory, media_root
):
    reply = Reply(
        text="# Rewritten\n\nBy the hosted model.", prompt_tokens=1000, completion_tokens=500
    )
    with FakeOpenAIServer(default=reply) as server:
        server.script(Status(500, "the model is overloaded"))
        failed = make_job(acme, title="Falls through", auto_process=True)
        hosted = make_job(acme, title="Hosted", auto_process=True)
        worker_factory(burst=True, env=hosted_env(server)).wait(timeout=60)
        assert server.request_count == 2

    failed.refresh_from_db()
    hosted.refresh_from_db()
    assert failed.status == hosted.status == "review"

    run = StepRun.objects.get(job=failed)
    error, fallback = run.provider_attempts
    assert (error["provider"], error["outcome"]) == ("openai", "error")
    assert "HTTP 500" in error["error"] and "overloaded" in error["error"]
    assert error["cost_usd"] == 0 and error["tokens_in"] == error["tokens_out"] == 0
    assert (fallback["provider"], fallback["outcome"], fallback["cost_usd"]) == (
        "builtin-text",
        "ok",
        0,
    )
    assert run.provider == "builtin-text" and run.calls == 2 and run.cost_usd == 0
    assert failed.cost_usd == 0
    # The built-in writer's own draft was kept, not the hosted reply.
    kept = Output.objects.get(job=failed)
    assert kept.metadata["draft_source"] == "built-in writer"
    assert HOSTED_POST not in kept.text

    hosted_run = StepRun.objects.get(job=hosted)
    assert hosted_run.provider == "openai" and hosted_run.calls == 1
    assert hosted.cost_usd == expected_cost(1000, 500) == Decimal("0.000450")
    assert hosted.tokens_total == 1500
