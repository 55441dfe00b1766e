"""The video plan step asks a hosted model to read the treatment, and falls back to the parser."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from jobs import engine, provider_runtime
from jobs.models import Manifest, ProductionJob, StepRun, StepStatus
from jobs.planner import validate_manifest
from jobs.services import job_create
from tests.fake_openai_server import FakeOpenAIServer, Reply
from tests.fake_openai_server import Status as HttpStatus

# Prose the parser reads as one scene; the model is asked to find three.
TREATMENT = (
    "Open on a hiker at dawn. Our voice says every trail starts with one step. Then show the "
    "new Ridgeline boot on wet rock and say it grips when it matters. End on the store front "
    "and invite people to try a pair this weekend."
)
EXTRACTION = {
    "title": "Ridgeline boot",
    "hints": {"duration_seconds": 15, "tone": "inspirational"},
    "scenes": [
        {
            "title": "Dawn",
            "purpose": "hook",
            "narration": "Every trail starts with one step.",
            "visuals": ["A hiker at dawn on a ridge"],
        },
        {
            "title": "The boot",
            "purpose": "content",
            "narration": "The Ridgeline grips when it matters.",
            "visuals": ["The Ridgeline boot on wet rock"],
            "on_screen_text": "Grip that holds",
        },
        {
            "title": "Visit us",
            "purpose": "cta",
            "narration": "Try a pair this weekend.",
            "visuals": ["The store front"],
            "on_screen_text": "Try a pair",
        },
    ],
}


@pytest.fixture
def model(monkeypatch, redis_conn) -> Iterator[FakeOpenAIServer]:
    """A hosted text model (the fake server) at the head of the text chain."""
    with FakeOpenAIServer() as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
        monkeypatch.setenv("TEXT_PROVIDERS", "openai,builtin-text")
        provider_runtime.reset()
        yield server
    provider_runtime.reset()


def plan_only(client) -> tuple[ProductionJob, StepRun]:
    job = job_create(
        client=client,
        job_type="video",
        title="Ridgeline boot",
        input_data={"treatment": TREATMENT, "durationSeconds": 15},
        auto_process=True,
    )
    run = StepRun.objects.get(job=job, step="plan")
    assert engine.run_step(run.pk, run.attempt) == "succeeded"
    run.refresh_from_db()
    return job, run


def test_a_valid_extraction_from_the_model_becomes_the_manifest(acme, model):
    model.script(Reply(json.dumps(EXTRACTION), prompt_tokens=300, completion_tokens=120))

    job, run = plan_only(acme)

    record = Manifest.objects.get(job=job)
    assert record.used_model and record.valid
    assert validate_manifest(record.manifest) == []
    narration = [s["narration"] for s in record.manifest["scenes"]]
    assert narration == [s["narration"] for s in EXTRACTION["scenes"]]
    assert [s["purpose"] for s in record.manifest["scenes"]] == ["hook", "content", "cta"]
    request = model.received[0].body
    assert request["max_tokens"] <= 1200
    assert TREATMENT in request["messages"][-1]["content"]
    assert run.status == StepStatus.SUCCEEDED
    assert [a["provider"] for a in run.provider_attempts] == ["openai"]
    assert (run.provider, run.calls, run.tokens_in, run.tokens_out) == ("openai", 1, 300, 120)
    # The DAG follows the model's three scenes.
    assert {"speech:s1", "speech:s2", "speech:s3"} <= {n["id"] for n in record.dag}


def test_a_garbage_answer_falls_back_to_the_parser_and_the_step_still_succeeds(acme, model):
    model.script(Reply("Sure! Here are some thoughts about your boots, no JSON today."))

    job, run = plan_only(acme)

    record = Manifest.objects.get(job=job)
    assert not record.used_model and record.valid
    assert validate_manifest(record.manifest) == []
    assert any("parser" in warning for warning in record.warnings)
    assert run.status == StepStatus.SUCCEEDED
    assert "parser" in run.note
    assert [a["outcome"] for a in run.provider_attempts] == ["ok"]
    assert run.provider == "openai"


def test_an_unreachable_model_falls_back_to_the_parser_without_an_echo(acme, model):
    model.script(HttpStatus(500))

    job, run = plan_only(acme)

    record = Manifest.objects.get(job=job)
    assert not record.used_model and record.valid
    assert run.status == StepStatus.SUCCEEDED
    providers = [a["provider"] for a in run.provider_attempts]
    # The hosted model failed and the built-in provider, given no draft, had nothing to echo.
    assert providers[0] == "openai" and providers[-1] == "builtin-text"
    assert all(a["outcome"] != "ok" for a in run.provider_attempts)


def test_without_a_hosted_model_the_plan_asks_no_provider(acme, redis_conn, monkeypatch):
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    monkeypatch.delenv("TEXT_PROVIDERS", raising=False)
    provider_runtime.reset()

    job, run = plan_only(acme)

    assert not Manifest.objects.get(job=job).used_model
    assert run.provider_attempts == [] and run.calls == 0
