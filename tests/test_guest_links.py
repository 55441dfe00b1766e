"""Guest review links: signed, expiring, revocable, one job only, rate-limited, recorded as the guest."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from approvals import guests, services
from approvals.models import ApprovalRequest, Comment, GuestLink
from jobs.models import JobEvent, Output
from tests.factories import login, make_user, produce

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _queues(clean_queues):
    return clean_queues


def guest_url(link: GuestLink) -> str:
    return reverse("reviews:guest", args=[guests.token_for(link)])


def enter(
    client: Client, link: GuestLink, name: str = "Dana Legal", email: str = "dana@client.test"
):
    return client.post(guest_url(link), {"name": name, "email": email})


def test_a_guest_names_themselves_comments_and_approves_as_the_guest(acme, rita):
    job = produce(acme)
    link = guests.issue(user=rita, job=job, days=7, note="Dana")
    guest = Client()
    token = guests.token_for(link)

    assert "Who is reviewing?" in guest.get(guest_url(link)).content.decode()
    assert enter(guest, link).status_code == 302
    output = Output.objects.filter(job=job).first()
    comment = guest.post(
        reverse("reviews:guest_comment", args=[token, output.pk]), {"body": "Looks right to me."}
    )
    assert comment.status_code == 200
    decided = guest.post(
        reverse("reviews:guest_decide", args=[token]),
        {"decision": "approve", "expected_revision": 1},
    )

    assert "your decision is recorded" in decided.content.decode()
    saved = Comment.objects.get()
    assert saved.author is None and saved.author_label == "Dana Legal (guest)"
    request = ApprovalRequest.objects.get(job=job, gate="final")
    assert request.status == "approved" and request.decided_by is None
    assert request.decided_by_label == "Dana Legal (guest) <dana@client.test>"
    event = JobEvent.objects.get(job=job, action="decision.approved")
    assert event.actor is None and event.actor_label.startswith("Dana Legal (guest)")


def test_bad_names_and_addresses_are_refused_at_the_field(acme, rita):
    link = guests.issue(user=rita, job=produce(acme), days=1)
    guest = Client()

    response = enter(guest, link, name="  ", email="not-an-address")

    assert response.status_code == 400
    assert "Give your name" in response.content.decode()
    assert guest.session.get(f"guest-link-{link.pk}") is None


def test_a_revoked_an_expired_or_a_forged_link_opens_nothing(client, acme, rita, olga):
    job = produce(acme)
    link = guests.issue(user=rita, job=job, days=7)
    token = guests.token_for(link)
    guest = Client()
    enter(guest, link)
    login(client, olga)

    client.post(reverse("reviews:guest_link_revoke", args=[job.pk, link.pk]))

    refused = guest.post(reverse("reviews:guest_decide", args=[token]), {"decision": "approve"})
    assert refused.status_code == 403 and "revoked" in refused.content.decode()
    assert ApprovalRequest.objects.get(job=job).status == "pending"
    expired = guests.issue(user=rita, job=job, days=1)
    GuestLink.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert "expired" in Client().get(guest_url(expired)).content.decode()
    assert Client().get(reverse("reviews:guest", args=[token[:-3] + "abc"])).status_code == 403


def test_a_link_reaches_its_own_job_only(acme, rita):
    job, other = produce(acme, title="Linked"), produce(acme, title="Not linked")
    link = guests.issue(user=rita, job=job, days=7)
    token = guests.token_for(link)
    guest = Client()
    enter(guest, link)
    foreign = Output.objects.filter(job=other).first()

    page = guest.get(guest_url(link)).content.decode()
    assert "Linked" in page and "Not linked" not in page
    commented = guest.post(
        reverse("reviews:guest_comment", args=[token, foreign.pk]), {"body": "x"}
    )
    assert commented.status_code == 404
    assert guest.get(reverse("reviews:guest_file", args=[token, foreign.pk])).status_code == 404
    # And nothing of the signed-in product opens for a guest.
    assert guest.get(reverse("reviews:queue")).status_code == 302
    assert not Comment.objects.exists()


def test_guest_writes_are_rate_limited(acme, rita, monkeypatch):
    monkeypatch.setattr(guests, "RATE_LIMIT", 3)
    job = produce(acme)
    link = guests.issue(user=rita, job=job, days=7)
    token = guests.token_for(link)
    guest = Client()
    enter(guest, link)
    output = Output.objects.filter(job=job).first()
    url = reverse("reviews:guest_comment", args=[token, output.pk])

    codes = [guest.post(url, {"body": f"Note {i}"}).status_code for i in range(5)]

    assert codes == [200, 200, 200, 429, 429]
    assert Comment.objects.count() == 3


def test_owners_see_and_revoke_links_and_members_cannot_issue(client, acme, rita, olga, alice):
    job = produce(acme)
    login(client, rita)
    created = client.post(
        reverse("reviews:guest_links", args=[job.pk]), {"days": "3", "note": "Dana"}
    )
    assert "/reviews/guest/" in created.content.decode()
    bad = client.post(reverse("reviews:guest_links", args=[job.pk]), {"days": "90"})
    assert bad.status_code == 400 and "1 to 30 days" in bad.content.decode()
    login(client, olga)
    listing = client.get(reverse("reviews:guest_links", args=[job.pk])).content.decode()
    assert "Dana" in listing and "Live" in listing
    login(client, alice)
    assert client.get(reverse("reviews:guest_links", args=[job.pk])).status_code == 404
    with pytest.raises(services.NotAllowed):
        guests.issue(user=alice, job=job, days=1)
    other_reviewer = make_user("rob", acme, "reviewer")
    with pytest.raises(services.NotAllowed):
        guests.revoke(user=other_reviewer, link_id=GuestLink.objects.get().pk, job=job)
