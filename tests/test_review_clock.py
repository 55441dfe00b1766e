"""The digest and the deadline sweep ride the operations tick on RQ's scheduler: the digest
once a day from DIGEST_HOUR, the sweep on every tick, and each done once with two workers."""

from __future__ import annotations

import time
from datetime import timedelta

import django_rq
import pytest
from django.utils import timezone

from approvals import services as approvals
from approvals.models import ApprovalRequest
from jobs.models import JobEvent
from jobs.step_worker import live_step_workers
from notifications import schedule as clock
from notifications import services
from notifications.models import Channel, DigestRun, Event
from operations import schedule
from tests.conftest import worker_env
from tests.factories import in_review
from tests.smtp_server import LocalSMTPServer, text_of

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _queues(clean_queues):
    return clean_queues


def wait_for(predicate, timeout: float = 30, every: float = 0.1):  # noqa: ANN001
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := predicate():
            return value
        time.sleep(every)
    return predicate()


def digest_waiting_for(rita, acme, address: str = "rita@acme.test") -> None:
    rita.email = address
    rita.save(update_fields=["email"])
    services.set_preference(user=rita, event=Event.REVIEW_REQUESTED, channel=Channel.DIGEST)
    in_review(acme, title="Autumn menu post")


def overdue_request(acme) -> ApprovalRequest:
    request = approvals.pending_request_for(in_review(acme, title="Late one"))
    ApprovalRequest.objects.filter(pk=request.pk).update(
        due_at=timezone.now() - timedelta(minutes=5)
    )
    return request


def test_the_digest_waits_for_its_hour(settings, acme, rita):
    digest_waiting_for(rita, acme)
    settings.DIGEST_HOUR = 23
    early = timezone.localtime().replace(hour=6)
    assert clock.send_digests_if_due(early) is None
    assert not DigestRun.objects.exists()


def test_the_digest_is_sent_once_a_day(settings, acme, rita, mailoutbox):
    digest_waiting_for(rita, acme)
    settings.DIGEST_HOUR = 0
    today = timezone.localtime().replace(hour=9)
    assert clock.send_digests_if_due(today) == 1
    assert clock.send_digests_if_due(today + timedelta(minutes=1)) is None
    assert DigestRun.objects.get().sent == 1
    # Tomorrow is another day: its run is claimed, with nothing new to send.
    assert clock.send_digests_if_due(today + timedelta(days=1)) == 0
    assert [m.subject for m in mailoutbox if "digest" in m.subject] == [
        "Your daily digest: 1 update"
    ]


def test_the_tick_sweeps_overdue_reviews(settings, acme, rita, olga):
    settings.DIGEST_HOUR = 23
    request = overdue_request(acme)
    result = schedule.tick()
    assert "escalations" in result
    assert JobEvent.objects.filter(job=request.job, action="review.overdue").count() == 1
    schedule.tick()
    assert JobEvent.objects.filter(job=request.job, action="review.overdue").count() == 1


def test_a_sweep_under_way_elsewhere_is_left_alone(acme):
    overdue_request(acme)
    redis = django_rq.get_connection("normal")
    redis.set(clock.SWEEP_LOCK, "1", ex=30)
    try:
        assert clock.sweep_deadlines() is None
    finally:
        redis.delete(clock.SWEEP_LOCK)
    assert clock.sweep_deadlines() == (1, 1)


@pytest.mark.worker
def test_two_workers_send_the_digest_and_escalate_once(acme, rita, olga, worker_factory, settings):
    settings.OPERATIONS_TICK_SECONDS = 1  # as the workers, so both count the same slots
    digest_waiting_for(rita, acme)
    late = overdue_request(acme)
    with LocalSMTPServer() as smtp:
        env = worker_env(
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(smtp.port),
            DIGEST_HOUR="0",
            DAILY_SUMMARY_HOUR="23",
            OPERATIONS_TICK_SECONDS="1",
        )
        for _ in range(2):
            worker_factory(burst=False, threads=4, env=env)
        redis = django_rq.get_connection("normal")
        assert wait_for(lambda: len(live_step_workers(redis)) == 2)
        # Two ticks at once, as two schedulers could send, and the recurring chain.
        queue = django_rq.get_queue(settings.OPERATIONS_QUEUE)
        queue.enqueue(schedule.TICK)
        queue.enqueue(schedule.TICK)
        assert schedule.ensure()
        first = int(time.time())
        assert wait_for(lambda: DigestRun.objects.filter(sent=1).exists())

        def later_ticks_ran() -> bool:
            ids = queue.scheduled_job_registry.get_job_ids()
            slots = [
                int(i.removeprefix(schedule.PREFIX)) for i in ids if i.startswith(schedule.PREFIX)
            ]
            return bool(slots) and min(slots) >= first + 4

        assert wait_for(later_ticks_ran, timeout=30)
        digests = [m for m in smtp.messages if "daily digest" in m["Subject"]]

    assert [m["To"] for m in digests] == ["rita@acme.test"]
    assert "Autumn menu post" in text_of(digests[0])
    assert DigestRun.objects.count() == 1
    assert JobEvent.objects.filter(job=late.job, action="review.overdue").count() == 1
    assert JobEvent.objects.filter(job=late.job, action="review.due_soon").count() == 1
