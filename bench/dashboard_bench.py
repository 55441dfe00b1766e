"""Server time of the dashboard with 100,000 jobs: the page, the list fragment and the detail partial."""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from bench.harness import percentiles

JOBS = 100_000
REQUESTS = 200
WARMUP = 5
BATCH = 5_000
SAMPLE_EVERY = 200  # one job in this many gets history and outputs, like real finished work


@contextmanager
def _explicit_timestamps(*models: type) -> Iterator[None]:
    """Let bulk_create keep the spread-out created_at values the bench sets."""
    fields = [m._meta.get_field("created_at") for m in models]
    for field in fields:
        field.auto_now_add = False
    try:
        yield
    finally:
        for field in fields:
            field.auto_now_add = True


def populate(jobs: int = JOBS) -> dict:
    """Two clients, a member of the first, jobs in every status spread over a year."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from jobs.models import JobEvent, JobType, Output, Priority, ProductionJob, Status, StepRun
    from production.models import Client, Membership

    rng = random.Random(50)
    clients = [
        Client.objects.create(slug=f"bench-{name}", name=f"Bench {name.title()}")
        for name in ("alpha", "beta")
    ]
    member = get_user_model().objects.create_user("bench-member", password="bench-pass-123")
    Membership.objects.create(user=member, client=clients[0], role="member")
    statuses, types, priorities = Status.values, JobType.values, Priority.values
    now = timezone.now()
    words = ["spring", "launch", "guide", "trail", "menu", "story", "offer", "update", "recap"]
    with _explicit_timestamps(ProductionJob, JobEvent, Output):
        for start in range(0, jobs, BATCH):
            batch = []
            for index in range(start, min(start + BATCH, jobs)):
                created = now - timedelta(seconds=(jobs - index) * 300)
                status = statuses[(index // 2) % len(statuses)]
                batch.append(
                    ProductionJob(
                        id=uuid.uuid4(),
                        client=clients[index % 2],
                        job_type=types[index % 7],
                        title=f"{rng.choice(words).title()} {rng.choice(words)} {index}",
                        priority=priorities[index % 4],
                        status=status,
                        progress=100 if status in ("review", "completed") else 40,
                        safety_score=rng.randint(55, 100) if index % 3 else None,
                        safety_band="safe",
                        created_at=created,
                    )
                )
            ProductionJob.objects.bulk_create(batch, batch_size=1000)
            sample = batch[::SAMPLE_EVERY]
            JobEvent.objects.bulk_create(
                JobEvent(
                    job=job,
                    action="status_changed",
                    from_status="queued",
                    to_status="processing",
                    actor_label="worker",
                    created_at=job.created_at + timedelta(seconds=step),
                )
                for job in sample
                for step in range(6)
            )
            Output.objects.bulk_create(
                Output(
                    job=job,
                    step="write",
                    item=item,
                    kind="markdown",
                    key=f"piece{item}",
                    title=f"Piece {item}",
                    text="# Heading\n\nA paragraph of *copy*.\n",
                    safety_score=96,
                    safety_band="verified_safe",
                    created_at=job.created_at,
                )
                for job in sample
                for item in range(3)
            )
    detail = (
        ProductionJob.objects.filter(client=clients[0], job_type="content")
        .order_by("-created_at")
        .first()
    )
    StepRun.objects.create(job=detail, step="write", status="succeeded", provider="builtin-text")
    return {"member": member, "detail": detail}


def measure(
    client, url: str, headers: dict[str, str], requests: int = REQUESTS
) -> tuple[float, float]:
    for _ in range(WARMUP):
        assert client.get(url, headers=headers).status_code == 200, url
    samples = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(url, headers=headers)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, url
    return percentiles(samples)


def run(database_url: str) -> list[tuple[str, str]]:
    """Figures for the dashboard's hot paths; `database_url` is the bench database in use."""
    from django.db import connection
    from django.test import Client

    started = time.perf_counter()
    data = populate()
    with connection.cursor() as cursor:
        # Statistics and the visibility map a live database has after autovacuum, so counts
        # per status can be answered from the (client, status, created_at) index alone.
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    seeded = time.perf_counter() - started

    client = Client()
    client.force_login(data["member"])
    htmx = {"HX-Request": "true"}
    detail = f"/jobs/{data['detail'].pk}/"
    cases = [
        ("dashboard page (50,000 visible jobs)", "/", {}),
        ("job list fragment, unfiltered", "/", htmx),
        ("job list fragment, status + type filter", "/?status=review&type=content", htmx),
        ("job list fragment, page 200", "/?page=200", htmx),
        ("job list fragment, title search", "/?q=launch", htmx),
        ("job detail page", detail, {}),
        ("job detail live partial", detail, htmx),
    ]
    rows = [(f"seeded {JOBS:,} jobs (+ history and outputs for a sample)", f"{seeded:.1f} s")]
    for label, url, headers in cases:
        p50, p95 = measure(client, url, headers)
        rows.append((f"{label}: p50 / p95 over {REQUESTS}", f"{p50:.1f} / {p95:.1f} ms"))
    return rows
