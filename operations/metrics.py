"""Prometheus metrics, computed from the database and Redis at scrape time.

Why not counters kept in each process: the web server runs several gunicorn processes and the
workers run in others, possibly on other machines. Per-process counters would need
prometheus_client's multiprocess mode (a shared directory, so one machine only, and files to
clean up when processes die). Everything worth counting is already a row (jobs, step runs,
approvals, webhook deliveries) or a Redis key (queues, heartbeats, breakers), so any process
that is scraped reads the same truth and answers the same numbers. The queries are grouped
counts over indexed columns, cheap enough for a scrape every few seconds.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

from django.conf import settings
from django.db.models import Count, Sum
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from rq import Queue

from approvals.models import ApprovalRequest, ApprovalStatus
from jobs.models import ProductionJob, Status, StepRun, StepStatus
from jobs.step_worker import live_step_workers
from operations.models import (
    BreakerEvent,
    BreakerState,
    DeliveryStatus,
    WebhookDelivery,
    WebhookEndpoint,
)
from operations.readiness import oldest_waiting_seconds
from production.redis_connection import shared_redis


class DatabaseCollector(Collector):
    """Job, step and approval figures from the database."""

    def collect(self) -> Iterator[Metric]:
        jobs = GaugeMetricFamily("production_jobs", "Jobs in each status now.", labels=["status"])
        by_status = dict(
            ProductionJob.objects.order_by().values_list("status").annotate(n=Count("id"))
        )
        for status in Status.values:
            jobs.add_metric([status], by_status.get(status, 0))
        yield jobs

        steps = GaugeMetricFamily(
            "production_step_runs", "Step runs in each status now.", labels=["status"]
        )
        by_step_status = dict(
            StepRun.objects.order_by().values_list("status").annotate(n=Count("id"))
        )
        for status in StepStatus.values:
            steps.add_metric([status], by_step_status.get(status, 0))
        yield steps

        totals = ProductionJob.objects.order_by().aggregate(
            cost=Sum("cost_usd"), tokens=Sum("tokens_total")
        )
        cost = CounterMetricFamily(
            "production_cost_usd", "Provider spend recorded on all jobs, in US dollars."
        )
        cost.add_metric([], float(totals["cost"] or 0))
        yield cost
        tokens = CounterMetricFamily("production_tokens", "Provider tokens used by all jobs.")
        tokens.add_metric([], float(totals["tokens"] or 0))
        yield tokens

        pending = GaugeMetricFamily(
            "production_approvals_pending",
            "Approval requests waiting for a decision, by approver role.",
            labels=["role"],
        )
        for role, n in (
            ApprovalRequest.objects.filter(status=ApprovalStatus.PENDING)
            .order_by()
            .values_list("approver_role")
            .annotate(n=Count("id"))
        ):
            pending.add_metric([role], n)
        yield pending

        deliveries = GaugeMetricFamily(
            "production_webhook_deliveries",
            "Webhook deliveries in each status.",
            labels=["status"],
        )
        by_delivery = dict(
            WebhookDelivery.objects.order_by().values_list("status").annotate(n=Count("id"))
        )
        for status in DeliveryStatus.values:
            deliveries.add_metric([status], by_delivery.get(status, 0))
        yield deliveries
        disabled = GaugeMetricFamily(
            "production_webhook_endpoints_disabled", "Webhook endpoints disabled now."
        )
        disabled.add_metric([], WebhookEndpoint.objects.filter(is_active=False).count())
        yield disabled

        changes = CounterMetricFamily(
            "production_breaker_changes",
            "Circuit breaker changes recorded in the history, by provider and new state.",
            labels=["provider", "state"],
        )
        for provider, state, n in (
            BreakerEvent.objects.order_by().values_list("provider", "state").annotate(n=Count("id"))
        ):
            changes.add_metric([provider, state], n)
        yield changes
        openings = CounterMetricFamily(
            "production_breaker_openings",
            "Times each provider's circuit breaker opened (reopenings after a failed trial too).",
            labels=["provider"],
        )
        for provider, n in (
            BreakerEvent.objects.filter(state=BreakerState.OPEN)
            .order_by()
            .values_list("provider")
            .annotate(n=Count("id"))
        ):
            openings.add_metric([provider], n)
        yield openings


class RedisCollector(Collector):
    """Queue depth and wait, live workers and open circuit breakers, from Redis."""

    def collect(self) -> Iterator[Metric]:
        redis = shared_redis()
        depth = GaugeMetricFamily(
            "production_queue_depth", "Messages waiting in each queue.", labels=["queue"]
        )
        wait = GaugeMetricFamily(
            "production_queue_oldest_wait_seconds",
            "How long the oldest waiting message of each queue has waited.",
            labels=["queue"],
        )
        now = time.time()
        for name in settings.QUEUE_NAMES:
            queue = Queue(name, connection=redis)
            depth.add_metric([name], queue.count)
            wait.add_metric([name], oldest_waiting_seconds(queue, now))
        yield depth
        yield wait

        workers = live_step_workers(redis)
        alive = GaugeMetricFamily("production_step_workers", "Step worker processes heartbeating.")
        alive.add_metric([], len(workers))
        yield alive
        busy = GaugeMetricFamily("production_steps_in_flight", "Steps running in step workers.")
        busy.add_metric([], sum(int(w.get("busy") or 0) for w in workers))
        yield busy

        breakers = GaugeMetricFamily(
            "production_breaker_open",
            "1 while a provider's circuit breaker is open.",
            labels=["provider"],
        )
        for key in redis.scan_iter(match="breaker:*:open"):
            breakers.add_metric([key.decode().split(":")[1]], 1)
        yield breakers


def render() -> bytes:
    """The exposition text of one scrape."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(DatabaseCollector())
    registry.register(RedisCollector())
    return generate_latest(registry)
