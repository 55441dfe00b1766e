"""The step worker runs many slow steps at once in one process, and stops without losing any."""

from __future__ import annotations

import signal
import threading
import time

import pytest
from rq import Queue

from jobs.models import ProductionJob, StepRun
from jobs.step_worker import StepWorker, live_step_workers
from tests.conftest import worker_env
from tests.factories import make_job
from tests.fake_openai_server import FakeOpenAIServer, Reply

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def hosted_env(server: FakeOpenAIServer) -> dict[str, str]:
    return worker_env(
        OPENAI_BASE_URL=server.base_url,
        TEXT_PROVIDERS="openai,builtin-text",
        PROVIDER_TIMEOUT="30",
        STEP_LEASE_SECONDS="5",
    )


def test_one_process_keeps_many_hosted_calls_in_flight(acme, worker_factory, media_root):
    # Calls long enough to overlap even when the machine is busy starting the twelve steps.
    reply = Reply(text="# A post\\n\\nWritten by the hosted model.", delay=3.0)
    with FakeOpenAIServer(default=reply) as server:
        jobs = [make_job(acme, title=f"Post {n}", auto_process=True) for n in range(12)]
        worker = worker_factory(burst=True, threads=16, env=hosted_env(server))
        log = worker.wait(timeout=90)

    assert worker.process.returncode == 0, log
    statuses = set(
        ProductionJob.objects.filter(pk__in=[j.pk for j in jobs]).values_list("status", flat=True)
    )
    assert statuses == {"review"}, log
    assert server.request_count >= 12
    # Twelve 3 s calls ran side by side, not one after another.
    assert server.peak_in_flight >= 10


def test_it_heartbeats_and_lets_steps_in_flight_finish_on_sigterm(
    acme, worker_factory, media_root, redis_conn
):
    with FakeOpenAIServer(default=Reply(text="# Done\\n\\nFinished.", delay=6.0)) as server:
        jobs = [make_job(acme, title=f"Post {n}", auto_process=True) for n in range(3)]
        worker = worker_factory(burst=False, threads=4, env=hosted_env(server))
        deadline = time.monotonic() + 30
        while server.in_flight < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert server.in_flight == 3
        deadline = time.monotonic() + 8  # the heartbeat is written every 5 s
        beats = live_step_workers(redis_conn)
        while beats[0]["busy"] != 3 and time.monotonic() < deadline:
            time.sleep(0.2)
            beats = live_step_workers(redis_conn)
        assert len(beats) == 1 and beats[0]["threads"] == 4 and beats[0]["busy"] == 3
        worker.process.send_signal(signal.SIGTERM)
        log = worker.wait(timeout=30)

    assert worker.process.returncode == 0, log
    assert "Traceback" not in log
    assert set(StepRun.objects.filter(job__in=jobs).values_list("status", flat=True)) == {
        "succeeded"
    }
    assert live_step_workers(redis_conn) == []


def forget_own_message(message_id: str) -> None:
    """A step during which Redis lost its message (a flush, a restart without persistence)."""
    import django_rq

    django_rq.get_connection("normal").delete(f"rq:job:{message_id}")


def test_a_message_redis_lost_mid_step_does_not_cost_the_worker_its_thread(redis_conn):
    worker = StepWorker(["vanishing"], redis_conn, threads=1, with_scheduler=False)
    queue = Queue("vanishing", connection=redis_conn)
    for n in range(3):
        queue.enqueue(forget_own_message, f"lost-{n}", job_id=f"lost-{n}")

    runner = threading.Thread(target=worker.work, kwargs={"burst": True}, daemon=True)
    runner.start()
    runner.join(timeout=20)

    # With one thread, the second and third message run only if the first gave its slot back.
    assert not runner.is_alive(), f"the worker is stuck with {worker.busy} step(s) busy"
    assert worker._done == 3 and worker.busy == 0
