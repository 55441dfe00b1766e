"""Who may publish what: only approved work (signed off when high-impact), reviewers and owners
publish, owners connect accounts, secrets never come back, and a client never sees or uses
another's accounts and publications, on every page and API route."""

from __future__ import annotations

from datetime import timedelta

import pytest
from cryptography.fernet import Fernet
from django.urls import reverse
from django.utils import timezone
from rq.registry import ScheduledJobRegistry

from jobs.queues import get_queue
from publishing import runner, services, vault
from publishing.models import Connection, Publication
from publishing.recovery import resend_lost
from tests.factories import api_as, login, with_scope_statements
from tests.publishing_data import WP_PASSWORD, approved_job, output_of, wordpress_account

pytestmark = pytest.mark.django_db

SITE = "http://127.0.0.1:9"  # nothing is sent in these tests
# Sign-in, the job, roles, publications, accounts, outputs and the form's choices; the same
# whatever the number of publications (they come with their account and outputs).
QUERIES_PER_PANEL = 14


@pytest.fixture
def acme_world(acme, media_root):
    job = approved_job(acme)
    return job, wordpress_account(acme, SITE)


@pytest.fixture
def globex_world(globex, media_root):
    job = approved_job(globex, title="Globex launch")
    connection = wordpress_account(globex, SITE, password="globex-secret-password-1")
    publication = services.publication_request(
        job=job, user=None, connection=connection, output=output_of(job, "markdown")
    )
    return job, connection, publication


# --- approved work only ------------------------------------------------------------------------


@pytest.mark.parametrize("status", ["pending", "processing", "draft", "review", "revision"])
def test_work_that_is_not_approved_cannot_be_published(acme, media_root, rita, status):
    job = approved_job(acme, status=status)
    with pytest.raises(services.PublishingError) as refused:
        services.publication_request(job=job, user=rita, connection=wordpress_account(acme, SITE))
    assert refused.value.code == "not_approved"
    assert refused.value.message.startswith("Only approved work can be published")


def test_high_impact_work_needs_the_owners_sign_off(acme, media_root, rita):
    connection = wordpress_account(acme, SITE)
    approved = approved_job(acme, high_impact=True)
    with pytest.raises(services.PublishingError) as refused:
        services.publication_request(job=approved, user=rita, connection=connection)
    assert "an owner must sign it off" in refused.value.message
    signed = approved_job(
        acme, title="Signed", status="completed", high_impact=True, signed_off=True
    )
    publication = services.publication_request(job=signed, user=rita, connection=connection)
    assert publication.status == "queued"


def test_members_follow_publications_but_do_not_publish(acme_world, alice, rita, olga):
    job, connection = acme_world
    with pytest.raises(services.PublishingError) as refused:
        services.publication_request(job=job, user=alice, connection=connection)
    assert refused.value.code == "forbidden"
    assert services.publication_request(job=job, user=rita, connection=connection).pk
    with pytest.raises(services.PublishingError) as refused:
        services.publication_request(job=job, user=olga, connection=connection)
    assert refused.value.code == "duplicate"


def test_an_output_of_an_earlier_revision_is_refused(acme_world, rita):
    job, connection = acme_world
    old = output_of(job, "markdown")
    type(job).objects.filter(pk=job.pk).update(revision=2)
    job.refresh_from_db()
    with pytest.raises(services.PublishingError) as refused:
        services.publication_request(job=job, user=rita, connection=connection, output=old)
    assert refused.value.field == "output"


# --- credentials -------------------------------------------------------------------------------


def test_credentials_are_encrypted_at_rest_and_only_a_hint_is_kept(acme_world):
    _, connection = acme_world
    stored = Connection.objects.values_list("sealed_secrets", flat=True).get(pk=connection.pk)
    assert WP_PASSWORD not in stored and "application_password" not in stored
    assert stored.startswith("gAAAA")  # a Fernet token
    assert vault.unseal(stored) == {"application_password": WP_PASSWORD}
    assert connection.secret_hint == "…UVWX"


