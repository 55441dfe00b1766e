"""Alert rules: each fires once, stays quiet while firing, and resolves; channels really receive.

E-mail goes to a local aiosmtpd server, the Slack-compatible and generic webhooks to a local
HTTP receiver.
"""

from __future__ import annotations

import importlib
import json
import time
from datetime import timedelta
from decimal import Decimal

import django_rq
import pytest
from django.apps import apps
from django.utils import timezone

from approvals.models import ApprovalRequest
from jobs.models import Output, ProductionJob
from jobs.providers.breaker import CircuitBreaker
from operations import alerts, services
from operations.models import AlertChannel, AlertNotice, AlertRule, ClientBudget
from tests.factories import make_job
from tests.smtp_server import LocalSMTPServer, text_of
from tests.webhook_receiver import WebhookReceiver

pytestmark = pytest.mark.django_db


@pytest.fixture
def only(redis_conn):  # noqa: ANN001, ANN201
    """Keep one default rule enabled (by name), the others off."""
    # A transactional test before this one emptied the table the migration filled.
    importlib.import_module("operations.migrations.0003_alerts").add_default_rules(apps, None)
    importlib.import_module("operations.migrations.0004_webhook_disabled_alert").add_rule(
        apps, None
    )
    importlib.import_module("operations.migrations.0007_token_expiry_alert").add_rule(apps, None)

    def keep(name: str, **changes: object) -> AlertRule:
        AlertRule.objects.exclude(name=name).update(enabled=False)
        rule = AlertRule.objects.get(name=name)
        for field, value in changes.items():
            setattr(rule, field, value)
        rule.save()
        return rule

    return keep


def notices() -> list[tuple[str, str]]:
    return list(AlertNotice.objects.order_by("id").values_list("status", "subject"))


def fires_once_then_resolves(make_it_fire, make_it_pass, subject: str = "") -> None:  # noqa: ANN001
    make_it_fire()
    assert [(n.status, n.subject) for n in alerts.evaluate()] == [("firing", subject)]
    assert alerts.evaluate() == []  # still over: nothing new within the cool-down
    make_it_pass()
    assert [(n.status, n.subject) for n in alerts.evaluate()] == [("resolved", subject)]
    assert alerts.evaluate() == []
    assert notices() == [("firing", subject), ("resolved", subject)]


def test_the_defaults_cover_every_kind(only):
    kinds = set(AlertRule.objects.values_list("kind", flat=True))
    assert kinds == {
        "failure_rate",
        "breaker_open",
        "queue_backlog",
        "queue_wait",
        "spend",
        "approvals_overdue",
        "storage",
        "webhook_disabled",
        "token_expiry",
    }


def test_failure_rate_over_the_window(acme, only):
    only("Failure rate above 25% in the last hour")
    jobs = [make_job(acme, title=f"Job {n}") for n in range(4)]
    ProductionJob.objects.filter(pk__in=[j.pk for j in jobs[:2]]).update(status="completed")
    failed = ProductionJob.objects.filter(pk__in=[j.pk for j in jobs[2:]])

    fires_once_then_resolves(
        lambda: failed.update(status="failed"),
        lambda: failed.update(status="completed"),
    )
    assert "2 of 4 jobs failed in the last 60 minutes (50%; limit 25%)" in (
        AlertNotice.objects.get(status="firing").message
    )


def test_failure_rate_ignores_too_few_jobs_and_old_ones(acme, only):
    only("Failure rate above 25% in the last hour")
    job = make_job(acme)
    ProductionJob.objects.filter(pk=job.pk).update(status="failed")
    assert alerts.evaluate() == []  # one failure in one job: under the minimum of 4
    jobs = [make_job(acme, title=f"Old {n}") for n in range(4)]
    ProductionJob.objects.filter(pk__in=[j.pk for j in jobs]).update(
        status="failed", updated_at=timezone.now() - timedelta(hours=2)
    )
    assert alerts.evaluate() == []


def test_a_breaker_opening(only, redis_conn):
    only("A provider's circuit breaker opened")
    breaker = CircuitBreaker(redis_conn, "openai", failure_threshold=2)

    def open_it() -> None:
        breaker.record_failure()
        breaker.record_failure()

    fires_once_then_resolves(open_it, breaker.record_success, subject="openai")


# Enqueued at once only outside a test transaction.
@pytest.mark.django_db(transaction=True)
def test_queue_backlog(only, redis_conn):
    only("More than 500 messages waiting in a queue", threshold=2)
    queue = django_rq.get_queue("low")

    def fill() -> None:
        for _ in range(3):
            queue.enqueue("operations.health_views.healthz", None)

    fires_once_then_resolves(fill, queue.empty, subject="queue:low")


# Enqueued at once only outside a test transaction.
@pytest.mark.django_db(transaction=True)
def test_queue_wait(only, redis_conn):
    only("A queue's oldest message waited over 10 minutes", threshold=0.3)
    queue = django_rq.get_queue("urgent")

    def wait() -> None:
        queue.enqueue("operations.health_views.healthz", None)
        time.sleep(0.5)

    fires_once_then_resolves(wait, queue.empty, subject="queue:urgent")


