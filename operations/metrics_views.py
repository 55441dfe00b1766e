"""The metrics dashboard: staff see every client, owners their own; SVG charts and CSV export."""

from __future__ import annotations

import csv
from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from operations import breakers, charts, stats
from operations.forms import RangeForm
from production.models import Client, Membership, Role

DEFAULT_DAYS = 30


def _visible_clients(request: HttpRequest) -> list[Client]:
    if request.user.is_staff:
        return list(Client.objects.order_by("name"))
    return [
        m.client
        for m in Membership.objects.filter(user=request.user, role=Role.OWNER)
        .select_related("client")
        .order_by("client__name")
    ]


def _money(value: float) -> str:
    return f"${value:,.2f}"


@login_required
@require_GET
def metrics_dashboard(request: HttpRequest) -> HttpResponse:
    clients = _visible_clients(request)
    if not clients and not request.user.is_staff:
        raise PermissionDenied("The metrics are for owners and staff.")
    choices = ([("", "All clients")] if request.user.is_staff else []) + [
        (c.slug, c.name) for c in clients
    ]
    today = timezone.localdate()
    defaults = {
        "start": (today - timedelta(days=DEFAULT_DAYS - 1)).isoformat(),
        "end": today.isoformat(),
        "client": choices[0][0],
    }
    form = RangeForm({**defaults, **request.GET.dict()}, clients=choices)
    if not form.is_valid():
        return render(request, "operations/metrics.html", {"form": form}, status=400)
    slug = form.cleaned_data["client"]
    client = next((c for c in clients if c.slug == slug), None)
    scope = stats.Scope(client, form.cleaned_data["start"], form.cleaned_data["end"])
    rows = stats.step_rows(scope)
    if request.GET.get("format") == "csv":
        return _csv(scope, rows)
    days = stats.per_day(scope)
    labels = [d["day"].strftime("%b %d") for d in days]
    jobs_chart = charts.stacked_bars(
        "Jobs per day: delivered, failed and other",
        labels,
        [
            ("delivered", "#1f8a5b", [d["delivered"] for d in days]),
            ("failed", "#c0392b", [d["failed"] for d in days]),
            ("other", "#9aa5b8", [d["created"] - d["delivered"] - d["failed"] for d in days]),
        ],
        fmt=lambda v: f"{v:.0f}",
    )
    cost_chart = charts.stacked_bars(
        "Provider cost per day",
        labels,
        [("cost", "#2f6db5", [d["cost"] for d in days])],
        fmt=_money,
    )
    rated = [r for r in rows if r.success_rate is not None]
    success_chart = charts.horizontal_bars(
        "Success rate per step",
        [(f"{r.job_type} · {r.step} · {r.provider}", r.success_rate * 100) for r in rated],
        maximum=100,
        fmt=lambda v: f"{v:.0f}%",
    )
    context = {
        "form": form,
        "scope": scope,
        "rows": rows,
        "totals": {
            "jobs": sum(d["created"] for d in days),
            "delivered": sum(d["delivered"] for d in days),
            "failed": sum(d["failed"] for d in days),
            "cost": sum(d["cost"] for d in days),
        },
        "approvals": stats.approval_figures(scope),
        "costs": stats.cost_rows(scope),
        "queues": stats.queue_depths() if request.user.is_staff else [],
        "unpriced": stats.unpriced_in(scope),
        "breaker_events": list(breakers.events_between(scope.since, scope.until)[:50]),
        "breaker_openings": sorted(breakers.openings_by_provider(scope.since, scope.until).items()),
        "jobs_chart": jobs_chart,
        "cost_chart": cost_chart,
        "success_chart": success_chart,
        "csv_query": request.GET.copy().urlencode(),
    }
    return render(request, "operations/metrics.html", context)


def _csv(scope: stats.Scope, rows: list[stats.StepRow]) -> HttpResponse:
    name = f"metrics-{scope.client.slug if scope.client else 'all'}-{scope.start}-{scope.end}.csv"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    writer = csv.writer(response)
    writer.writerow(
        ["job_type", "step", "provider", "runs", "succeeded", "failed", "success_rate",
         "p50_ms", "p95_ms", "tokens", "cost_usd", "retries"]
    )  # fmt: skip
    for row in rows:
        rate = "" if row.success_rate is None else f"{row.success_rate:.4f}"
        writer.writerow(
            [row.job_type, row.step, row.provider, row.runs, row.succeeded, row.failed, rate,
             "" if row.p50 is None else f"{row.p50:.0f}", "" if row.p95 is None else f"{row.p95:.0f}",
             row.tokens, f"{row.cost:.6f}", row.retries]
        )  # fmt: skip
    return response
