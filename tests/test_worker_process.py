"""A real rqworker subprocess runs jobs; a killed worker loses nothing thanks to the reconciler."""

from __future__ import annotations

import time

import pytest

from jobs.models import JobEvent, Output, ProductionJob, StepRun
from jobs.reconciler import reconcile
from tests import redis_isolation
from tests.factories import make_job
from tests.fake_openai_server import FakeOpenAIServer, Reply

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def wait_for(predicate, timeout: float = 30, interval: float = 0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError("condition not met in time")


def test_a_worker_process_takes_a_content_job_from_queued_to_review(
    acme, worker_factory, media_root
):
    job = make_job(acme, title="Worker blog", auto_process=True)
    assert job.status == "queued"
    worker = worker_factory(burst=True)
    worker.wait(timeout=60)
    job.refresh_from_db()
    assert job.status == "review"
    output = Output.objects.get(job=job)
    assert output.kind == "markdown" and output.text.startswith("# Trail Running for Beginners")
    assert output.metadata["draft_source"] == "built-in writer"
    run = StepRun.objects.get(job=job)
    assert run.status == "succeeded" and run.provider == "builtin-text" and run.calls == 1
    path = list(
        JobEvent.objects.filter(job=job, action="status_changed").values_list(
            "to_status", flat=True
        )
    )
    assert path == ["queued", "processing", "draft", "review"]


def test_a_killed_worker_is_recovered_by_the_reconciler_with_one_output_per_step(
    acme, worker_factory, media_root
):
    from tests.conftest import worker_env

    # The hosted model answers slowly, so the worker is mid-step when it is killed.
    with FakeOpenAIServer(
        default=Reply(text="Rewritten by the hosted model.", delay=4.0)
    ) as server:
        env = worker_env(
            OPENAI_BASE_URL=server.base_url,
            TEXT_PROVIDERS="openai,builtin-text",
            STEP_LEASE_SECONDS="1",
            PROVIDER_TIMEOUT="10",
        )
        job = make_job(acme, title="Killed mid-step", auto_process=True)
        first = worker_factory(burst=False, env=env)
        wait_for(lambda: StepRun.objects.filter(job=job, status="running").exists())
        wait_for(lambda: server.request_count >= 1)
        first.kill()
        run = StepRun.objects.get(job=job)
        assert run.status == "running"
        wait_for(lambda: reconcile().requeued_running, timeout=10, interval=0.3)
        server.reset(default=Reply(text="# Recovered post\n\nWritten after the crash."))
        second = worker_factory(burst=True, env=env)
        second.wait(timeout=60)
    job.refresh_from_db()
    assert job.status == "review"
    run.refresh_from_db()
    assert run.status == "succeeded" and run.attempt == 2
    assert Output.objects.filter(job=job, step="write").count() == 1
    assert JobEvent.objects.filter(job=job, action="step_recovered").count() == 1


def test_the_reconciler_resends_steps_lost_with_redis(acme, worker_factory, redis_conn, media_root):
    job = make_job(acme, title="Lost in Redis", auto_process=True)
    redis_isolation.reset(redis_conn)  # as if Redis restarted without its data
    report = reconcile()
    assert len(report.requeued_queued) == 1
    worker_factory(burst=True).wait(timeout=60)
    job.refresh_from_db()
    assert job.status == "review"
    assert ProductionJob.objects.get(pk=job.pk).outputs.count() == 1


def test_cancelling_a_running_job_stops_its_steps_and_keeps_what_was_produced(
    acme, worker_factory, media_root
):
    from jobs import services
    from tests.conftest import worker_env

    with FakeOpenAIServer(
        default=Reply(text="# Slow draft\n\nWritten slowly.", delay=2.0)
    ) as server:
        env = worker_env(OPENAI_BASE_URL=server.base_url, TEXT_PROVIDERS="openai,builtin-text")
        job = make_job(acme, title="Cancelled mid-step", auto_process=True)
        worker = worker_factory(burst=True, env=env)
        wait_for(lambda: StepRun.objects.filter(job=job, status="running").exists())
        services.job_cancel(job=ProductionJob.objects.get(pk=job.pk), note="Client changed plans.")
        worker.wait(timeout=60)
    job.refresh_from_db()
    assert job.status == "cancelled"
    run = StepRun.objects.get(job=job)
    assert run.status == "cancelled" and run.finished_at is not None
    # The step had already produced its post: it is kept, and nothing moved the job on.
    assert Output.objects.filter(job=job).count() == 1
    assert not JobEvent.objects.filter(job=job, to_status__in=["draft", "review"]).exists()
