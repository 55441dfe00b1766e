"""Fact recall: when an owner edits or retracts a verified fact, or withdraws a testimonial,
every output that relied on it (in review, approved or completed) is found and listed, and
its job goes back to review with a note naming the fact. Work that did not rely on it, and
other clients' work, is left alone."""

from __future__ import annotations

import pytest

from approvals.evidence import unresolved_claims
from approvals.models import ApprovalRequest
from jobs import lifecycle
from jobs.models import JobEvent, Output, Status
from tests.factories import login, make_user
from tests.trust_helpers import finished_job

pytestmark = pytest.mark.django_db(transaction=True)

FACT = "In a 2024 trial, 80% of runners reported less knee pain after six weeks."
EDITED = "In a 2024 trial, 70% of runners reported less knee pain after six weeks."
QUOTE = "These insoles changed my runs"
RELIES = "Our insoles cut knee pain for 80% of runners in six weeks. Try a pair this spring."
QUOTES = "“These insoles changed my runs,” says Maya, a trail runner. Try a pair this spring."
UNRELATED = "Our spring trail runs start on Saturday at the park gate. Bring water."


@pytest.fixture(autouse=True)
def _setup(clean_queues, media_root):
    return clean_queues


@pytest.fixture
def acme_facts(acme):
    acme.verified_facts = [FACT, "Founded in Leeds in 2009."]
    acme.approved_testimonials = [{"quote": QUOTE, "author": "Maya"}]
    acme.save(update_fields=["verified_facts", "approved_testimonials"])
    return acme


def _job(client, text: str, title: str, status: str = Status.REVIEW):
    job = finished_job(client, [{"key": "linkedin_post_1", "text": text}], title=title)
    if status in (Status.APPROVED, Status.COMPLETED):
        ApprovalRequest.objects.filter(job=job).update(status="approved")
        lifecycle.transition(job, Status.APPROVED)
    if status == Status.COMPLETED:
        lifecycle.transition(job, Status.COMPLETED)
    job.refresh_from_db()
    return job


def _facts_page(client, user, data=None):
    login(client, user)
    if data is None:
        return client.get("/reviews/clients/acme/facts/")
    return client.post("/reviews/clients/acme/facts/", data)


def test_editing_a_fact_recalls_every_output_that_relied_on_it_and_only_those(
    acme_facts, globex, olga, client
):
    in_review = _job(acme_facts, RELIES, "Knee pain post")
    approved = _job(acme_facts, RELIES, "Approved knee post", Status.APPROVED)
    completed = _job(acme_facts, RELIES, "Completed knee post", Status.COMPLETED)
    unrelated = _job(acme_facts, UNRELATED, "Trail run invite")
    globex.verified_facts = [FACT]
    globex.save(update_fields=["verified_facts"])
    elsewhere = _job(globex, RELIES, "Globex knee post")
    assert Output.objects.get(job=in_review).truth_verified

    page = _facts_page(
        client,
        olga,
        {"kind": "fact", "action": "edit", "index": 0, "original": FACT, "text": EDITED},
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert "3 jobs relied on the old wording" in html
    for job in (in_review, approved, completed):
        assert job.title in html
    assert unrelated.title not in html and elsewhere.title not in html

    for job in (in_review, approved, completed):
        event = JobEvent.objects.get(job=job, action="fact.recalled")
        assert "“In a 2024 trial, 80% of runners" in event.note and "was edited" in event.note
        assert event.actor == olga
        assert event.payload["fact"] == FACT
        output = Output.objects.get(job=job)
        # Scored against the facts on file now: the 80% claim has lost its backing.
        assert not output.truth_verified
        assert [f["excerpt"] for f in unresolved_claims(output.safety_flags)] == ["80% of runners"]
    in_review.refresh_from_db()
    assert in_review.status == Status.REVIEW and not in_review.truth_verified
    assert not JobEvent.objects.filter(job__in=[unrelated, elsewhere], action="fact.recalled")
    assert Output.objects.get(job=elsewhere).truth_verified
    acme_facts.refresh_from_db()
    assert acme_facts.verified_facts[0] == EDITED


def test_approved_and_completed_jobs_go_back_to_review(acme_facts, olga, client):
    approved = _job(acme_facts, RELIES, "Approved knee post", Status.APPROVED)
    completed = _job(acme_facts, RELIES, "Completed knee post", Status.COMPLETED)
    _facts_page(client, olga, {"kind": "fact", "action": "retract", "index": 0, "original": FACT})
    for job, was in ((approved, Status.APPROVED), (completed, Status.COMPLETED)):
        job.refresh_from_db()
        assert job.status == Status.REVIEW
        # A final review request for the reviewers, on the revision they approved.
        request = ApprovalRequest.objects.get(job=job, status="pending")
        assert request.gate == "final" and request.revision == job.revision
        event = JobEvent.objects.get(job=job, action="fact.recalled")
        assert event.from_status == was and event.to_status == Status.REVIEW
        assert "was retracted" in event.note


def test_withdrawing_a_testimonial_recalls_the_outputs_that_quote_it(acme_facts, olga, client):
    quoting = _job(acme_facts, QUOTES, "Maya's words")
    other = _job(acme_facts, UNRELATED, "Trail run invite")
    assert Output.objects.get(job=quoting).truth_verified
    page = _facts_page(
        client,
        olga,
        {"kind": "testimonial", "action": "retract", "index": 0, "original": QUOTE},
    )
    assert "1 job relied on the old wording" in page.content.decode()
    event = JobEvent.objects.get(job=quoting, action="fact.recalled")
    assert "The testimonial “These insoles changed my runs” was withdrawn" in event.note
    assert not Output.objects.get(job=quoting).truth_verified
    assert not JobEvent.objects.filter(job=other, action="fact.recalled").exists()


def test_an_edit_made_anywhere_else_recalls_too(acme_facts):
    job = _job(acme_facts, RELIES, "Knee pain post")
    acme_facts.refresh_from_db()
    acme_facts.verified_facts = ["Founded in Leeds in 2009."]
    acme_facts.save()
    event = JobEvent.objects.get(job=job, action="fact.recalled")
    assert event.actor_label == "system" and "was retracted" in event.note
    # Saving other fields does not look for anything.
    acme_facts.name = "Acme Outdoor Ltd"
    acme_facts.save(update_fields=["name"])
    assert JobEvent.objects.filter(job=job, action="fact.recalled").count() == 1


def test_adding_a_fact_recalls_nothing(acme_facts, olga, client):
    job = _job(acme_facts, RELIES, "Knee pain post")
    page = _facts_page(
        client, olga, {"kind": "fact", "action": "add", "text": "Stocked in 40 shops."}
    )
    assert "No work relied on the old wording." in page.content.decode()
    assert not JobEvent.objects.filter(job=job, action="fact.recalled").exists()


def test_only_owners_change_facts_and_other_clients_find_no_page(acme_facts, rita, globex, client):
    assert _facts_page(client, rita).status_code == 403
    client.logout()
    stranger = make_user("otto", globex, "owner")
    assert _facts_page(client, stranger).status_code == 404
    acme_facts.refresh_from_db()
    assert acme_facts.verified_facts[0] == FACT


def test_a_stale_edit_is_refused_and_changes_nothing(acme_facts, olga, client):
    page = _facts_page(
        client,
        olga,
        {"kind": "fact", "action": "edit", "index": 0, "original": "Old text", "text": EDITED},
    )
    assert page.status_code == 409
    assert "changed since the page was opened" in page.content.decode()
    acme_facts.refresh_from_db()
    assert acme_facts.verified_facts[0] == FACT
