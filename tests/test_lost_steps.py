"""Steps whose worker died are found and sent again: a popped message that never ran, and a
running step whose lease lapsed, the latter within seconds whatever RQ's job timeout."""

from __future__ import annotations

import signal
import time

import django_rq
import pytest
from rq.job import Job
from rq.worker import Worker

from jobs import engine
from jobs.models import JobEvent, Output, ProductionJob, StepRun
from jobs.reconciler import LOST_GRACE_SECONDS, reconcile
from tests.conftest import worker_env
from tests.factories import make_job
from tests.fake_openai_server import FakeOpenAIServer, Reply
from tests.test_worker_process import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def status_of(job: ProductionJob) -> str:
    return ProductionJob.objects.values_list("status", flat=True).get(pk=job.pk)


def blocked_in_blpop(connection) -> list[dict]:
    """Clients of this Redis database waiting in BLPOP (a worker listening on its queues)."""
    db = connection.connection_pool.connection_kwargs.get("db", 0)
    return [
        client
        for client in connection.client_list()
        if client.get("cmd") == "blpop"
        and "b" in client.get("flags", "")
        and client.get("db") == str(db)
    ]


def test_a_popped_message_that_never_ran_is_sent_again(acme, redis_conn, media_root):
    job = make_job(acme, title="Popped and lost", auto_process=True)
    run = StepRun.objects.get(job=job)
    queue = django_rq.get_queue(job.priority)
    # What a worker does before it dies: the id leaves the queue, its RQ hash still says queued.
    assert queue.pop_job_id() == run.rq_job_id
    assert Job.fetch(run.rq_job_id, connection=redis_conn).get_status() == "queued"

    report = reconcile()

    assert report.requeued_queued == [run.pk]
    run.refresh_from_db()
    assert run.status == "queued" and run.attempt == 2
    assert queue.get_job_position(run.rq_job_id) is not None
    assert engine.run_step(run.pk, run.attempt) == "succeeded"
    assert status_of(job) == "review"


def test_a_message_waiting_in_its_queue_is_left_alone_without_a_pause(acme, redis_conn):
    job = make_job(acme, title="Waiting its turn", auto_process=True)
    started = time.monotonic()

    report = reconcile()

    assert report.requeued_queued == []
    assert time.monotonic() - started < LOST_GRACE_SECONDS
    assert StepRun.objects.get(job=job).attempt == 1


def test_a_retry_scheduled_for_later_is_left_alone(
    acme, redis_conn, media_root, settings, monkeypatch
):
    settings.STEP_RETRY_DELAYS = [600]

    def broken_writer(*args, **kwargs):
        raise RuntimeError("writer exploded")

    monkeypatch.setattr("jobs.workflows.copy.write_deliverables", broken_writer)
    job = make_job(acme, title="Retried later", auto_process=True)
    run = StepRun.objects.get(job=job)
    assert engine.run_step(run.pk, run.attempt) == "failed"
    run.refresh_from_db()
    assert run.rq_job_id in django_rq.get_queue(job.priority).scheduled_job_registry

    assert reconcile().requeued_queued == []
    assert StepRun.objects.get(pk=run.pk).attempt == run.attempt == 2


def test_a_worker_stopped_holding_a_popped_id_then_killed_loses_nothing(
    acme, worker_factory, redis_conn, media_root
):
    paused = worker_factory(burst=False)
    # rqworker waits for messages in one long BLPOP: stopped inside it, the process is still
    # the client Redis hands the next id to.
    wait_for(lambda: blocked_in_blpop(redis_conn))
    paused.process.send_signal(signal.SIGSTOP)
    assert blocked_in_blpop(redis_conn)
    job = make_job(acme, title="Held by a stopped worker", auto_process=True)
    run = StepRun.objects.get(job=job)
    queue = django_rq.get_queue(job.priority)
    wait_for(lambda: queue.count == 0)
    assert queue.get_job_position(run.rq_job_id) is None
    paused.kill()
    assert Job.fetch(run.rq_job_id, connection=redis_conn).get_status() == "queued"
    assert StepRun.objects.get(pk=run.pk).status == "queued"

    report = reconcile()

    assert report.requeued_queued == [run.pk]
    worker_factory(burst=False)
    wait_for(lambda: status_of(job) == "review", timeout=60)
    run.refresh_from_db()
    assert run.status == "succeeded" and run.attempt == 2
    assert Output.objects.filter(job=job).count() == 1
    assert JobEvent.objects.filter(job=job, action="step_recovered").count() == 1


def listening_workers(connection) -> int:
    """rqworkers registered, plus step workers whose heartbeat is fresh."""
    return len(Worker.all(connection=connection)) + len(connection.keys("stepworker:*"))


@pytest.mark.parametrize("threads", [0, 4], ids=["rqworker", "stepworker"])
def test_a_step_whose_worker_is_killed_mid_call_is_finished_by_another_within_seconds(
    acme, worker_factory, redis_conn, media_root, threads, record_property
):
    # RQ's job timeout stays at 30 minutes: only the step's one-second lease decides.
    with FakeOpenAIServer(default=Reply(text="Rewritten by the hosted model.", delay=30)) as server:
        env = worker_env(
            OPENAI_BASE_URL=server.base_url,
            TEXT_PROVIDERS="openai,builtin-text",
            STEP_LEASE_SECONDS="1",
            PROVIDER_TIMEOUT="60",
        )
        job = make_job(acme, title="Killed mid-call", auto_process=True)
        doomed = worker_factory(burst=False, env=env, threads=threads)
        wait_for(lambda: StepRun.objects.filter(job=job, status="running").exists())
        wait_for(lambda: server.request_count >= 1)
        server.reset(default=Reply(text="# Recovered post\n\nWritten after the crash."))
        worker_factory(burst=False, env=env, threads=threads)
        wait_for(lambda: listening_workers(redis_conn) >= 2)

        killed_at = time.monotonic()
        doomed.kill()
        while status_of(job) != "review":
            assert time.monotonic() - killed_at < 60, "the step was never finished"
            reconcile()
            time.sleep(0.2)
        recovered_in = time.monotonic() - killed_at

    print(
        f"killed {'stepworker' if threads else 'rqworker'} step finished {recovered_in:.1f}s later"
    )
    record_property("recovery_seconds", round(recovered_in, 2))
    assert recovered_in < 15
    run = StepRun.objects.get(job=job)
    assert run.status == "succeeded" and run.attempt == 2 and run.provider == "openai"
    assert Output.objects.filter(job=job, step="write").count() == 1
    assert JobEvent.objects.filter(job=job, action="step_recovered").count() == 1
