"""Demo jobs in several statuses, produced through the real engine in this process.

Each demo login has something to do in its first minute: the reviewer finds work in review
(a post whose superlative the truth layer could not back, so it is not auto-approved), the
owner finds high-impact work approved and waiting for sign-off, and the member finds a video
that the workers start rendering as soon as `make run` is up.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model

from approvals import services as decisions
from jobs import services
from jobs.inline import run_inline
from jobs.job_types import job_type_spec
from jobs.models import ProductionJob
from production.models import Client

# How far each job is taken: left pending, queued for the workers (the video renders once they
# start), run to review, run to review and approved by the reviewer (a high-impact job then
# waits for the owner's sign-off), or cancelled.
PENDING, QUEUED, REVIEW, SIGNOFF, CANCELLED = "pending", "queued", "review", "signoff", "cancelled"

DEMO_JOBS: list[dict[str, Any]] = [
    {
        "client": "northwind",
        "type": "content",
        "title": "The best cold brew in Portland",
        "inputs": {
            "contentType": "blog_post",
            "topic": "The best cold brew in Portland",
            "tone": "friendly",
            "length": "short",
        },
        "to": REVIEW,
    },
    {
        "client": "northwind",
        "type": "visual",
        "title": "Autumn banner set",
        "priority": "high",
        "inputs": {
            "visualType": "banner",
            "headline": "Autumn roasts are here",
            "subline": "Roasted within 48 hours of shipping",
            "callToAction": "Shop the roast",
            "sizes": ["1200x628", "300x250"],
        },
        "to": REVIEW,
    },
    {
        "client": "northwind",
        "type": "content",
        "title": "Wholesale price list announcement",
        "priority": "high",
        "high_impact": True,
        "inputs": {
            "contentType": "email",
            "topic": "New wholesale prices for partner cafes",
            "tone": "professional",
        },
        "to": SIGNOFF,
    },
    {
        "client": "northwind",
        "type": "video",
        "title": "Cold brew launch",
        "by": "northwind-member",
        "inputs": job_type_spec("video").demo_inputs,
        "to": QUEUED,
    },
    {
        "client": "northwind",
        "type": "social",
        "title": "Holiday gift posts",
        "priority": "low",
        "inputs": {
            "platforms": ["instagram", "twitter"],
            "topic": "Coffee gift boxes for the holidays",
            "hashtags": 3,
        },
        "to": PENDING,
    },
    {
        "client": "northwind",
        "type": "seo",
        "title": "Cafe wholesale meta tags",
        "inputs": {
            "seoType": "meta_tags",
            "topic": "Wholesale coffee for cafes",
            "keywords": ["wholesale coffee", "cafe beans"],
        },
        "to": QUEUED,
    },
    {
        "client": "helix",
        "type": "content",
        "title": "Month-end close email",
        "priority": "urgent",
        "inputs": {
            "contentType": "email",
            "topic": "A calmer month-end close",
            "tone": "professional",
        },
        "to": REVIEW,
    },
    {
        "client": "helix",
        "type": "brand",
        "title": "Helix voice guide",
        "high_impact": True,
        "inputs": {"brandType": "voice"},
        "to": SIGNOFF,
    },
    {
        "client": "helix",
        "type": "voice",
        "title": "Explainer voiceover",
        "inputs": {
            "scriptType": "explainer",
            "topic": "Faster month-end close",
            "durationSeconds": 30,
        },
        "to": QUEUED,
    },
    {
        "client": "helix",
        "type": "website",
        "title": "About page copy",
        "priority": "low",
        "inputs": {"pageType": "about"},
        "to": CANCELLED,
    },
]


def _user(username: str) -> Any:
    return get_user_model().objects.filter(username=username).first()


def seed_jobs(clients: dict[str, Client]) -> int:
    created = 0
    for spec in DEMO_JOBS:
        client = clients[spec["client"]]
        if ProductionJob.objects.filter(client=client, title=spec["title"]).exists():
            continue
        target = spec["to"]
        job = services.job_create(
            client=client,
            job_type=spec["type"],
            title=spec["title"],
            priority=spec.get("priority", "normal"),
            input_data=spec["inputs"],
            description=f"Demo: {spec['title'].lower()}.",
            high_impact=spec.get("high_impact"),
            created_by=_user(spec.get("by") or f"{spec['client']}-member"),
            auto_process=target != PENDING,
        )
        if target in (REVIEW, SIGNOFF):
            run_inline(job.pk)
        if target == SIGNOFF:
            job.refresh_from_db()
            reviewer = _user(f"{spec['client']}-reviewer")
            if job.status == "review" and reviewer is not None:
                decisions.job_decide(job=job, user=reviewer, decision="approve")
        elif target == CANCELLED:
            services.job_cancel(job=job, note="Client postponed the redesign.")
        created += 1
    return created
