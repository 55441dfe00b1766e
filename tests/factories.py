"""Factories for test data: clients, users with roles, jobs, and jobs run to review."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test import Client as DjangoClient
from rest_framework.test import APIClient

from approvals.review import submit_for_review
from jobs import lifecycle, services
from jobs.api.auth import issue_token
from jobs.inline import run_inline
from jobs.models import ProductionJob, Status
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


def produce(client: Client, **kwargs: Any) -> ProductionJob:
    """Create a job and run it through the engine until it waits for a decision."""
    job = make_job(client, auto_process=True, **kwargs)
    run_inline(job.pk)
    job.refresh_from_db()
    return job


def login(client: DjangoClient, user: Any) -> DjangoClient:
    assert client.login(username=user.username, password=PASSWORD)
    return client


def api_as(user: Any) -> APIClient:
    """An API client that sends a fresh bearer token of `user`."""
    _, key = issue_token(user=user, name="tests")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def in_review(client: Client, title: str = "Spring blog post") -> ProductionJob:
    """A job whose generation finished: the review policy opened its final request."""
    job = make_job(client, auto_process=True, title=title)
    lifecycle.transition(job, Status.PROCESSING)
    with transaction.atomic():
        submit_for_review(lifecycle.lock_job(job.pk))
    job.refresh_from_db()
    return job


def with_scope_statements(queries: int, statements: int = 2) -> int:
    """A request's queries plus, on PostgreSQL, the statements that set its tenant scope and
    restore it after (production.tenant_scope): two for a signed-in page, four for a bearer
    token (no scope, every client to read the memberships, the user's clients, restore)."""
    return queries + (statements if connection.vendor == "postgresql" else 0)
