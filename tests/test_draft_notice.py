"""A text drafted without a model says so on the job page; a model's rewrite does not."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jobs.job_types.writers.common import DRAFT_SOURCE
from jobs.models import Output
from tests.factories import login, make_job

pytestmark = pytest.mark.django_db

NOTICE = "Structured draft from the built-in writer."


def page_with(client, acme, alice, metadata: dict) -> str:
    job = make_job(acme, title="Spring blog post", auto_process=False)
    Output.objects.create(
        job=job,
        step="write",
        key="blog_post",
        kind="markdown",
        title="Blog post",
        text="# Cold brew\n\nSteeped for 18 hours.",
        metadata=metadata,
    )
    login(client, alice)
    return client.get(reverse("job_detail", args=[job.pk])).content.decode()


def test_a_built_in_draft_carries_the_notice(client, acme, alice):
    assert DRAFT_SOURCE == "built-in writer"
    assert NOTICE in page_with(client, acme, alice, {"draft_source": DRAFT_SOURCE})


def test_a_models_text_carries_no_notice(client, acme, alice):
    assert NOTICE not in page_with(client, acme, alice, {"model": "gpt-test"})


def test_the_outputs_offer_the_revision_as_one_zip(client, acme, alice):
    page = page_with(client, acme, alice, {})
    assert "/r1/download-all/" in page and "Download all" in page