def test_a_rotated_key_still_opens_what_the_old_key_sealed(acme_world, settings):
    _, connection = acme_world
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.PUBLISHING_KEYS = old
    sealed = vault.seal({"access_token": "t0ken-value-123"})
    settings.PUBLISHING_KEYS = f"{new},{old}"
    assert vault.unseal(sealed) == {"access_token": "t0ken-value-123"}
    assert Fernet(new.encode()).decrypt(vault.seal({"a": "b"}).encode())
    settings.PUBLISHING_KEYS = new
    with pytest.raises(vault.CredentialsUnreadable, match="cannot be decrypted"):
        vault.unseal(sealed)


def test_a_wordpress_site_on_plain_http_is_refused_unless_it_is_this_machine(acme):
    with pytest.raises(services.PublishingError) as refused:
        wordpress_account(acme, "http://blog.example.com")
    assert "must use https://" in refused.value.message
    assert wordpress_account(acme, "https://blog.example.com").account["site_url"] == (
        "https://blog.example.com"
    )


def test_the_connections_page_is_for_owners_and_never_shows_a_secret(
    client, acme_world, olga, rita, gary
):
    url = reverse("publishing:connections", args=["acme"])
    page = login(client, olga).get(url)
    assert page.status_code == 200
    assert "…UVWX" in page.content.decode() and WP_PASSWORD not in page.content.decode()
    client.logout()
    assert login(client, rita).get(url).status_code == 403
    client.logout()
    assert login(client, gary).get(url).status_code == 404


def test_an_owner_connects_and_disconnects_an_account_from_the_page(client, acme, olga):
    login(client, olga)
    url = reverse("publishing:connections", args=["acme"])
    answer = client.post(
        url,
        {
            "platform": "instagram",
            "instagram-name": "Main feed",
            "instagram-ig_user_id": "17841400000000001",
            "instagram-access_token": "IGQVJ-long-lived-token-value",
        },
    )
    assert answer.status_code == 302
    connection = Connection.objects.get(client=acme, name="Main feed")
    assert connection.secret_hint == "…alue"
    bad = client.post(
        url,
        {
            "platform": "instagram",
            "instagram-name": "x",
            "instagram-ig_user_id": "acme",
            "instagram-access_token": "t",
        },
    )
    assert bad.status_code == 400 and "The Instagram user id is a number." in bad.content.decode()
    client.post(reverse("publishing:disconnect", args=["acme", connection.pk]))
    assert not Connection.objects.filter(pk=connection.pk).exists()


# --- tenancy on every route ---------------------------------------------------------------------


def test_another_clients_pages_do_not_exist(client, acme_world, globex_world, olga):
    g_job, g_connection, g_publication = globex_world
    login(client, olga)
    assert client.get(reverse("publishing:connections", args=["globex"])).status_code == 404
    assert (
        client.post(reverse("publishing:disconnect", args=["globex", g_connection.pk])).status_code
        == 404
    )
    assert client.get(reverse("publishing:job_panel", args=[g_job.pk])).status_code == 404
    assert client.post(reverse("publishing:job_panel", args=[g_job.pk]), {}).status_code == 404
    for action in ("cancel", "retry"):
        url = reverse("publishing:publication_action", args=[g_job.pk, g_publication.pk, action])
        assert client.post(url).status_code == 404
    a_job, _ = acme_world
    url = reverse("publishing:publication_action", args=[a_job.pk, g_publication.pk, "cancel"])
    assert client.post(url).status_code == 404
    g_publication.refresh_from_db()
    assert g_publication.status == "queued"
    assert Connection.objects.filter(pk=g_connection.pk).exists()


def test_another_clients_account_cannot_be_used(client, acme_world, globex_world, olga):
    a_job, _ = acme_world
    _, g_connection, _ = globex_world
    with pytest.raises(services.PublishingError) as refused:
        services.publication_request(job=a_job, user=olga, connection=g_connection)
    assert refused.value.field == "connection"
    login(client, olga)
    answer = client.post(
        reverse("publishing:job_panel", args=[a_job.pk]),
        {"publish-connection": g_connection.pk, "publish-output": output_of(a_job, "markdown").pk},
        HTTP_HX_REQUEST="true",
    )
    assert answer.status_code == 400
    assert "Choose one of this client&#x27;s connected accounts." in answer.content.decode()
    assert not Publication.objects.filter(job=a_job).exists()


