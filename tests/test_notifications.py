"""Notifications: who is told about what, by which channel, and e-mails with signed links back."""

from __future__ import annotations

import re

import pytest
from django.core import signing
from django.urls import reverse

from approvals import services as approvals
from jobs import lifecycle
from jobs.models import Status
from notifications import services
from notifications.links import token_for
from notifications.models import Channel, Event, Notification
from tests.factories import in_review, login, make_job, make_user
from tests.smtp_server import LocalSMTPServer, text_of

pytestmark = pytest.mark.django_db(transaction=True)

LINK = re.compile(r"http://testserver(/notifications/open/[^\s/]+/)")


@pytest.fixture(autouse=True)
def _queues(clean_queues):
    return clean_queues


@pytest.fixture
def smtp(settings):
    """A real SMTP server on 127.0.0.1, and Django's SMTP backend pointed at it."""
    with LocalSMTPServer() as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = server.port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.SITE_URL = "http://testserver"
        yield server


def with_email(user, address: str):
    user.email = address
    user.save(update_fields=["email"])
    return user


def inbox_of(user) -> list[Notification]:
    return list(Notification.objects.filter(user=user).order_by("id"))


# --- who hears about what -----------------------------------------------------------------------


def test_a_review_request_reaches_the_client_s_reviewers_only(acme, globex, rita, alice):
    outsider = make_user("gabe", globex, "reviewer")

    job = in_review(acme)

    [notice] = inbox_of(rita)
    request = approvals.pending_request_for(job)
    assert notice.event == Event.REVIEW_REQUESTED
    assert notice.url == reverse("reviews:review", args=[request.pk])
    assert job.title in notice.title and "revision 1" in notice.title
    assert inbox_of(alice) == [] and inbox_of(outsider) == []


def test_a_decision_tells_the_creator_and_a_rejection_links_to_the_revised_brief(acme, rita, alice):
    job = in_review(acme)
    job.created_by = alice
    job.save(update_fields=["created_by"])

    approvals.job_decide(job=job, user=rita, decision="reject", feedback="Wrong audience.")

    [notice] = inbox_of(alice)
    assert notice.event == Event.DECISION_MADE
    assert notice.title == f"rita rejected “{job.title}” (revision 1)"
    assert notice.body == "“Wrong audience.”"
    assert notice.url == reverse("reviews:revise_brief", args=[job.pk])
    # The reviewer is not told about their own decision.
    assert [n.event for n in inbox_of(rita)] == [Event.REVIEW_REQUESTED]


def test_a_mention_in_feedback_tells_that_user_of_the_client_only(acme, globex, rita, alice, olga):
    make_user("gabe", globex, "member")
    job = in_review(acme)

    approvals.job_decide(
        job=job, user=rita, decision="request_changes", feedback="@olga and @gabe: shorter intro."
    )

    mentions = Notification.objects.filter(event=Event.MENTION)
    assert [n.user.username for n in mentions] == ["olga"]
    assert "rita mentioned you" in mentions[0].title


def test_sign_off_is_asked_of_the_owners(acme, rita, olga):
    job = in_review(acme)
    job.high_impact = True
    job.save(update_fields=["high_impact"])

    approvals.job_decide(job=job, user=rita, decision="approve")

    [notice] = [n for n in inbox_of(olga) if n.event == Event.SIGNOFF_NEEDED]
    assert notice.url == reverse(
        "reviews:review", args=[approvals.pending_request_for(job, gate="owner_signoff").pk]
    )


def test_a_failed_job_tells_its_creator_and_the_owners(acme, alice, olga, rita):
    job = make_job(acme, auto_process=True, user=alice)
    lifecycle.transition(job, Status.PROCESSING)

    lifecycle.transition(job, Status.FAILED, note="The renderer ran out of memory.")

    for user in (alice, olga):
        [notice] = inbox_of(user)
        assert notice.event == Event.JOB_FAILED and notice.body == "The renderer ran out of memory."
    assert inbox_of(rita) == []


# --- preferences --------------------------------------------------------------------------------


def test_each_channel_is_honoured(smtp, acme, rita):
    with_email(rita, "rita@example.test")
    jobs = {}
    for channel in Channel.values:
        services.set_preference(user=rita, event=Event.REVIEW_REQUESTED, channel=channel)
        jobs[channel] = in_review(acme, title=f"Post by {channel}")

    titles = {n.channel: n.title for n in inbox_of(rita)}
    assert set(titles) == {"in_app", "email", "digest"}  # "off" made no notice
    [message] = smtp.wait_for(1)
    assert message["Subject"].strip() == titles["email"]
    assert message["To"] == "rita@example.test"

    assert services.send_daily_digests() == 1
    digest = smtp.wait_for(2)[1]
    assert digest["Subject"].strip() == "Your daily digest: 1 update"
    assert "Post by digest" in text_of(digest) and "Post by email" not in text_of(digest)
    # A digest is sent once.
    assert services.send_daily_digests() == 0


