"""Due times, reminders and overdue escalation (scheduled with RQ, time moved), claims, bulk."""

from __future__ import annotations

from datetime import datetime, timedelta

import django_rq
import pytest
from django.urls import reverse
from django.utils import timezone
from rq.registry import ScheduledJobRegistry
from rq.scheduler import RQScheduler

from approvals import assignment, deadlines, services
from approvals.models import ApprovalRequest
from jobs.models import JobEvent
from notifications.models import Event, Notification
from tests.factories import in_review, login, make_user

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _queues(clean_queues):
    return clean_queues


def registry() -> ScheduledJobRegistry:
    queue = django_rq.get_queue(deadlines.QUEUE)
    return ScheduledJobRegistry(queue=queue)


def scheduled(request: ApprovalRequest) -> dict[str, datetime]:
    """The deadline messages waiting in RQ's scheduled registry for this request, by task."""
    found = {}
    for job_id in registry().get_job_ids():
        job = django_rq.get_queue(deadlines.QUEUE).fetch_job(job_id)
        if job and job.args and job.args[0] == request.pk:
            found[job.func_name.rsplit(".", 1)[1]] = registry().get_scheduled_time(job_id)
    return found


def move_time_to(moment: datetime, monkeypatch) -> None:
    """RQ's own scheduler, run once with its clock set to `moment`, moves what is due by then."""
    import rq.scheduler

    monkeypatch.setattr(rq.scheduler, "current_timestamp", lambda: int(moment.timestamp()))
    connection = django_rq.get_connection(deadlines.QUEUE)
    scheduler = RQScheduler([deadlines.QUEUE], connection=connection)
    assert scheduler.acquire_locks()
    try:
        scheduler.enqueue_scheduled_jobs()
    finally:
        scheduler.release_locks()


def run_worker(worker_factory) -> str:
    # Only the deadline queue: the jobs' own steps stay where the factories left them.
    for name in ("urgent", "normal", "low"):
        django_rq.get_queue(name).empty()
    worker = worker_factory()
    return worker.wait(timeout=120)


def notices(event: str) -> list[tuple[str, str]]:
    return sorted((n.user.username, n.title) for n in Notification.objects.filter(event=event))


# --- scheduling and firing ----------------------------------------------------------------------


def test_opening_a_request_schedules_its_reminder_and_escalation(acme, rita):
    request = services.pending_request_for(in_review(acme))

    times = scheduled(request)

    assert set(times) == {"remind", "escalate"}
    assert abs(times["escalate"] - request.due_at) < timedelta(seconds=1)
    assert abs(times["remind"] - (request.due_at - deadlines.REMIND_BEFORE)) < timedelta(seconds=1)


def test_the_reminder_and_the_escalation_fire_at_their_times(
    acme, rita, olga, alice, monkeypatch, worker_factory
):
    job = in_review(acme)
    request = services.pending_request_for(job)
    due = request.due_at

    # An hour before the reminder: nothing moves.
    move_time_to(due - deadlines.REMIND_BEFORE - timedelta(hours=1), monkeypatch)
    assert set(scheduled(request)) == {"remind", "escalate"}

    move_time_to(due - deadlines.REMIND_BEFORE + timedelta(minutes=1), monkeypatch)
    assert set(scheduled(request)) == {"escalate"}
    run_worker(worker_factory)

    assert notices(Event.DUE_SOON) == [("rita", f"Due soon: “{job.title}” (revision 1)")]
    assert notices(Event.OVERDUE) == []

    move_time_to(due + timedelta(minutes=1), monkeypatch)
    assert scheduled(request) == {}
    run_worker(worker_factory)

    # Overdue goes to the reviewer and is escalated to the owner; the member is not bothered.
    assert [user for user, _ in notices(Event.OVERDUE)] == ["olga", "rita"]
    event = JobEvent.objects.get(job=job, action="review.overdue")
    assert event.payload["request_id"] == request.pk
    request.refresh_from_db()
    assert request.reminded_at is not None and request.escalated_at is not None
    assert not Notification.objects.filter(user=alice).exists()


def test_overdue_work_is_red_in_the_queue_and_on_the_review_page(client, acme, rita):
    request = services.pending_request_for(in_review(acme))
    ApprovalRequest.objects.filter(pk=request.pk).update(due_at=timezone.now() - timedelta(hours=1))
    login(client, rita)

    queue = client.get(reverse("reviews:queue")).content.decode()
    page = client.get(reverse("reviews:review", args=[request.pk])).content.decode()

    assert 'class="queue-row is-overdue"' in queue and "· Overdue" in queue
    # Red by the stylesheet (reviews.css): the content security policy refuses style attributes.
    assert 'class="due is-overdue"' in page


def test_a_decided_request_s_messages_do_nothing(acme, rita):
    request = services.pending_request_for(in_review(acme))
    services.decide(request_id=request.pk, user=rita, decision="approve")

    assert deadlines.remind(request.pk, request.due_at.isoformat()) is False
    assert deadlines.escalate(request.pk, request.due_at.isoformat()) is False
    assert not Notification.objects.filter(event__in=[Event.DUE_SOON, Event.OVERDUE]).exists()


def test_a_new_due_time_replaces_the_old_messages(acme, rita, alice):
    request = services.pending_request_for(in_review(acme))
    old_due = request.due_at
    new_due = timezone.now() + timedelta(days=3)

    assignment.set_due(request_id=request.pk, user=alice, due_at=new_due)

    # The old messages find a different due time and do nothing; new ones are scheduled.
    assert deadlines.escalate(request.pk, old_due.isoformat()) is False
    remind_times = sorted(
        registry().get_scheduled_time(job_id)
        for job_id in registry().get_job_ids()
        if django_rq.get_queue(deadlines.QUEUE).fetch_job(job_id).func_name.endswith("remind")
    )
    assert any(
        abs(t - (new_due - deadlines.REMIND_BEFORE)) < timedelta(seconds=1) for t in remind_times
    )
    assert deadlines.escalate(request.pk, new_due.isoformat()) is True
    assert JobEvent.objects.filter(action="review.due_set", actor=alice).count() == 1