def test_the_api_shows_and_uses_only_the_callers_client(acme_world, globex_world, olga):
    a_job, a_connection = acme_world
    g_job, g_connection, g_publication = globex_world
    api = api_as(olga)
    listed = api.get("/api/v1/publishing/connections").json()["results"]
    assert [c["id"] for c in listed] == [a_connection.pk]
    assert listed[0]["secret_hint"] == "…UVWX"
    assert "secrets" not in listed[0] and WP_PASSWORD not in str(listed)
    assert api.get(f"/api/v1/publishing/connections/{g_connection.pk}").status_code == 404
    assert api.delete(f"/api/v1/publishing/connections/{g_connection.pk}").status_code == 404
    assert api.get(f"/api/v1/jobs/{g_job.pk}/publications").status_code == 404
    assert (
        api.post(
            f"/api/v1/jobs/{g_job.pk}/publications", {"connection": g_connection.pk}
        ).status_code
        == 404
    )
    assert api.get(f"/api/v1/publications/{g_publication.pk}").status_code == 404
    assert api.post(f"/api/v1/publications/{g_publication.pk}/cancel").status_code == 404
    assert api.post(f"/api/v1/publications/{g_publication.pk}/retry").status_code == 404
    used = api.post(f"/api/v1/jobs/{a_job.pk}/publications", {"connection": g_connection.pk})
    assert used.status_code == 400
    assert used.json()["error"]["fields"] == {
        "connection": ["Choose one of this client's connected accounts."]
    }
    assert (
        api.get("/api/v1/publishing/connections?client=" + str(g_job.client_id)).status_code == 404
    )