def test_spend_at_80_and_100_percent_of_the_budget(acme, only, redis_conn):
    ClientBudget.objects.create(client=acme, monthly_usd=Decimal("1.00"))
    job = make_job(acme)
    costs = ProductionJob.objects.filter(pk=job.pk)
    AlertRule.objects.exclude(kind="spend").update(enabled=False)

    costs.update(cost_usd=Decimal("0.85"))
    assert [n.message for n in alerts.evaluate()] == [
        "Acme Outdoor has spent $0.85 of its $1.00 monthly budget (85%; alert at 80%)."
    ]
    costs.update(cost_usd=Decimal("1.20"))
    sent = alerts.evaluate()
    assert [(n.rule.name, n.status) for n in sent] == [
        ("Spend at 100% of a client's budget", "firing")
    ]
    costs.update(cost_usd=Decimal("0"))
    assert sorted(n.rule.name for n in alerts.evaluate() if n.status == "resolved") == [
        "Spend at 100% of a client's budget",
        "Spend at 80% of a client's budget",
    ]


def test_approvals_overdue(acme, only):
    only("Approvals overdue")
    job = make_job(acme)
    request = ApprovalRequest.objects.create(
        job=job, gate="final", approval_type="final", revision=1, due_at=timezone.now()
    )
    waiting = ApprovalRequest.objects.filter(pk=request.pk)

    fires_once_then_resolves(
        lambda: waiting.update(due_at=timezone.now() - timedelta(hours=1)),
        lambda: waiting.update(status="approved"),
    )


def test_storage_above_the_limit(acme, only):
    only("Stored outputs above 50 GB", threshold=0.000001)  # 1 kB
    job = make_job(acme)

    fires_once_then_resolves(
        lambda: Output.objects.create(job=job, step="write", kind="text", size_bytes=5000),
        lambda: Output.objects.all().delete(),
    )


def test_a_webhook_endpoint_disabled_after_failures(acme, only):
    only("A webhook endpoint was disabled")
    endpoint = services.endpoint_create(
        client=acme, url="https://acme.test/in", events=["job.status_changed"]
    )
    services.endpoint_disable(endpoint=endpoint, reason="Disabled by olga.")
    assert alerts.evaluate() == []  # turned off by an owner: nothing to say

    fires_once_then_resolves(
        lambda: services.endpoint_disable(
            endpoint=endpoint, reason="Disabled after 5 deliveries in a row failed."
        ),
        lambda: services.endpoint_enable(endpoint=endpoint),
        subject=f"webhook:{endpoint.pk}",
    )
    assert "https://acme.test/in of Acme Outdoor was disabled" in (
        AlertNotice.objects.get(status="firing").message
    )


def test_a_flapping_alert_is_not_sent_again_within_the_cool_down(only, redis_conn):
    only("A provider's circuit breaker opened", cooldown_minutes=30)
    breaker = CircuitBreaker(redis_conn, "openai", failure_threshold=1)
    now = timezone.now()

    breaker.record_failure()
    assert len(alerts.evaluate(now)) == 1
    breaker.record_success()
    assert [n.status for n in alerts.evaluate(now + timedelta(minutes=1))] == ["resolved"]
    breaker.record_failure()
    assert alerts.evaluate(now + timedelta(minutes=2)) == []  # flapping: quiet
    breaker.record_success()
    assert alerts.evaluate(now + timedelta(minutes=3)) == []  # its firing was never sent
    breaker.record_failure()
    assert [n.status for n in alerts.evaluate(now + timedelta(minutes=40))] == ["firing"]
    # Still open after another cool-down: one reminder.
    assert [n.status for n in alerts.evaluate(now + timedelta(minutes=71))] == ["firing"]


def test_alerts_reach_email_slack_and_a_generic_webhook(only, redis_conn, settings):
    only("A provider's circuit breaker opened")
    breaker = CircuitBreaker(redis_conn, "openai", failure_threshold=1)
    with LocalSMTPServer() as smtp, WebhookReceiver() as slack, WebhookReceiver() as hook:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp.port
        AlertChannel.objects.create(name="ops mail", kind="email", target="ops@acme.test, b@x.test")
        AlertChannel.objects.create(name="chat", kind="slack", target=slack.url)
        AlertChannel.objects.create(name="pager", kind="webhook", target=hook.url)

        breaker.record_failure()
        notice = alerts.evaluate()[0]
        breaker.record_success()
        alerts.evaluate()
        mails = smtp.wait_for(2)

    assert notice.results == {"ops mail": "sent to 2", "chat": "sent (200)", "pager": "sent (200)"}
    assert mails[0]["Subject"] == "[firing] A provider's circuit breaker opened (openai)"
    assert sorted(mails[0]["To"].split(", ")) == ["b@x.test", "ops@acme.test"]
    assert "The circuit breaker of provider openai is open." in text_of(mails[0])
    assert mails[1]["Subject"].startswith("[resolved]")
    slack_texts = [json.loads(r.body)["text"] for r in slack.received]
    assert slack_texts[0].startswith("*[firing] A provider's circuit breaker opened (openai)*")
    assert slack_texts[1].startswith("*[resolved]")
    generic = [json.loads(r.body) for r in hook.received]
    assert [g["type"] for g in generic] == ["alert.firing", "alert.resolved"]
    assert generic[0]["kind"] == "breaker_open" and generic[0]["subject"] == "openai"


def test_a_channel_that_fails_is_reported_not_raised(only, redis_conn):
    only("A provider's circuit breaker opened")
    AlertChannel.objects.create(name="down", kind="slack", target="http://127.0.0.1:9/hook")
    with WebhookReceiver(default=500) as broken:
        AlertChannel.objects.create(name="broken", kind="webhook", target=broken.url)
        CircuitBreaker(redis_conn, "openai", failure_threshold=1).record_failure()
        notice = alerts.evaluate()[0]

    assert notice.results["broken"] == "error: HTTP 500"
    assert notice.results["down"].startswith("error:")
