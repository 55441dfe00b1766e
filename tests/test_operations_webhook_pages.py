"""Owners' webhook pages: only owners of the client, form errors at the field, redelivery."""

from __future__ import annotations

import django_rq
import pytest

from jobs import lifecycle
from operations import events, services
from operations.models import WebhookDelivery, WebhookEndpoint
from tests.factories import login, make_job, make_user

pytestmark = pytest.mark.django_db

PAGE = "/operations/acme/webhooks/"


@pytest.fixture
def olga_signed_in(client, olga):  # noqa: ANN001, ANN201
    return login(client, olga)


def a_delivery(acme) -> WebhookDelivery:  # noqa: ANN001
    endpoint = services.endpoint_create(
        client=acme, url="http://127.0.0.1:9/hooks", events=["job.status_changed"]
    )
    job = lifecycle.transition(make_job(acme), "cancelled")
    events.fan_out_job_event(job.events.get(to_status="cancelled").pk)
    return WebhookDelivery.objects.get(endpoint=endpoint)


def test_an_owner_adds_an_endpoint_and_sees_its_secret(olga_signed_in, redis_conn):
    response = olga_signed_in.post(
        PAGE,
        {
            "url": "https://hooks.example.test/in",
            "events": ["job.status_changed", "approval.decided"],
        },
    )

    endpoint = WebhookEndpoint.objects.get()
    assert response.status_code == 302
    assert endpoint.events == ["approval.decided", "job.status_changed"]
    page = olga_signed_in.get(response["Location"])
    assert endpoint.secret.startswith("whsec_")
    assert endpoint.secret in page.content.decode()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"url": "not a url", "events": ["job.status_changed"]}, "url", "Enter a valid URL."),
        (
            {"url": "ftp://example.test/x", "events": ["job.status_changed"]},
            "url",
            "Enter a valid URL.",
        ),
        ({"url": "https://example.test/x"}, "events", "Choose at least one event."),
        (
            {"url": "https://example.test/x", "events": ["job.deleted"]},
            "events",
            "Select a valid choice.",
        ),
    ],
)
def test_bad_input_is_refused_at_the_field_and_nothing_is_saved(
    olga_signed_in, data, field, message
):
    response = olga_signed_in.post(PAGE, data)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert field in response.context["form"].errors
    assert WebhookEndpoint.objects.count() == 0


def test_a_member_may_not_manage_webhooks(client, alice):
    assert login(client, alice).get(PAGE).status_code == 403


def test_another_clients_owner_does_not_see_the_page(client, globex, acme):
    globex_owner = make_user("gwen", globex, "owner")

    assert login(client, globex_owner).get(PAGE).status_code == 404


def test_another_clients_endpoint_is_not_found(client, acme, globex, redis_conn):
    theirs = services.endpoint_create(
        client=globex, url="https://globex.test/in", events=["job.status_changed"]
    )
    owner = make_user("oscar", acme, "owner")

    response = login(client, owner).get(f"/operations/acme/webhooks/{theirs.pk}/")

    assert response.status_code == 404


def test_the_delivery_log_shows_attempts_and_a_redelivery_is_queued(
    olga_signed_in, acme, redis_conn, django_capture_on_commit_callbacks
):
    delivery = a_delivery(acme)
    delivery.attempt_log.create(number=1, response_code=502)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(status="failed", attempts=1)
    url = f"/operations/acme/webhooks/{delivery.endpoint_id}/"
    django_rq.get_queue("high").empty()

    page = olga_signed_in.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = olga_signed_in.post(f"{url}deliveries/{delivery.pk}/redeliver/")

    assert "#1 502" in page and delivery.message.msg_id in page
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert delivery.status == "pending"
    queued = django_rq.get_queue("high").jobs
    assert [(j.func_name, j.args) for j in queued] == [
        ("operations.tasks.deliver_webhook", (delivery.pk, "olga"))
    ]


def test_rotating_keeps_the_old_secret_for_a_day(olga_signed_in, acme, redis_conn):
    endpoint = services.endpoint_create(
        client=acme, url="https://acme.test/in", events=["job.status_changed"]
    )
    old = endpoint.secret

    olga_signed_in.post(f"/operations/acme/webhooks/{endpoint.pk}/rotate/")

    endpoint.refresh_from_db()
    assert endpoint.secret != old and endpoint.previous_secret == old
    assert endpoint.previous_secret_expires_at is not None


def test_staff_redeliver_from_the_admin(
    client, staff, acme, redis_conn, django_capture_on_commit_callbacks
):
    delivery = a_delivery(acme)
    django_rq.get_queue("high").empty()

    with django_capture_on_commit_callbacks(execute=True):
        client.force_login(staff)
        response = client.post(
            "/admin/operations/webhookdelivery/",
            {"action": "redeliver", "_selected_action": [delivery.pk]},
        )

    assert response.status_code == 302
    assert [j.args for j in django_rq.get_queue("high").jobs] == [(delivery.pk, "sam")]
