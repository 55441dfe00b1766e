"""Each kind of step costs a bounded number of queries, whatever SQL the ORM writes for them.

A step's run reads the step with its job and client, claims it (lock the job, mark the step
running, the job processing with its history row), runs the handler, then under the job's lock
records the step, its outputs, the job's next statuses and their history. The budgets are
today's counts: a change that adds a query per output or per write, or reads the job again,
goes over and has to say why here. On PostgreSQL a step also sets its tenant scope and restores
it after (production.tenant_scope); those two statements are not its work and not counted.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jobs import engine
from jobs.models import JobEvent, Output, ProductionJob, StepRun
from tests.factories import make_job

pytestmark = pytest.mark.django_db(transaction=True)

BANNER = {"visualType": "banner", "headline": "Autumn trail days", "sizes": ["1200x628"]}
NOT_COUNTED = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE", "SELECT set_config(")


def run_next_step(job: ProductionJob, expected: str = "succeeded") -> tuple[str, int]:
    """Run the job's next queued step as a worker would: its name and the queries it cost."""
    run = StepRun.objects.filter(job=job, status="queued").order_by("id").first()
    with CaptureQueriesContext(connection) as captured:
        assert engine.run_step(run.pk, run.attempt) == expected
    statements = [
        q["sql"] for q in captured.captured_queries if not q["sql"].startswith(NOT_COUNTED)
    ]
    return run.step, len(statements)


def status_path(job: ProductionJob) -> list[str]:
    return list(
        JobEvent.objects.filter(job=job, action="status_changed")
        .order_by("id")
        .values_list("to_status", flat=True)
    )


def test_a_content_step_takes_its_job_to_review_in_at_most_22_queries(
    acme, clean_queues, media_root
):
    job = make_job(acme, title="Budget post", auto_process=True)

    step, queries = run_next_step(job)

    # 18, plus two for the auto-approval decision: it reads the revision's outputs whole and
    # keeps their QC findings, flags and bands in one update; plus one to find the reviewers
    # to notify of the new request (each notified reviewer adds their notice); plus one to
    # read the client's review stages.
    assert step == "write" and queries <= 22
    job.refresh_from_db()
    assert job.status == "review" and job.progress == 100
    assert status_path(job) == ["queued", "processing", "draft", "review"]
    assert Output.objects.filter(job=job).count() == 1


def test_a_step_that_opens_the_next_one_costs_at_most_13_queries(acme, clean_queues, media_root):
    job = make_job(acme, job_type="visual", title="Budget banner", inputs=BANNER, auto_process=True)

    step, queries = run_next_step(job)

    assert step == "copy" and queries <= 13
    assert StepRun.objects.get(job=job, step="render").status == "queued"
    assert ProductionJob.objects.get(pk=job.pk).progress == 50


def test_a_fanout_step_over_one_item_finishes_its_job_in_at_most_25_queries(
    acme, clean_queues, media_root
):
    job = make_job(acme, job_type="visual", title="Budget banner", inputs=BANNER, auto_process=True)
    run_next_step(job)

    step, queries = run_next_step(job)

    # 20, plus one to read the client's brand assets (logo, photos, font) once per step, plus
    # two for the auto-approval decision (the outputs read whole, their QC kept in one update),
    # plus one to find the reviewers to notify, plus one to read the client's review stages.
    assert step == "render" and queries <= 25
    assert ProductionJob.objects.get(pk=job.pk).status == "review"
    assert Output.objects.filter(job=job, step="render").count() == 1


def test_a_failed_attempt_is_recorded_and_retried_in_at_most_9_queries(
    acme, clean_queues, media_root, monkeypatch
):
    def broken_writer(*args, **kwargs):
        raise RuntimeError("writer exploded")

    monkeypatch.setattr("jobs.workflows.copy.write_deliverables", broken_writer)
    job = make_job(acme, title="Doomed post", auto_process=True)

    step, queries = run_next_step(job, expected="failed")

    assert step == "write" and queries <= 9
    run = StepRun.objects.get(job=job)
    assert run.status == "queued" and run.attempt == 2 and "writer exploded" in run.error
    assert JobEvent.objects.filter(job=job, action="step_retry").count() == 1