def test_the_api_publishes_approved_work_and_refuses_the_rest(acme, media_root, olga, alice):
    job = approved_job(acme)
    api = api_as(olga)
    made = api.post(
        "/api/v1/publishing/connections",
        {
            "platform": "wordpress",
            "name": "Blog",
            "account": {"site_url": SITE, "username": "editor"},
            "secrets": {"application_password": WP_PASSWORD},
        },
    )
    assert made.status_code == 201, made.json()
    assert WP_PASSWORD not in made.content.decode()
    connection_id = made.json()["id"]
    unknown = api.post(
        "/api/v1/publishing/connections",
        {"platform": "myspace", "name": "x", "secrets": {"access_token": "t"}},
    )
    assert unknown.status_code == 400
    assert unknown.json()["error"]["fields"] == {
        "platform": ["Choose wordpress, youtube or instagram."]
    }
    assert (
        api_as(alice)
        .post(
            "/api/v1/publishing/connections",
            {
                "platform": "instagram",
                "name": "x",
                "account": {"ig_user_id": "1"},
                "secrets": {"access_token": "t"},
            },
        )
        .status_code
        == 403
    )

    created = api.post(
        f"/api/v1/jobs/{job.pk}/publications",
        {"connection": connection_id, "visibility": "publish", "title": "Trail tips"},
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["status"] == "queued" and body["platform"] == "wordpress"
    assert body["output"] == output_of(job, "markdown").pk
    assert api.get(f"/api/v1/jobs/{job.pk}/publications").json()["results"][0]["id"] == body["id"]
    assert (
        api_as(alice)
        .post(f"/api/v1/jobs/{job.pk}/publications", {"connection": connection_id})
        .status_code
        == 403
    )
    again = api.post(f"/api/v1/jobs/{job.pk}/publications", {"connection": connection_id})
    assert again.status_code == 409 and again.json()["error"]["code"] == "duplicate"
    cancelled = api.post(f"/api/v1/publications/{body['id']}/cancel")
    assert cancelled.json()["status"] == "cancelled"
    assert api.post(f"/api/v1/publications/{body['id']}/retry").status_code == 409

    review = approved_job(acme, title="Still in review", status="review")
    refused = api.post(f"/api/v1/jobs/{review.pk}/publications", {"connection": connection_id})
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "not_approved"


# --- scheduling ---------------------------------------------------------------------------------


def test_a_scheduled_publication_waits_in_rqs_scheduler_and_can_be_cancelled(
    acme_world, rita, redis_conn, django_capture_on_commit_callbacks
):
    job, connection = acme_world
    when = timezone.now() + timedelta(hours=3)
    with django_capture_on_commit_callbacks(execute=True):
        publication = services.publication_request(
            job=job, user=rita, connection=connection, scheduled_for=when
        )
    assert publication.status == "scheduled"
    registry = ScheduledJobRegistry(queue=get_queue(job.priority))
    [scheduled] = [
        j
        for j in registry.get_job_ids()
        if get_queue(job.priority).fetch_job(j).args == (publication.pk,)
    ]
    at = registry.get_scheduled_time(scheduled)
    assert abs((at - when).total_seconds()) < 2
    # A message that arrives early waits for the rest of the time.
    assert runner.run(publication.pk) == "not yet"
    services.publication_cancel(publication=publication, user=rita)
    assert runner.run(publication.pk) == "settled"


def test_a_time_without_a_zone_or_too_far_ahead_is_refused(acme_world, rita):
    job, connection = acme_world
    with pytest.raises(services.PublishingError, match="time zone"):
        services.publication_request(
            job=job,
            user=rita,
            connection=connection,
            scheduled_for=(timezone.now() + timedelta(days=1)).replace(tzinfo=None),
        )
    with pytest.raises(services.PublishingError, match="at most a year ahead"):
        services.publication_request(
            job=job,
            user=rita,
            connection=connection,
            scheduled_for=timezone.now() + timedelta(days=400),
        )


def test_the_job_panel_polls_while_a_publication_is_open_and_stops_after(client, acme_world, rita):
    job, connection = acme_world
    login(client, rita)
    url = reverse("publishing:job_panel", args=[job.pk])
    idle = client.get(url).content.decode()
    assert 'data-live="false"' in idle and "every 2s" not in idle
    # Still reloaded when the job page hears its status or outputs changed.
    assert 'hx-trigger="outputs-changed from:body"' in idle
    answer = client.post(
        url,
        {
            "publish-connection": connection.pk,
            "publish-output": output_of(job, "markdown").pk,
            "publish-visibility": "draft",
        },
        HTTP_HX_REQUEST="true",
    )
    assert answer.status_code == 200
    html = answer.content.decode()
    assert 'hx-trigger="outputs-changed from:body, every 2s"' in html and "Queued" in html
    Publication.objects.filter(job=job).update(
        status="published", remote_url="https://blog.example.com/?p=7"
    )
    done = client.get(url).content.decode()
    assert "every 2s" not in done and "https://blog.example.com/?p=7" in done


# --- recovery -----------------------------------------------------------------------------------


def test_publications_whose_message_was_lost_are_sent_again(
    acme_world, rita, redis_conn, clean_queues, django_capture_on_commit_callbacks
):
    job, connection = acme_world
    publication = services.publication_request(job=job, user=rita, connection=connection)
    queue = get_queue(job.priority)
    assert queue.count == 0  # the test's transaction never commits: no message went out
    assert resend_lost() == 0  # too recent to call lost

    later = timezone.now() + timedelta(minutes=5)
    with django_capture_on_commit_callbacks(execute=True):
        assert resend_lost(now=later) == 1
    assert [m.args for m in queue.jobs] == [(publication.pk,)]

    Publication.objects.filter(pk=publication.pk).update(status="running")
    assert resend_lost(now=timezone.now() + timedelta(hours=3)) == 1
    publication.refresh_from_db()
    assert publication.status == "retrying"
    assert "stopped before it finished" in publication.error


def test_the_panel_costs_the_same_queries_however_many_publications(
    client, acme_world, rita, django_assert_max_num_queries
):
    job, connection = acme_world
    login(client, rita)
    url = reverse("publishing:job_panel", args=[job.pk])
    for kind in ("markdown",):
        Publication.objects.create(
            client=job.client, job=job, revision=1, connection=connection, platform="wordpress",
            output=output_of(job, kind), status="published", remote_url="https://b.example/?p=1",
        )  # fmt: skip
    with django_assert_max_num_queries(with_scope_statements(QUERIES_PER_PANEL)):
        assert client.get(url).status_code == 200
    for kind in ("image", "video"):
        Publication.objects.create(
            client=job.client, job=job, revision=1, connection=connection, platform="wordpress",
            output=output_of(job, kind), status="published", remote_url="https://b.example/?p=2",
        )  # fmt: skip
    with django_assert_max_num_queries(with_scope_statements(QUERIES_PER_PANEL)):
        assert client.get(url).content.decode().count('data-status="published"') == 3
