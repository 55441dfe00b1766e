"""The daily summary: the right figures for each owner and for staff, sent once a day by RQ's
scheduler even with two worker processes running the tick at once."""

from __future__ import annotations

import time
from datetime import timedelta
from decimal import Decimal

import django_rq
import pytest
from django.utils import timezone

from approvals.models import ApprovalRequest
from jobs.models import ProductionJob
from jobs.step_worker import live_step_workers
from operations import schedule, summary
from operations.models import ClientBudget, DailySummary
from tests.conftest import worker_env
from tests.factories import make_job
from tests.smtp_server import LocalSMTPServer, text_of


def wait_for(predicate, timeout: float = 30, every: float = 0.1):  # noqa: ANN001
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(every)
    return predicate()


def a_day_of_work(acme, globex) -> None:  # noqa: ANN001
    for status, n in (("completed", 2), ("failed", 1), ("review", 3)):
        for i in range(n):
            job = make_job(acme, title=f"{status} {i}")
            ProductionJob.objects.filter(pk=job.pk).update(
                status=status, finished_at=timezone.now(), cost_usd=Decimal("0.25")
            )
    late = make_job(acme, title="Waiting too long")
    ApprovalRequest.objects.create(
        job=late,
        gate="final",
        approval_type="final",
        revision=1,
        due_at=timezone.now() - timedelta(hours=2),
    )
    make_job(globex, title="Globex secret launch")
    ClientBudget.objects.create(client=acme, monthly_usd=Decimal("10"))


@pytest.mark.django_db
def test_an_owner_reads_their_clients_day_and_nothing_else(acme, globex):
    a_day_of_work(acme, globex)
    now = timezone.now()

    text = summary.client_text(acme, now - timedelta(hours=24), now)

    assert "jobs created: 7" in text
    assert "completed: 2" in text and "failed: 1" in text
    assert "awaiting review now: 3" in text
    assert "spend in the last 24 hours: $1.50; this month: $1.50 of $10.00 budget" in text
    assert "approvals overdue: 1" in text
    assert "Globex" not in text


@pytest.mark.django_db
def test_staff_read_every_client(acme, globex):
    a_day_of_work(acme, globex)
    now = timezone.now()

    text = summary.staff_text(now - timedelta(hours=24), now)

    assert "All clients\n  jobs created: 8" in text
    assert "Acme Outdoor\n  jobs created: 7" in text
    assert "Globex Foods\n  jobs created: 1" in text


@pytest.mark.django_db
def test_nothing_is_sent_before_the_hour(settings, olga):
    settings.DAILY_SUMMARY_HOUR = 23
    early = timezone.now().replace(hour=6)

    assert summary.send_if_due(early) is False
    assert not DailySummary.objects.exists()


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_two_workers_send_the_summary_once(acme, globex, olga, staff, worker_factory, settings):
    settings.OPERATIONS_TICK_SECONDS = 1  # as the workers, so both count the same slots
    olga.email = "olga@acme.test"
    olga.save()
    staff.email = "sam@studio.test"
    staff.save()
    a_day_of_work(acme, globex)
    with LocalSMTPServer() as smtp:
        env = worker_env(
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(smtp.port),
            DAILY_SUMMARY_HOUR="0",
            OPERATIONS_TICK_SECONDS="1",
        )
        for _ in range(2):
            worker_factory(burst=False, threads=4, env=env)
        redis = django_rq.get_connection("normal")
        assert wait_for(lambda: len(live_step_workers(redis)) == 2)
        # Two ticks at once, as two schedulers could send, and the recurring one.
        queue = django_rq.get_queue("high")
        queue.enqueue(schedule.TICK)
        queue.enqueue(schedule.TICK)
        assert schedule.ensure()
        first = int(time.time())
        mails = smtp.wait_for(2, deadline_seconds=30)

        def later_ticks_ran() -> bool:
            ids = queue.scheduled_job_registry.get_job_ids()
            slots = [
                int(i.removeprefix(schedule.PREFIX)) for i in ids if i.startswith(schedule.PREFIX)
            ]
            return bool(slots) and min(slots) >= first + 4

        # The tick goes on every second; days do not change, so nothing more is sent.
        assert wait_for(later_ticks_ran, timeout=30)
        # The same ticks escalate the overdue review by e-mail too; only summaries count here.
        mails = [m for m in smtp.messages if m["Subject"].startswith("Daily summary")]

    assert sorted(m["To"] for m in mails) == ["olga@acme.test", "sam@studio.test"]
    assert DailySummary.objects.count() == 1
    assert sorted(DailySummary.objects.get().recipients) == ["olga@acme.test", "sam@studio.test"]
    by_to = {m["To"]: m for m in mails}
    assert by_to["olga@acme.test"]["Subject"] == "Daily summary: Acme Outdoor"
    assert "Globex" not in text_of(by_to["olga@acme.test"])
    assert "Globex Foods" in text_of(by_to["sam@studio.test"])
