"""Quick steps (offline copy) are claimed and finished in one transaction, and still recover."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rq.executions import Execution
from rq.job import Job, JobStatus

from jobs import engine
from jobs.inline import run_inline
from jobs.models import JobEvent, Output, ProductionJob, StepRun
from jobs.provider_runtime import registry
from jobs.reconciler import reconcile
from jobs.workflows import workflow_for
from tests.factories import make_job

pytestmark = pytest.mark.django_db(transaction=True)


def status_path(job: ProductionJob) -> list[str]:
    return list(
        JobEvent.objects.filter(job=job, action="status_changed")
        .order_by("id")
        .values_list("to_status", flat=True)
    )


def test_copy_steps_are_quick_only_while_the_text_chain_is_offline(acme, monkeypatch):
    from jobs import provider_runtime

    job = make_job(acme)
    write = workflow_for(job).steps(job)[0]
    assert write.is_quick()
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("TEXT_PROVIDERS", "openai,builtin-text")
    provider_runtime.reset()
    try:
        assert not registry().is_offline("text")
        assert not write.is_quick()
    finally:
        monkeypatch.undo()
        provider_runtime.reset()


def test_a_content_lifecycle_is_one_read_and_one_transaction(acme, clean_queues, media_root):
    job = make_job(acme, title="Lean post", auto_process=True)
    run = StepRun.objects.get(job=job)
    with CaptureQueriesContext(connection) as captured:
        assert engine.run_step(run.pk, run.attempt) == "succeeded"
    statements = [
        q["sql"] for q in captured.captured_queries if not q["sql"].startswith(("BEGIN", "COMMIT"))
    ]
    if connection.vendor == "postgresql":
        # Round trips: read the step with its job and client; lock the job, re-read the step's
        # state and reserve the post's id; then every write at once: the step, the post, the
        # review request, the job row once and its four history rows in one INSERT.
        assert len(statements) == 3, statements
        batch = statements[-1]
        assert batch.startswith("SET LOCAL synchronous_commit TO OFF; ")
        assert re.findall(r'; (UPDATE|INSERT INTO) "(\w+)"', batch) == [
            ("UPDATE", "jobs_steprun"),
            ("INSERT INTO", "jobs_output"),
            ("INSERT INTO", "approvals_approvalrequest"),
            ("UPDATE", "jobs_productionjob"),
            ("INSERT INTO", "jobs_jobevent"),
        ]
    else:
        # SQLite runs in-process: the same reads and writes, one statement each.
        assert len(statements) <= 8, statements
    job.refresh_from_db()
    assert job.status == "review" and job.progress == 100
    assert status_path(job) == ["queued", "processing", "draft", "review"]
    run.refresh_from_db()
    assert run.status == "succeeded" and run.started_at <= run.finished_at
    assert job.started_at == run.started_at
    assert Output.objects.filter(job=job).count() == 1


def test_a_failing_quick_step_is_retried_and_then_fails_the_job(
    acme, clean_queues, media_root, settings, monkeypatch
):
    settings.STEP_RETRY_DELAYS = [0]
    settings.STEP_MAX_ATTEMPTS = 3

    def broken_writer(*args, **kwargs):
        raise RuntimeError("writer exploded")

    monkeypatch.setattr("jobs.workflows.copy.write_deliverables", broken_writer)
    job = make_job(acme, title="Doomed post", auto_process=True)
    run_inline(job.pk)
    job.refresh_from_db()
    assert job.status == "failed" and "writer exploded" in job.error
    assert status_path(job) == ["queued", "processing", "failed"]
    run = StepRun.objects.get(job=job)
    assert run.status == "failed" and run.attempt == 3 and "writer exploded" in run.error
    retries = JobEvent.objects.filter(job=job, action="step_retry").order_by("id")
    assert [e.payload["attempt"] for e in retries] == [1, 2]
    assert not Output.objects.filter(job=job).exists()


def test_a_quick_step_of_a_cancelled_job_records_nothing(acme, clean_queues, media_root):
    from jobs import services

    job = make_job(acme, title="Cancelled before it ran", auto_process=True)
    run = StepRun.objects.get(job=job)
    services.job_cancel(job=ProductionJob.objects.get(pk=job.pk))
    assert engine.run_step(run.pk, run.attempt) == "skipped"
    assert not Output.objects.filter(job=job).exists()
    assert StepRun.objects.get(pk=run.pk).status == "cancelled"


def _mark_started(redis_conn, rq_job_id: str, expires_in: int) -> None:
    """What a worker does when it takes the RQ job (through RQ's own Execution records)."""
    rq_job = Job.fetch(rq_job_id, connection=redis_conn)
    rq_job.set_status(JobStatus.STARTED)
    with redis_conn.pipeline() as pipeline:
        # A negative TTL is an entry that expired that long ago (its worker stopped renewing).
        Execution.create(rq_job, ttl=expires_in, pipeline=pipeline, worker_name="w1")
        pipeline.execute()


def test_a_quick_step_whose_worker_died_is_sent_again(acme, clean_queues):
    job = make_job(acme, title="Worker died mid-write", auto_process=True)
    run = StepRun.objects.get(job=job)
    # Its worker took the RQ job and then died: the started entry is no longer renewed.
    _mark_started(clean_queues, run.rq_job_id, expires_in=-5)
    report = reconcile()
    assert report.requeued_queued == [run.pk]
    run.refresh_from_db()
    assert run.status == "queued" and run.attempt == 2
    assert JobEvent.objects.filter(job=job, action="step_recovered").count() == 1
    run_inline(job.pk)
    assert ProductionJob.objects.get(pk=job.pk).status == "review"
    assert Output.objects.filter(job=job).count() == 1


def test_a_quick_step_being_written_is_left_to_its_worker(acme, clean_queues):
    job = make_job(acme, title="Being written", auto_process=True)
    run = StepRun.objects.get(job=job)
    _mark_started(clean_queues, run.rq_job_id, expires_in=60)
    assert reconcile().requeued_queued == []
    assert StepRun.objects.get(pk=run.pk).attempt == 1
