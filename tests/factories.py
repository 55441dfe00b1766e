"""Factories for test data: clients, users with roles, jobs."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model

from jobs import services
from jobs.models import ProductionJob
from production.models import Client, Membership

PASSWORD = "pw-12345-test"

BLOG_INPUTS = {
    "contentType": "blog_post",
    "topic": "Trail running for beginners",
    "tone": "friendly",
    "length": "short",
}


def make_client(slug: str, name: str, **extra: Any) -> Client:
    defaults = {
        "brand_profile": {
            "voice": "plain-spoken and encouraging",
            "tone": "friendly",
            "colors": ["#0B6E4F", "#F4F1DE", "#E07A5F"],
            "audience": "weekend hikers and trail runners",
            "tagline": "Made for the long way round",
            "industry": "outdoor gear",
            "location": "Boulder, Colorado",
        },
        "verified_facts": [f"{name} was founded in 2009.", f"{name} ships to 12 countries."],
        "approved_testimonials": [
            {"quote": "The best pack I have owned in ten years.", "author": "J. Ortiz"}
        ],
    }
    defaults.update(extra)
    return Client.objects.create(slug=slug, name=name, **defaults)


def make_user(username: str, client: Client | None = None, role: str = "member", **extra: Any):
    user = get_user_model().objects.create_user(username, password=PASSWORD, **extra)
    if client is not None:
        Membership.objects.create(user=user, client=client, role=role)
    return user


def make_job(
    client: Client,
    *,
    job_type: str = "content",
    title: str = "Spring blog post",
    priority: str = "normal",
    inputs: dict | None = None,
    auto_process: bool = False,
    user=None,
    **extra: Any,
) -> ProductionJob:
    return services.job_create(
        client=client,
        job_type=job_type,
        title=title,
        priority=priority,
        input_data=inputs if inputs is not None else dict(BLOG_INPUTS),
        auto_process=auto_process,
        created_by=user,
        **extra,
    )
