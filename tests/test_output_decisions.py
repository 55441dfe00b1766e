"""Decisions per output: approve some outputs, ask changes on others; the request is decided
when every output has a decision, on the review page as in the service."""

from __future__ import annotations

import pytest
from django.urls import reverse

from approvals import services
from approvals.models import ApprovalRequest, OutputDecision, ReviewStage
from approvals.output_decisions import decide_output
from approvals.review import feedback_for
from jobs.models import JobEvent, Output, ProductionJob, Status
from tests.factories import in_review, login

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _queues(clean_queues):
    return clean_queues


def with_caption(job: ProductionJob) -> tuple[Output, Output]:
    """The revision under review: its text (the banner copy) and a caption beside it."""
    banner = Output.objects.create(
        job=job,
        step="write",
        key="banner",
        revision=job.revision,
        kind="text",
        title="Banner copy",
        text="Cold brew in 1 L cans.",
    )
    caption = Output.objects.create(
        job=job,
        step="write",
        key="caption",
        item=1,
        revision=job.revision,
        kind="text",
        title="Caption",
        text="Cold brew, ready when you are.",
    )
    request = services.pending_request_for(job)
    request.output_ids = [banner.pk, caption.pk]
    request.save(update_fields=["output_ids"])
    return banner, caption


def test_the_request_waits_until_every_output_is_decided(acme, rita):
    job = in_review(acme)
    banner, caption = with_caption(job)
    request = services.pending_request_for(job)

    progress = decide_output(
        request_id=request.pk, output_id=banner.pk, user=rita, decision="approve"
    )

    assert (progress.decided, progress.total, progress.settled) == (1, 2, "")
    request.refresh_from_db()
    assert request.status == "pending"
    event = JobEvent.objects.get(job=job, action="review.output_decided")
    assert event.note == "Banner copy: approved"


def test_every_output_approved_approves_the_request(acme, rita):
    job = in_review(acme)
    banner, caption = with_caption(job)
    request = services.pending_request_for(job)
    decide_output(request_id=request.pk, output_id=banner.pk, user=rita, decision="approve")
    progress = decide_output(
        request_id=request.pk, output_id=caption.pk, user=rita, decision="approve"
    )
    assert progress.settled == "approve"
    request.refresh_from_db()
    assert request.status == "approved" and request.decided_by == rita
    job.refresh_from_db()
    assert job.status in (Status.APPROVED, Status.COMPLETED)


def test_changes_on_one_output_send_back_only_its_feedback_and_keep_the_other(acme, rita):
    job = in_review(acme)
    banner, caption = with_caption(job)
    request = services.pending_request_for(job)
    decide_output(request_id=request.pk, output_id=banner.pk, user=rita, decision="approve")
    progress = decide_output(
        request_id=request.pk,
        output_id=caption.pk,
        user=rita,
        decision="request_changes",
        feedback="Mention the 1 L cans.",
    )
    assert progress.settled == "request_changes"
    request.refresh_from_db()
    assert request.status == "changes_requested"
    assert request.feedback == (
        "Caption: Mention the 1 L cans.\nApproved as they are, keep unchanged: Banner copy."
    )
    job.refresh_from_db()
    assert (job.status, job.revision) == (Status.QUEUED, 2)
    assert feedback_for(job) == [request.feedback]


def test_a_reviewer_may_change_an_output_decision_while_the_review_is_open(acme, rita):
    job = in_review(acme)
    banner, _ = with_caption(job)
    request = services.pending_request_for(job)
    decide_output(
        request_id=request.pk,
        output_id=banner.pk,
        user=rita,
        decision="request_changes",
        feedback="Shorter.",
    )
    decide_output(request_id=request.pk, output_id=banner.pk, user=rita, decision="approve")
    assert OutputDecision.objects.get(request=request, output=banner).decision == "approve"
    assert OutputDecision.objects.count() == 1


def test_refusals_say_why_and_record_nothing(acme, alice, rita):
    job = in_review(acme)
    banner, caption = with_caption(job)
    request = services.pending_request_for(job)
    with pytest.raises(services.DecisionError, match="Say what should change"):
        decide_output(
            request_id=request.pk, output_id=banner.pk, user=rita, decision="request_changes"
        )
    with pytest.raises(services.NotAllowed):
        decide_output(request_id=request.pk, output_id=banner.pk, user=alice, decision="approve")
    with pytest.raises(services.DecisionError, match="not part of this review"):
        decide_output(request_id=request.pk, output_id=987654, user=rita, decision="approve")
    with pytest.raises(services.DecisionError) as stale:
        decide_output(
            request_id=request.pk,
            output_id=banner.pk,
            user=rita,
            decision="approve",
            expected_revision=2,
        )
    assert stale.value.code == "stale_revision"
    assert not OutputDecision.objects.exists()


