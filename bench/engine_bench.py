"""Content jobs per second through the whole lifecycle vs raw RQ no-op jobs, two workers each."""

from __future__ import annotations

import os

from bench.harness import Workers, wait_until

NOOP_JOBS = int(os.environ.get("BENCH_NOOP_JOBS", "3000"))
CONTENT_JOBS = int(os.environ.get("BENCH_CONTENT_JOBS", "1000"))


def raw_noop_rate(database_url: str, count: int = NOOP_JOBS) -> float:
    import django_rq
    from rq.registry import StartedJobRegistry

    queue = django_rq.get_queue("normal")
    queue.empty()
    with Workers(2, database_url) as workers:
        with queue.connection.pipeline() as pipe:
            for _ in range(count):
                queue.enqueue("jobs.tasks.noop", result_ttl=0, pipeline=pipe)
            pipe.execute()
        started = workers.go()
        registry = StartedJobRegistry(queue=queue)
        finished = wait_until(lambda: queue.count == 0 and registry.count == 0)
    return count / (finished - started)


def content_lifecycle_rate(database_url: str, count: int = CONTENT_JOBS) -> float:
    from jobs import services
    from jobs.models import ProductionJob, Status
    from production.demo import seed_clients

    clients = seed_clients()
    client = clients["helix"]  # reviewers decide there: jobs stop at review
    with Workers(2, database_url) as workers:
        for index in range(count):
            services.job_create(
                client=client,
                job_type="content",
                title=f"Bench post {index}",
                input_data={
                    "contentType": "blog_post",
                    "topic": f"Roasting tip number {index}",
                    "tone": "friendly",
                    "length": "short",
                },
                auto_process=True,
            )
        started = workers.go()
        done = ProductionJob.objects.filter(status=Status.REVIEW)
        finished = wait_until(lambda: done.count() >= count, interval=0.05)
    return count / (finished - started)


def run(database_url: str) -> list[tuple[str, str]]:
    noop = raw_noop_rate(database_url)
    lifecycle = content_lifecycle_rate(database_url)
    return [
        ("raw RQ no-op jobs/s (2 SimpleWorkers)", f"{noop:.0f}"),
        ("content jobs/s queued→review (2 workers)", f"{lifecycle:.0f}"),
        ("lifecycle cost in no-op jobs (noop rate / lifecycle rate)", f"{noop / lifecycle:.2f}"),
    ]
