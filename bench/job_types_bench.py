"""Jobs per second for each job type with a built-in writer, queued to review, offline."""

from __future__ import annotations

import itertools
import os
import shutil
import tempfile
from typing import Any

from bench.harness import Workers, wait_until

JOBS_PER_TYPE = int(os.environ.get("BENCH_JOBS_PER_TYPE", "60"))
# Rendering PNGs and WAVs costs far more than writing text, so those types run fewer jobs.
MEDIA_JOBS_PER_TYPE = int(os.environ.get("BENCH_MEDIA_JOBS_PER_TYPE", "30"))
MEDIA_TYPES = ("visual", "voice")

# Inputs cycled within each type so every output type is part of the figure; a job type not
# listed here runs its spec's schema examples.
INPUTS: dict[str, list[dict[str, Any]]] = {
    "content": [
        {"contentType": kind, "topic": "Roasting at home", "length": "short"}
        for kind in ("blog_post", "email", "landing_page", "case_study")
    ],
    "visual": [
        {"visualType": "banner", "headline": "Autumn roasts are here"},
        {"visualType": "social_image", "topic": "New single origin"},
        {
            "visualType": "infographic",
            "headline": "Cups by season",
            "data": [{"label": "Spring", "value": 40}, {"label": "Summer", "value": 55}],
        },
        {"visualType": "logo"},
    ],
    "brand": [{"brandType": kind} for kind in ("guidelines", "voice", "messaging")],
    "social": [
        {"platforms": [platform], "topic": "Brewing with a pour-over", "hashtags": 3}
        for platform in ("linkedin", "twitter", "facebook", "instagram")
    ],
    "seo": [
        {"seoType": "meta_tags", "topic": "Fresh roasted coffee beans"},
        {"seoType": "outline", "topic": "Choosing a grinder"},
        {"seoType": "keywords", "topic": "Espresso beans"},
        {"seoType": "local_seo", "topic": "Coffee roaster", "location": "Portland"},
    ],
    "website": [{"pageType": page} for page in ("home", "about", "services", "contact")],
    "voice": [
        {"scriptType": kind, "topic": "Our roastery", "durationSeconds": 20}
        for kind in ("intro", "explainer", "testimonial", "promo")
    ],
}
# Statuses a job of these short workflows rests in once the workers are done with it.
SETTLED = ("review", "approved", "completed", "failed")


def inputs_for(job_type: str) -> list[dict[str, Any]]:
    from jobs.job_types import job_type_spec

    return INPUTS.get(job_type) or job_type_spec(job_type).input_schema["examples"]


def type_rate(database_url: str, job_type: str, count: int, media_root: str) -> tuple[float, int]:
    """Jobs per second for one type with two workers, and how many of them failed."""
    from jobs import services
    from jobs.models import ProductionJob
    from production.demo import seed_clients

    client = seed_clients()["helix"]  # reviewers decide there: jobs stop at review
    inputs = itertools.cycle(inputs_for(job_type))
    env = {"MEDIA_ROOT": media_root, "OPENAI_BASE_URL": "", "TEXT_PROVIDERS": "builtin-text"}
    with Workers(2, database_url, **env) as workers:
        created = [
            services.job_create(
                client=client,
                job_type=job_type,
                title=f"Bench {job_type} {index}",
                input_data=dict(next(inputs)),
                auto_process=True,
            ).pk
            for index in range(count)
        ]
        started = workers.go()
        settled = ProductionJob.objects.filter(pk__in=created, status__in=SETTLED)
        finished = wait_until(lambda: settled.count() >= count, interval=0.05)
    failed = ProductionJob.objects.filter(pk__in=created, status="failed").count()
    return count / (finished - started), failed


def run(database_url: str) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    media_root = tempfile.mkdtemp(prefix="bench-media-")
    try:
        from jobs.job_types import WRITERS

        for job_type in WRITERS:  # the types a step worker drafts with its built-in writer
            count = MEDIA_JOBS_PER_TYPE if job_type in MEDIA_TYPES else JOBS_PER_TYPE
            rate, failed = type_rate(database_url, job_type, count, media_root)
            value = f"{rate:.1f}" + (f" ({failed} failed)" if failed else "")
            rows.append((f"{job_type} jobs/s queued→review ({count} jobs, 2 workers)", value))
    finally:
        shutil.rmtree(media_root, ignore_errors=True)
    return rows
