"""A provider's concurrency limit holds across two real step-worker processes sharing Redis."""

from __future__ import annotations

import pytest

from jobs.models import ProductionJob
from tests.conftest import worker_env
from tests.factories import make_job
from tests.fake_openai_server import FakeOpenAIServer, Reply

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

LIMIT = 3
THREADS = 2  # per process: one process alone can never have more than 2 calls in flight


def test_two_step_workers_never_exceed_the_providers_limit_together(
    acme, worker_factory, media_root
):
    reply = Reply(text="# A post\\n\\nWritten by the hosted model.", delay=1.0)
    with FakeOpenAIServer(default=reply) as server:
        env = worker_env(
            OPENAI_BASE_URL=server.base_url,
            TEXT_PROVIDERS="openai,builtin-text",
            PROVIDER_TIMEOUT="30",
            PROVIDER_CONCURRENCY=f"openai={LIMIT}",
        )
        jobs = [make_job(acme, title=f"Post {n}", auto_process=True) for n in range(10)]
        workers = [worker_factory(burst=True, threads=THREADS, env=env) for _ in range(2)]
        logs = [worker.wait(timeout=120) for worker in workers]

    for worker, log in zip(workers, logs, strict=True):
        assert worker.process.returncode == 0, log
    statuses = set(
        ProductionJob.objects.filter(pk__in=[j.pk for j in jobs]).values_list("status", flat=True)
    )
    assert statuses == {"review"}, logs
    assert server.request_count >= len(jobs)
    # Four threads in two processes wanted four calls at once: the shared limit allowed three,
    # and three at once means both processes had calls in flight together.
    assert THREADS < server.peak_in_flight <= LIMIT
