"""The offline lifecycle: content jobs per second from queued to review through two worker
processes (built-in providers, so the figure is the engine's own cost), printed beside the
queries one such job costs."""

from __future__ import annotations

import os
import statistics

from bench.harness import Workers, wait_until

ROUNDS = int(os.environ.get("BENCH_ENGINE_ROUNDS", "3"))
CONTENT_JOBS = int(os.environ.get("BENCH_CONTENT_JOBS", "600"))
BLOG = {"contentType": "blog_post", "tone": "friendly", "length": "short"}


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
                input_data={**BLOG, "topic": f"Roasting tip number {already + index}"},
                auto_process=True,
            )
        settle_database()
        started = workers.go()
        done = ProductionJob.objects.filter(status=Status.REVIEW)
        finished = wait_until(lambda: done.count() >= already + count, interval=0.05)
    return count / (finished - started)


def queries_per_content_job() -> int:
    """The queries a worker makes for one content job's step (read, claim, record, review),
    counted in this process; transaction control statements are not counted."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from jobs import engine, services
    from jobs.models import StepRun
    from production.demo import seed_clients

    job = services.job_create(
        client=seed_clients()["helix"],
        job_type="content",
        title="Bench post counted",
        input_data={**BLOG, "topic": "Counting queries"},
        auto_process=True,
    )
    run = StepRun.objects.get(job=job)
    # The log is a bounded deque: once full, its length no longer grows and nothing is captured.
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as captured:
        engine.run_step(run.pk, run.attempt)
    control = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")
    return sum(1 for q in captured.captured_queries if not q["sql"].startswith(control))


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
    rates = sorted(content_lifecycle_rate(database_url) for _ in range(ROUNDS))
    return [
        (
            "offline content jobs/s queued→review (2 workers), median",
            f"{statistics.median(rates):.0f}",
        ),
        (
            f"  … per round ({ROUNDS} rounds, lowest to highest)",
            " / ".join(f"{r:.0f}" for r in rates),
        ),
        (
            "queries per content job's step (read, claim, record, review)",
            str(queries_per_content_job()),
        ),
    ]
