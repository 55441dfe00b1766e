"""The dashboard's list and detail views run a fixed number of queries, however much data there is."""

from __future__ import annotations

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from jobs.models import JobEvent, Output, ProductionJob, StepRun, StepStatus
from tests.factories import PASSWORD, make_job, with_scope_statements

HTMX = {"HTTP_HX_REQUEST": "true"}
# Session, user, memberships (client ids and roles), page count, page rows, status counts,
# switcher clients, and the current client's success score (its jobs, its decisions).
LIST_PAGE_QUERIES = 9
# The fragment has no top bar: no switcher clients.
LIST_FRAGMENT_QUERIES = 6
# Session, user, memberships, job with client and creator, step runs, events with actors,
# outputs, open approval request, switcher clients.
DETAIL_PAGE_QUERIES = 9
# The live fragment leaves out the outputs (reloaded on their own) and the switcher.
DETAIL_FRAGMENT_QUERIES = 7


def signed_in(user) -> HttpClient:
    client = HttpClient()
    assert client.login(username=user.get_username(), password=PASSWORD)
    return client


def add_jobs(acme, count: int) -> None:
    ProductionJob.objects.bulk_create(
        ProductionJob(
            client=acme,
            job_type=("content", "visual", "social")[i % 3],
            title=f"Bulk {i}",
            status=("pending", "queued", "review", "completed")[i % 4],
            safety_score=90,
        )
        for i in range(count)
    )


def grow_job(job: ProductionJob, count: int) -> None:
    start = Output.objects.filter(job=job).count()
    Output.objects.bulk_create(
        Output(
            job=job,
            step="write",
            item=start + i,
            kind="markdown",
            key=f"k{start + i}",
            title=f"Piece {i}",
            text="# Heading\n\nSome *text*.",
            safety_score=97,
            safety_band="verified_safe",
        )
        for i in range(count)
    )
    JobEvent.objects.bulk_create(
        JobEvent(
            job=job,
            action="status_changed",
            from_status="queued",
            to_status="processing",
            actor_label="worker",
            note=f"event {i}",
        )
        for i in range(count)
    )


@pytest.mark.parametrize("extra", [3, 30])
def test_the_dashboard_page_runs_a_fixed_number_of_queries(
    acme, alice, extra, django_assert_num_queries
):
    add_jobs(acme, extra)
    client = signed_in(alice)
    with django_assert_num_queries(with_scope_statements(LIST_PAGE_QUERIES)):
        response = client.get(reverse("dashboard"))
    assert response.content.decode().count('class="job-row"') == min(extra, 25)


@pytest.mark.parametrize("extra", [3, 30])
def test_the_filtered_list_fragment_runs_a_fixed_number_of_queries(
    acme, alice, extra, django_assert_num_queries
):
    add_jobs(acme, extra)
    client = signed_in(alice)
    with django_assert_num_queries(with_scope_statements(LIST_FRAGMENT_QUERIES)):
        response = client.get(reverse("dashboard") + "?status=queued&type=visual&q=Bulk", **HTMX)
    assert response.status_code == 200


@pytest.mark.parametrize("extra", [3, 30])
def test_the_detail_page_runs_a_fixed_number_of_queries(
    acme, alice, extra, django_assert_num_queries
):
    job = make_job(acme, user=alice)
    StepRun.objects.create(
        job=job, step="write", status=StepStatus.SUCCEEDED, provider="builtin-text"
    )
    grow_job(job, extra)
    client = signed_in(alice)
    with django_assert_num_queries(with_scope_statements(DETAIL_PAGE_QUERIES)):
        response = client.get(reverse("job_detail", args=[job.pk]))
    html = response.content.decode()
    assert html.count('class="output output-markdown"') == extra
    assert html.count('class="timeline-item"') == extra + 1  # and the "created" event


@pytest.mark.parametrize("extra", [3, 30])
def test_the_live_fragment_runs_a_fixed_number_of_queries(
    acme, alice, extra, django_assert_num_queries
):
    job = make_job(acme, user=alice, auto_process=True)
    grow_job(job, extra)
    client = signed_in(alice)
    with django_assert_num_queries(with_scope_statements(DETAIL_FRAGMENT_QUERIES)):
        response = client.get(reverse("job_detail", args=[job.pk]), **HTMX)
    assert response.content.decode().count('class="timeline-item"') == extra + 2
