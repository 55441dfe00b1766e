"""The metrics dashboard in Chromium: charts drawn from two weeks of work, for staff."""

from __future__ import annotations

import os
import random
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from approvals.models import ApprovalRequest
from jobs.models import Output, ProductionJob, StepRun
from operations.models import ClientBudget
from tests.browser import requires_chromium, screenshot, sign_in
from tests.factories import make_job

# Playwright's sync API runs an event loop in this thread; the ORM calls here are still sync.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [
    pytest.mark.browser,
    requires_chromium,
    pytest.mark.django_db(transaction=True),
]

STEPS = {
    "content": [("write", "openai")],
    "visual": [("copy", "openai"), ("render", "builtin-image")],
}
VISUAL = {"visualType": "banner", "headline": "Autumn trail days"}


def two_weeks_of_work(clients) -> None:  # noqa: ANN001
    rng = random.Random(18)
    now = timezone.now()
    for client in clients:
        ClientBudget.objects.create(client=client, monthly_usd=Decimal("40"))
        for day in range(14):
            for n in range(rng.randint(2, 6)):
                kind = rng.choice(["content", "content", "visual"])
                job = make_job(
                    client,
                    job_type=kind,
                    title=f"{kind} {day}-{n}",
                    inputs=VISUAL if kind == "visual" else None,
                )
                status = rng.choices(["completed", "review", "failed"], [6, 2, 1])[0]
                cost = Decimal(rng.randint(5, 60)) / 100 if status != "failed" else Decimal(0)
                created = now - timedelta(days=day, hours=rng.randint(0, 8))
                ProductionJob.objects.filter(pk=job.pk).update(
                    status=status, cost_usd=cost, created_at=created
                )
                for step, provider in STEPS[kind]:
                    ok = status != "failed" or step != STEPS[kind][-1][0]
                    StepRun.objects.create(
                        job=job, step=step, provider=provider,
                        status="succeeded" if ok else "failed",
                        attempt=1 if ok else 3, duration_ms=rng.randint(400, 9000),
                        tokens_in=rng.randint(600, 1800) if provider == "openai" else 0,
                        tokens_out=rng.randint(200, 900) if provider == "openai" else 0,
                        cost_usd=cost / len(STEPS[kind]),
                    )  # fmt: skip
                if status == "completed":
                    Output.objects.create(job=job, step=STEPS[kind][-1][0], kind="markdown")
                    request = ApprovalRequest.objects.create(
                        job=job, gate="final", approval_type="final", revision=1,
                        status=rng.choice(["approved", "approved", "changes_requested"]),
                    )  # fmt: skip
                    ApprovalRequest.objects.filter(pk=request.pk).update(
                        created_at=created, decided_at=created + timedelta(hours=rng.randint(1, 30))
                    )


def test_staff_read_the_metrics_dashboard(live_server, page, staff, acme, globex):
    two_weeks_of_work([acme, globex])
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    sign_in(page, live_server.url, "sam", "pw-sam-12345")
    start = (timezone.localdate() - timedelta(days=13)).isoformat()

    page.goto(f"{live_server.url}/operations/metrics/?start={start}")

    assert page.locator("svg.chart").count() == 3
    assert page.locator("svg.chart rect").count() > 30
    assert page.locator("#step-table tbody tr").count() == 3
    assert page.locator("#cost-table tbody tr").count() == 2
    assert errors == []
    screenshot(page, "operations-metrics")