def test_another_clients_reviewer_gets_not_found(acme, globex, gary):
    job = in_review(acme)
    banner, _ = with_caption(job)
    request = services.pending_request_for(job)
    with pytest.raises(services.NotFound):
        decide_output(request_id=request.pk, output_id=banner.pk, user=gary, decision="approve")


def test_per_output_approval_at_a_stage_opens_the_next_stage(acme, rita, olga):
    ReviewStage.objects.create(client=acme, position=1, name="Editor")
    ReviewStage.objects.create(client=acme, position=2, name="Legal", role="owner")
    job = in_review(acme)
    banner, caption = with_caption(job)
    request = services.pending_request_for(job)
    for output in (banner, caption):
        decide_output(request_id=request.pk, output_id=output.pk, user=rita, decision="approve")
    following = services.pending_request_for(job)
    assert following.stage_label == "Stage 2 of 2: Legal"
    assert following.output_ids == [banner.pk, caption.pk]


# --- on the review page -------------------------------------------------------------------------


def test_the_review_page_offers_a_decision_per_output(client, acme, rita):
    job = in_review(acme)
    banner, caption = with_caption(job)
    request = services.pending_request_for(job)
    login(client, rita)
    page = client.get(reverse("reviews:review", args=[request.pk])).content.decode()
    for output in (banner, caption):
        assert reverse("reviews:output_decide", args=[request.pk, output.pk]) in page
    assert "0 of 2 decided" in page


def test_the_page_records_one_output_then_settles_with_the_last(client, acme, rita):
    job = in_review(acme)
    banner, caption = with_caption(job)
    request = services.pending_request_for(job)
    login(client, rita)
    first = client.post(
        reverse("reviews:output_decide", args=[request.pk, banner.pk]),
        {"decision": "approve", "expected_revision": "1"},
        follow=True,
    )
    page = first.content.decode()
    assert "1 of 2 outputs decided" in page and "Approved by rita" in page
    last = client.post(
        reverse("reviews:output_decide", args=[request.pk, caption.pk]),
        {"decision": "request_changes", "feedback": "Warmer.", "expected_revision": "1"},
    )
    assert last.status_code == 302 and last["Location"] == reverse("reviews:queue")
    assert ApprovalRequest.objects.get(pk=request.pk).status == "changes_requested"


def test_a_missing_note_is_shown_at_that_outputs_form(client, acme, rita):
    job = in_review(acme)
    _, caption = with_caption(job)
    request = services.pending_request_for(job)
    login(client, rita)
    response = client.post(
        reverse("reviews:output_decide", args=[request.pk, caption.pk]),
        {"decision": "request_changes", "feedback": " ", "expected_revision": "1"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert f'id="output-{caption.pk}-error"' in page and "Say what should change" in page
    assert not OutputDecision.objects.exists()


def test_the_api_decides_output_by_output_and_refuses_a_stale_revision(acme, rita, gary):
    from tests.factories import api_as

    job = in_review(acme)
    banner, caption = with_caption(job)
    request = services.pending_request_for(job)
    api = api_as(rita)
    url = f"/api/v1/approvals/{request.pk}/outputs/{{}}/decide/"

    missing = api.post(url.format(caption.pk), {"decision": "request_changes"}, format="json")
    assert missing.status_code == 400 and list(missing.json()["error"]["fields"]) == ["feedback"]
    stale = api.post(
        url.format(banner.pk), {"decision": "approve"}, format="json", HTTP_IF_MATCH='"2"'
    )
    assert stale.status_code == 409 and stale.json()["error"]["current_revision"] == 1
    assert not OutputDecision.objects.exists()

    first = api.post(url.format(banner.pk), {"decision": "approve", "revision": 1}, format="json")
    assert first.status_code == 200, first.content
    body = first.json()
    assert (body["decided"], body["total"], body["settled"]) == (1, 2, "")
    assert [d["output"] for d in body["request"]["output_decisions"]] == [banner.pk]

    last = api.post(
        url.format(caption.pk),
        {"decision": "request_changes", "feedback": "Say 1 litre.", "revision": 1},
        format="json",
    )
    assert last.status_code == 200, last.content
    assert last.json()["settled"] == "request_changes"
    assert last.json()["request"]["status"] == "changes_requested"
    job.refresh_from_db()
    assert job.revision == 2

    other = api_as(gary).post(url.format(banner.pk), {"decision": "approve"}, format="json")
    assert other.status_code == 404
