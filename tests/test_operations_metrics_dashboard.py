"""The metrics dashboard: every figure against hand-made data, tenants apart, CSV, charts."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from approvals.models import ApprovalRequest
from jobs.models import Output, ProductionJob, StepRun
from operations import stats
from operations.models import ClientBudget
from tests.factories import login, make_job

pytestmark = pytest.mark.django_db

URL = "/operations/metrics/"


def run(job, step: str, provider: str, status: str, ms: int, attempt: int = 1, **extra):  # noqa: ANN001, ANN201
    return StepRun.objects.create(
        job=job, step=step, provider=provider, status=status, duration_ms=ms, attempt=attempt,
        **extra,
    )  # fmt: skip


def decided(job, status: str, hours: float, gate: str = "final", revision: int = 1) -> None:  # noqa: ANN001
    request = ApprovalRequest.objects.create(
        job=job, gate=gate, approval_type="final", revision=revision, status=status
    )
    created = timezone.now() - timedelta(hours=hours + 1)
    ApprovalRequest.objects.filter(pk=request.pk).update(
        created_at=created, decided_at=created + timedelta(hours=hours)
    )


@pytest.fixture
def work(acme, globex):  # noqa: ANN001, ANN201
    """Acme: three content writes on openai (one failed after retries), one visual render;
    two decided jobs (one first-pass); one delivered job with two deliverables. Globex: one."""
    first, second, third = (make_job(acme, title=f"Post {n}") for n in range(3))
    run(first, "write", "openai", "succeeded", 100, tokens_in=1000, tokens_out=500,
        cost_usd=Decimal("0.40"))  # fmt: skip
    run(second, "write", "openai", "succeeded", 300, tokens_in=800, tokens_out=200,
        cost_usd=Decimal("0.20"))  # fmt: skip
    run(third, "write", "openai", "failed", 900, attempt=3)
    banner = make_job(acme, job_type="visual", title="Banner",
                      inputs={"visualType": "banner", "headline": "Autumn trail days"})  # fmt: skip
    run(banner, "render", "builtin-image", "succeeded", 50)
    decided(first, "approved", hours=2)
    decided(second, "changes_requested", hours=4)
    decided(second, "approved", hours=1, revision=2)
    ProductionJob.objects.filter(pk=first.pk).update(status="completed", cost_usd=Decimal("1.00"))
    ProductionJob.objects.filter(pk=third.pk).update(status="failed")
    for item in range(2):
        Output.objects.create(job=first, step="write", item=item, kind="markdown")
    ClientBudget.objects.create(client=acme, monthly_usd=Decimal("4.00"))
    other = make_job(globex, title="Globex secret launch")
    run(other, "write", "<script>alert(1)</script>", "succeeded", 10)
    return acme


def scope_of(client) -> stats.Scope:  # noqa: ANN001
    today = timezone.localdate()
    return stats.Scope(client, today - timedelta(days=6), today)


def test_step_rows_count_runs_success_percentiles_tokens_cost_and_retries(work):
    rows = {(r.job_type, r.step, r.provider): r for r in stats.step_rows(scope_of(work))}

    write = rows[("content", "write", "openai")]
    assert (write.runs, write.succeeded, write.failed, write.retries) == (3, 2, 1, 2)
    assert write.success_rate == pytest.approx(2 / 3)
    assert (write.p50, write.p95) == (100, 300)
    assert write.tokens == 2500 and write.cost == Decimal("0.60")
    render = rows[("visual", "render", "builtin-image")]
    assert (render.runs, render.success_rate, render.p50) == (1, 1.0, 50)
    assert len(rows) == 2  # Globex's run is not Acme's


def test_percentiles_are_nearest_rank():
    values = [float(v) for v in range(1, 101)]
    assert stats.percentile(values, 0.5) == 50 and stats.percentile(values, 0.95) == 95
    assert stats.percentile([7.0], 0.95) == 7 and stats.percentile([], 0.5) is None


def test_approval_cycle_time_and_first_pass_rate(work):
    figures = stats.approval_figures(scope_of(work))

    assert figures.decided == 3
    assert figures.cycle_p50_hours == pytest.approx(2) and figures.cycle_p95_hours == pytest.approx(
        4
    )
    assert figures.first_pass_rate == 0.5  # Post 0 approved first time; Post 1 sent back


def test_per_day_and_cost_per_deliverable(work):
    days = stats.per_day(scope_of(work))
    costs = {row.client.slug: row for row in stats.cost_rows(scope_of(work))}

    assert len(days) == 7 and days[-1]["created"] == 4
    assert days[-1]["delivered"] == 1 and days[-1]["failed"] == 1
    assert days[-1]["cost"] == 1.0
    acme = costs["acme"]
    assert (acme.delivered_jobs, acme.deliverables, acme.per_deliverable) == (1, 2, Decimal("0.5"))
    assert acme.budget == Decimal("4.00") and acme.budget_share == 0.25


def test_an_owner_sees_their_client_only(client, work, olga):
    page = login(client, olga).get(URL)

    html = page.content.decode()
    assert page.status_code == 200
    assert "Metrics · Acme Outdoor" in html
    assert 'href="/operations/acme/budget/"' in html and 'href="/operations/acme/webhooks/"' in html
    assert "Globex" not in html and "alert(1)" not in html
    assert html.count("<svg") == 3 and "<script" not in html.split("<main", 1)[1]
    # An owner may not ask for another client.
    assert login(client, olga).get(URL, {"client": "globex"}).status_code == 400


def test_staff_see_every_client_and_names_are_escaped(client, work, staff):
    client.force_login(staff)

    html = client.get(URL).content.decode()

    assert "Metrics · all clients" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html
    assert 'id="queue-table"' in html


def test_members_and_reviewers_are_refused(client, work, alice, rita):
    assert login(client, alice).get(URL).status_code == 403
    assert login(client, rita).get(URL).status_code == 403


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"start": "2026-13-01"}, "Enter a valid date."),
        ({"start": "2026-05-10", "end": "2026-05-01"}, "The end comes before the start."),
        ({"start": "2024-01-01", "end": "2026-01-01"}, "Choose at most 366 days."),
    ],
)
def test_a_bad_range_is_refused_at_the_field(client, work, olga, query, message):
    response = login(client, olga).get(URL, query)

    assert response.status_code == 400
    assert message in response.content.decode()


def test_csv_export_has_one_row_per_workflow_step_and_provider(client, work, olga):
    response = login(client, olga).get(URL, {"format": "csv"})

    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="metrics-acme-')
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(r["job_type"], r["step"], r["provider"]) for r in rows] == [
        ("content", "write", "openai"),
        ("visual", "render", "builtin-image"),
    ]
    assert rows[0]["success_rate"] == "0.6667" and rows[0]["p95_ms"] == "300"
    assert rows[0]["cost_usd"] == "0.600000" and rows[0]["retries"] == "2"


def test_the_page_costs_the_same_queries_with_more_jobs(client, work, olga):
    signed_in = login(client, olga)
    signed_in.get(URL)
    with CaptureQueriesContext(connection) as few:
        signed_in.get(URL)
    for n in range(10):
        job = make_job(work, title=f"More {n}")
        run(job, "write", "openai", "succeeded", 120)
        decided(job, "approved", hours=1)
    with CaptureQueriesContext(connection) as many:
        signed_in.get(URL)

    assert len(many.captured_queries) == len(few.captured_queries) <= 20
