"""Outgoing webhooks: signed per Standard Webhooks, delivered by real workers, retried, disabled.

Every signature is checked by tests/webhook_receiver.py, written from the specification and
not with the library the project signs with.
"""

from __future__ import annotations

import json
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from approvals import services as approvals
from jobs import lifecycle
from operations import events, services, subscribers
from operations.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint, WebhookMessage
from tests.conftest import worker_env
from tests.factories import make_job
from tests.webhook_receiver import WebhookReceiver, verify

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

ALL_EVENTS = ["job.status_changed", "output.created", "approval.requested", "approval.decided"]


def wait_for(predicate, timeout: float = 30, every: float = 0.1):  # noqa: ANN001
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(every)
    return predicate()


def endpoint_for(client, url: str, events_: list[str] | None = None) -> WebhookEndpoint:  # noqa: ANN001
    return services.endpoint_create(
        client=client, url=url, events=events_ or ["job.status_changed"]
    )


def cancel_new_job(client, title: str = "Cancelled post"):  # noqa: ANN001, ANN201
    """One status change (pending -> cancelled): one event."""
    job = make_job(client, title=title)
    return lifecycle.transition(job, "cancelled", note="Not needed.")


def drain(worker_factory, **env: str) -> str:  # noqa: ANN001
    """Run a burst worker until the queues are empty; its log."""
    worker = worker_factory(burst=True, threads=4, env=worker_env(**env))
    log = worker.wait(timeout=120)
    assert worker.process.returncode == 0, log
    return log


def test_a_status_change_arrives_signed_and_is_logged(acme, worker_factory):
    with WebhookReceiver() as receiver:
        endpoint = endpoint_for(acme, receiver.url)
        job = cancel_new_job(acme)
        drain(worker_factory)

    assert receiver.count() == 1
    request = receiver.received[0]
    assert verify(endpoint.secret, request)
    assert not verify("whsec_" + "A" * 44, request)
    body = json.loads(request.body)
    assert body["type"] == "job.status_changed"
    assert body["data"]["job_id"] == str(job.pk)
    assert body["data"]["from_status"] == "pending" and body["data"]["to_status"] == "cancelled"
    assert body["data"]["note"] == "Not needed." and body["data"]["client"] == "acme"
    message = WebhookMessage.objects.get()
    assert request.headers["webhook-id"] == message.msg_id
    assert request.headers["content-type"] == "application/json"
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "succeeded" and delivery.last_response_code == 200
    assert list(delivery.attempt_log.values_list("number", "response_code")) == [(1, 200)]


def test_a_tampered_body_or_stale_timestamp_fails_verification(acme, worker_factory):
    with WebhookReceiver() as receiver:
        endpoint = endpoint_for(acme, receiver.url)
        cancel_new_job(acme)
        drain(worker_factory)

    request = receiver.received[0]
    tampered = type(request)(request.path, request.headers, request.body.replace(b"acme", b"acmf"))
    assert not verify(endpoint.secret, tampered)
    assert not verify(endpoint.secret, request, tolerance=-1)


def test_another_clients_endpoint_hears_nothing(acme, globex, worker_factory):
    with WebhookReceiver() as ours, WebhookReceiver() as theirs:
        endpoint_for(acme, ours.url)
        endpoint_for(globex, theirs.url)
        cancel_new_job(acme)
        drain(worker_factory)

    assert ours.count() == 1
    assert theirs.count() == 0
    assert WebhookMessage.objects.filter(client=globex).count() == 0


def test_an_endpoint_gets_only_the_events_it_subscribed_to(acme, redis_conn):
    endpoint_for(acme, "http://127.0.0.1:9/hooks", ["approval.requested"])
    job = cancel_new_job(acme)
    event = job.events.filter(to_status="cancelled").get()

    assert events.fan_out_job_event(event.pk) == 0
    assert WebhookMessage.objects.count() == 0


def test_a_fan_out_that_runs_twice_makes_one_message(acme, redis_conn):
    endpoint_for(acme, "http://127.0.0.1:9/hooks")
    job = cancel_new_job(acme)
    event = job.events.filter(to_status="cancelled").get()

    events.fan_out_job_event(event.pk)
    events.fan_out_job_event(event.pk)

    assert WebhookMessage.objects.count() == 1
    assert WebhookDelivery.objects.count() == 1


def test_a_job_through_review_sends_every_event_type(acme, rita, worker_factory, media_root):
    with WebhookReceiver() as receiver:
        endpoint = endpoint_for(acme, receiver.url, ALL_EVENTS)
        job = make_job(acme, title="Webhook post", auto_process=True)
        drain(worker_factory, MEDIA_ROOT=str(media_root))
        job.refresh_from_db()
        assert job.status == "review"
        approvals.job_decide(job=job, user=rita, decision="approve")
        drain(worker_factory, MEDIA_ROOT=str(media_root))

    bodies = [json.loads(r.body) for r in receiver.received]
    assert all(verify(endpoint.secret, r) for r in receiver.received)
    types = {b["type"] for b in bodies}
    assert types == set(ALL_EVENTS)
    changes = sorted(
        (b["data"]["from_status"], b["data"]["to_status"])
        for b in bodies
        if b["type"] == "job.status_changed"
    )
    assert ("draft", "review") in changes and ("review", "approved") in changes
    requested = next(b for b in bodies if b["type"] == "approval.requested")
    assert requested["data"]["gate"] == "final" and requested["data"]["approver_role"] == "reviewer"
    decided = next(b for b in bodies if b["type"] == "approval.decided")
    assert decided["data"]["decision"] == "approve"
    assert decided["data"]["decided_by"] == "rita"
    created = next(b for b in bodies if b["type"] == "output.created")
    assert created["data"]["outputs"] and created["data"]["step"]
    # Each message has its own id, and the log shows each delivered once.
    assert len({r.headers["webhook-id"] for r in receiver.received}) == len(bodies)
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {"succeeded"}