def test_the_preferences_page_saves_every_event(client, rita):
    login(client, rita)
    url = reverse("notifications:preferences")
    choices = {event: "in_app" for event in Event.values} | {"overdue": "off"}

    assert client.post(url, choices).status_code == 302

    assert services.preferences_for(rita) == choices
    bad = client.post(url, {**choices, "mention": "carrier-pigeon"})
    assert bad.status_code == 400
    assert services.preferences_for(rita)["mention"] == "in_app"


# --- e-mail and the signed link back ------------------------------------------------------------


def test_the_e_mail_arrives_with_a_signed_link_that_opens_the_review(smtp, client, acme, rita):
    with_email(rita, "rita@example.test")
    job = in_review(acme)
    request = approvals.pending_request_for(job)

    [message] = smtp.wait_for(1)

    body = text_of(message)
    assert job.title in body
    [path] = LINK.findall(body)
    # Signed out, the link leads to the sign-in page and back.
    signed_out = client.get(path)
    assert signed_out.status_code == 302 and signed_out["Location"].startswith("/accounts/login/")
    login(client, rita)
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == reverse("reviews:review", args=[request.pk])
    assert client.get(response["Location"]).status_code == 200
    [notice] = inbox_of(rita)
    assert notice.read_at is not None and notice.emailed_at is not None
    html = next(p for p in message.walk() if p.get_content_type() == "text/html")
    assert path in html.get_payload(decode=True).decode()


def test_a_tampered_or_expired_link_is_refused(client, acme, rita, settings):
    in_review(acme)
    [notice] = inbox_of(rita)
    login(client, rita)
    token = token_for(notice.pk, rita.pk)

    tampered = client.get(reverse("notifications:open", args=[token[:-2] + "xx"]))
    assert tampered.status_code == 400

    forged = signing.dumps({"n": notice.pk, "u": rita.pk}, salt="another.purpose", compress=True)
    assert client.get(reverse("notifications:open", args=[forged])).status_code == 400

    from notifications import links

    old = links.MAX_AGE_SECONDS
    links.MAX_AGE_SECONDS = -1
    try:
        expired = client.get(reverse("notifications:open", args=[token]))
    finally:
        links.MAX_AGE_SECONDS = old
    assert expired.status_code == 400 and b"expired" in expired.content
    notice.refresh_from_db()
    assert notice.read_at is None


def test_a_link_for_someone_else_does_not_mark_their_notice_read(client, acme, rita, olga):
    in_review(acme)
    [notice] = inbox_of(rita)
    login(client, olga)

    client.get(reverse("notifications:open", args=[token_for(notice.pk, rita.pk)]))

    notice.refresh_from_db()
    assert notice.read_at is None


def test_an_smtp_failure_leaves_the_notice_unsent_and_the_decision_made(settings, acme, rita):
    from tests.smtp_server import free_port

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    with_email(rita, "rita@example.test")

    job = in_review(acme)

    [notice] = inbox_of(rita)
    assert notice.emailed_at is None and job.status == "review"


# --- the inbox and its live count ---------------------------------------------------------------


def test_the_inbox_lists_only_my_notices_and_the_count_follows(client, acme, globex, rita):
    outsider = make_user("gabe", globex, "reviewer")
    in_review(acme, title="First post")
    in_review(acme, title="Second post")
    in_review(globex, title="Globex post")
    login(client, rita)

    badge = client.get(reverse("notifications:unread")).content.decode()
    assert '<span class="count">2</span>' in badge
    page = client.get(reverse("notifications:inbox")).content.decode()
    assert "First post" in page and "Second post" in page and "Globex post" not in page
    assert f'hx-get="{reverse("notifications:unread")}"' in page and "every 10s" in page

    client.post(reverse("notifications:inbox"))

    assert (
        '<span class="count">' not in client.get(reverse("notifications:unread")).content.decode()
    )
    assert Notification.objects.get(user=outsider).read_at is None


def test_the_count_is_empty_for_anonymous_visitors(client):
    response = client.get(reverse("notifications:unread"))
    assert response.status_code == 200 and b"count" not in response.content
