"""Demo jobs in several statuses, produced through the real engine in this process."""

from __future__ import annotations

from jobs import services
from jobs.inline import run_inline
from jobs.models import ProductionJob
from production.models import Client

DEMO_JOBS = [
    # (client slug, type, title, priority, inputs, how far to take it)
    (
        "northwind",
        "content",
        "Why fresh roasting matters",
        "normal",
        {
            "contentType": "blog_post",
            "topic": "Why fresh roasting matters",
            "tone": "friendly",
            "length": "short",
        },
        "review",
    ),
    (
        "northwind",
        "visual",
        "Autumn banner set",
        "high",
        {
            "visualType": "banner",
            "headline": "Autumn roasts are here",
            "subline": "Roasted within 48 hours of shipping",
            "callToAction": "Shop the roast",
            "sizes": ["1200x628", "300x250"],
        },
        "review",
    ),
    (
        "northwind",
        "social",
        "Holiday gift posts",
        "low",
        {
            "platforms": ["instagram", "twitter"],
            "topic": "Coffee gift boxes for the holidays",
            "hashtags": 3,
        },
        "pending",
    ),
    (
        "northwind",
        "seo",
        "Cafe wholesale meta tags",
        "normal",
        {
            "seoType": "meta_tags",
            "topic": "Wholesale coffee for cafes",
            "keywords": ["wholesale coffee", "cafe beans"],
        },
        "queued",
    ),
    (
        "helix",
        "content",
        "Month-end close email",
        "urgent",
        {"contentType": "email", "topic": "A calmer month-end close", "tone": "professional"},
        "review",
    ),
    ("helix", "brand", "Helix voice guide", "normal", {"brandType": "voice"}, "pending"),
    (
        "helix",
        "voice",
        "Explainer voiceover",
        "normal",
        {"scriptType": "explainer", "topic": "Faster month-end close", "durationSeconds": 30},
        "queued",
    ),
    ("helix", "website", "About page copy", "low", {"pageType": "about"}, "cancelled"),
]


def seed_jobs(clients: dict[str, Client]) -> int:
    created = 0
    for slug, job_type, title, priority, inputs, target in DEMO_JOBS:
        client = clients[slug]
        if ProductionJob.objects.filter(client=client, title=title).exists():
            continue
        job = services.job_create(
            client=client,
            job_type=job_type,
            title=title,
            priority=priority,
            input_data=inputs,
            description=f"Demo: {title.lower()}.",
            auto_process=target != "pending",
        )
        if target == "review":
            run_inline(job.pk)
        elif target == "cancelled":
            services.job_cancel(job=job, note="Client postponed the redesign.")
        created += 1
    return created
