"""Content jobs per second through the whole lifecycle vs raw RQ no-op jobs, two workers each.

The two are measured in alternating rounds and the ratio is taken per round: the machine's
speed drifts by ±15% over a minute, and a ratio of two rates measured seconds apart cancels
most of that drift where one measured a minute apart would not.
"""

from __future__ import annotations

import os
import statistics

from bench.harness import Workers, wait_until

ROUNDS = int(os.environ.get("BENCH_ENGINE_ROUNDS", "5"))
NOOP_JOBS = int(os.environ.get("BENCH_NOOP_JOBS", "1500"))
CONTENT_JOBS = int(os.environ.get("BENCH_CONTENT_JOBS", "600"))


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
    already = ProductionJob.objects.filter(status=Status.REVIEW).count()
    with Workers(2, database_url) as workers:
        for index in range(count):
            services.job_create(
                client=client,
                job_type="content",
                title=f"Bench post {index}",
                input_data={
                    "contentType": "blog_post",
                    "topic": f"Roasting tip number {already + index}",
                    "tone": "friendly",
                    "length": "short",
                },
                auto_process=True,
            )
        settle_database()
        started = workers.go()
        done = ProductionJob.objects.filter(status=Status.REVIEW)
        finished = wait_until(lambda: done.count() >= already + count, interval=0.05)
    return count / (finished - started)


def settle_database() -> None:
    """Write out what seeding the jobs left dirty and refresh the planner's statistics, so the
    measurement is not charged for the setup's checkpoint and autovacuum (PostgreSQL only)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute("CHECKPOINT")


def run(database_url: str) -> list[tuple[str, str]]:
    noops, lifecycles = [], []
    for _ in range(ROUNDS):
        noops.append(raw_noop_rate(database_url))
        lifecycles.append(content_lifecycle_rate(database_url))
    ratios = sorted(n / c for n, c in zip(noops, lifecycles, strict=True))
    return [
        ("raw RQ no-op jobs/s (2 SimpleWorkers), median", f"{statistics.median(noops):.0f}"),
        (
            "content jobs/s queued→review (2 workers), median",
            f"{statistics.median(lifecycles):.0f}",
        ),
        (
            "lifecycle cost in no-op jobs (noop rate / lifecycle rate), median",
            f"{statistics.median(ratios):.2f}",
        ),
        (
            f"  … per round ({ROUNDS} rounds, lowest to highest)",
            " / ".join(f"{r:.2f}" for r in ratios),
        ),
    ]