def test_a_failing_receiver_is_retried_with_backoff_until_it_answers(acme, worker_factory):
    with WebhookReceiver([500, 503]) as receiver:
        endpoint_for(acme, receiver.url)
        cancel_new_job(acme)
        worker_factory(burst=False, threads=2, env=worker_env(WEBHOOK_RETRY_DELAYS="2,2,2"))
        delivered = wait_for(
            lambda: WebhookDelivery.objects.filter(status="succeeded").exists(), timeout=60
        )

    assert delivered, list(WebhookAttempt.objects.values_list("number", "response_code"))
    attempts = list(WebhookAttempt.objects.order_by("number"))
    assert [(a.number, a.response_code) for a in attempts] == [(1, 500), (2, 503), (3, 200)]
    # Backoff: each retry waited for its 2 s delay (RQ's scheduler keeps whole seconds, so
    # a message can leave its registry up to a second early).
    for before, after in zip(attempts, attempts[1:], strict=False):
        assert after.created_at - before.created_at >= timedelta(seconds=1)
    # A retry is the same message: receivers deduplicate on webhook-id.
    assert len({r.headers["webhook-id"] for r in receiver.received}) == 1
    assert WebhookEndpoint.objects.get().consecutive_failures == 0


def test_an_endpoint_that_keeps_failing_is_disabled(acme, worker_factory, redis_conn):
    with WebhookReceiver(default=500) as receiver:
        endpoint = endpoint_for(acme, receiver.url)
        cancel_new_job(acme, "First")
        cancel_new_job(acme, "Second")
        worker_factory(
            burst=False,
            threads=2,
            env=worker_env(WEBHOOK_RETRY_DELAYS="1", WEBHOOK_DISABLE_AFTER_FAILURES="2"),
        )
        disabled = wait_for(
            lambda: not WebhookEndpoint.objects.get(pk=endpoint.pk).is_active, timeout=60
        )

    assert disabled
    endpoint.refresh_from_db()
    assert endpoint.disabled_reason == "Disabled after 2 deliveries in a row failed."
    assert endpoint.disabled_at is not None
    assert list(WebhookDelivery.objects.values_list("status", "attempts")) == [("failed", 2)] * 2
    assert receiver.count() == 4
    # Nothing more is sent to a disabled endpoint, and the engine no longer asks.
    assert not subscribers.may_subscribe(acme.pk)
    cancel_new_job(acme, "Third")
    assert WebhookMessage.objects.count() == 2


def test_after_a_rotation_both_secrets_verify_until_the_overlap_ends(acme, worker_factory):
    with WebhookReceiver() as receiver:
        endpoint = endpoint_for(acme, receiver.url)
        old = endpoint.secret
        endpoint = services.endpoint_rotate_secret(endpoint=endpoint)
        cancel_new_job(acme, "During the overlap")
        drain(worker_factory)
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
            previous_secret_expires_at=timezone.now() - timedelta(seconds=1)
        )
        cancel_new_job(acme, "After the overlap")
        drain(worker_factory)

    during, after = receiver.received
    assert endpoint.secret != old
    assert len(during.headers["webhook-signature"].split(" ")) == 2
    assert verify(old, during) and verify(endpoint.secret, during)
    assert len(after.headers["webhook-signature"].split(" ")) == 1
    assert verify(endpoint.secret, after) and not verify(old, after)


def test_a_manual_redelivery_sends_the_same_message_again(acme, worker_factory):
    with WebhookReceiver() as receiver:
        endpoint_for(acme, receiver.url)
        cancel_new_job(acme)
        drain(worker_factory)
        delivery = WebhookDelivery.objects.get()
        services.delivery_redeliver(delivery=delivery, requested_by="olga")
        drain(worker_factory)

    first, second = receiver.received
    assert first.headers["webhook-id"] == second.headers["webhook-id"]
    log = list(delivery.attempt_log.values_list("number", "response_code", "manual"))
    assert log == [(1, 200, False), (2, 200, True)]
    assert delivery.attempt_log.get(number=2).requested_by_label == "olga"


def test_redelivery_to_a_disabled_endpoint_is_refused(acme, redis_conn):
    endpoint = endpoint_for(acme, "http://127.0.0.1:9/hooks")
    cancel_new_job(acme)
    events.fan_out_job_event(acme.jobs.get().events.get(to_status="cancelled").pk)
    services.endpoint_disable(endpoint=endpoint, reason="Turned off by an owner.")

    with pytest.raises(services.WebhookError, match="Enable the endpoint"):
        services.delivery_redeliver(delivery=WebhookDelivery.objects.get(), requested_by="olga")


def test_a_publication_sends_its_own_event_with_where_it_went(acme, redis_conn):
    endpoint_for(acme, "http://127.0.0.1:9/hooks", ["publication.published"])
    job = make_job(acme, title="Published post")
    event = lifecycle.record_event(
        job,
        "published",
        actor_label="publisher",
        note="Published to WordPress (Acme blog): https://blog.example/autumn/.",
        payload={
            "publication": 7,
            "platform": "wordpress",
            "remote_id": "412",
            "remote_url": "https://blog.example/autumn/",
        },
    )

    assert events.fan_out_job_event(event.pk) == 1
    message = WebhookMessage.objects.get()
    assert message.event_type == "publication.published"
    data = message.payload["data"]
    assert data["job_id"] == str(job.pk) and data["platform"] == "wordpress"
    assert data["remote_url"] == "https://blog.example/autumn/" and data["publication_id"] == 7