def test_the_sweep_catches_up_when_messages_were_lost(acme, rita, olga):
    request = services.pending_request_for(in_review(acme))
    for job_id in registry().get_job_ids():
        registry().remove(job_id)

    assert deadlines.sweep(now=request.due_at - timedelta(hours=5)) == (0, 0)
    assert deadlines.sweep(now=request.due_at - timedelta(hours=3)) == (1, 0)
    assert deadlines.sweep(now=request.due_at + timedelta(seconds=1)) == (0, 1)
    assert deadlines.sweep(now=request.due_at + timedelta(hours=9)) == (0, 0)
    assert [user for user, _ in notices(Event.OVERDUE)] == ["olga", "rita"]


def test_due_times_in_the_past_or_from_outsiders_are_refused(client, acme, globex, alice):
    request = services.pending_request_for(in_review(acme))
    with pytest.raises(services.DecisionError, match="in the future"):
        assignment.set_due(
            request_id=request.pk, user=alice, due_at=timezone.now() - timedelta(hours=1)
        )
    outsider = make_user("gus", globex, "owner")
    login(client, outsider)
    response = client.post(
        reverse("reviews:set_due", args=[request.pk]), {"due_at": "2030-01-01T10:00"}
    )
    assert response.status_code == 404
    login(client, alice)
    bad = client.post(
        reverse("reviews:set_due", args=[request.pk]), {"due_at": "soon"}, follow=True
    )
    assert "Give the due time as a date and time" in bad.content.decode()
    before = request.due_at
    request.refresh_from_db()
    assert request.due_at == before


# --- claim and assign ---------------------------------------------------------------------------


def test_a_reviewer_claims_a_request_and_reminders_go_to_them_only(acme, rita, olga):
    other = make_user("rob", acme, "reviewer")
    request = services.pending_request_for(in_review(acme))

    assignment.claim(request_id=request.pk, user=rita)

    with pytest.raises(services.DecisionError, match="rita is already reviewing this"):
        assignment.claim(request_id=request.pk, user=other)
    deadlines.remind(request.pk, request.due_at.isoformat())
    assert [user for user, _ in notices(Event.DUE_SOON)] == ["rita"]


def test_claim_from_the_queue_shows_who_reviews(client, acme, rita):
    request = services.pending_request_for(in_review(acme))
    login(client, rita)

    client.post(reverse("reviews:claim", args=[request.pk]), {"next": reverse("reviews:queue")})

    rows = client.get(reverse("reviews:queue")).content.decode()
    assert '<td class="assignee">You</td>' in rows
    request.refresh_from_db()
    assert request.assignee == rita


def test_an_owner_assigns_to_a_reviewer_but_not_to_a_member(acme, rita, olga, alice):
    request = services.pending_request_for(in_review(acme))

    assignment.assign(request_id=request.pk, user=olga, assignee_id=rita.pk)
    with pytest.raises(services.DecisionError, match="someone who can decide"):
        assignment.assign(request_id=request.pk, user=olga, assignee_id=alice.pk)

    request.refresh_from_db()
    assert request.assignee == rita


# --- bulk decisions ------------------------------------------------------------------------------


def test_bulk_approve_asks_for_confirmation_then_decides_each(client, acme, globex, rita):
    first = services.pending_request_for(in_review(acme, title="First post"))
    second = services.pending_request_for(in_review(acme, title="Second post"))
    foreign = services.pending_request_for(in_review(globex, title="Globex post"))
    login(client, rita)
    picks = [f"{first.pk}:1", f"{second.pk}:1", f"{foreign.pk}:1"]

    confirm = client.post(reverse("reviews:bulk"), {"pick": picks, "decision": "approve"})

    page = confirm.content.decode()
    assert confirm.status_code == 200 and "Confirm: Approve 2 requests" in page
    assert "First post" in page and "Second post" in page and "Globex post" not in page
    assert ApprovalRequest.objects.filter(status="pending").count() == 3

    done = client.post(
        reverse("reviews:bulk"),
        {"pick": picks, "decision": "approve", "confirm": "yes"},
        follow=True,
    )

    assert "Approved 2 of 2." in done.content.decode()
    for request in (first, second):
        request.refresh_from_db()
        assert request.status == "approved" and request.decided_by == rita
    foreign.refresh_from_db()
    assert foreign.status == "pending"


def test_bulk_request_changes_needs_feedback_and_a_stale_pick_is_left_alone(client, acme, rita):
    first = services.pending_request_for(in_review(acme, title="First post"))
    second = services.pending_request_for(in_review(acme, title="Second post"))
    login(client, rita)

    refused = client.post(
        reverse("reviews:bulk"),
        {"pick": [f"{first.pk}:1"], "decision": "request_changes", "confirm": "yes"},
    )
    assert refused.status_code == 400 and "Feedback is required" in refused.content.decode()
    first.refresh_from_db()
    assert first.status == "pending"

    done = client.post(
        reverse("reviews:bulk"),
        {
            "pick": [f"{first.pk}:1", f"{second.pk}:7"],
            "decision": "request_changes",
            "feedback": "Shorter, please.",
            "confirm": "yes",
        },
        follow=True,
    )

    page = done.content.decode()
    assert "Requested changes on 1 of 2." in page and "content changed" in page
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == "changes_requested" and second.status == "pending"
