"""The revision loop: feedback re-runs the workflow and the writers act on it."""

from __future__ import annotations

import pytest

from approvals import services
from jobs.inline import run_inline
from jobs.job_types.writers.common import interpret_feedback
from jobs.models import JobEvent, Output, ProductionJob
from tests.factories import produce

pytestmark = pytest.mark.django_db(transaction=True)

FEEDBACK = "Mention free shipping"


@pytest.fixture(autouse=True)
def _queues(clean_queues):
    return clean_queues


def blog(job: ProductionJob, revision: int) -> Output:
    return Output.objects.get(job=job, revision=revision, key="blog_post")


def test_the_writers_understand_the_feedback_used_here():
    plan = interpret_feedback([FEEDBACK])
    assert plan.mentions == ["free shipping"]


def test_changes_requested_produce_revision_two_written_with_the_feedback(acme, rita):
    job = produce(acme)
    first = blog(job, 1)
    assert "free shipping" not in first.text.lower()

    services.job_decide(job=job, user=rita, decision="request_changes", feedback=FEEDBACK)
    run_inline(job.pk)

    job.refresh_from_db()
    second = blog(job, 2)
    assert job.status == "review" and job.revision == 2
    assert "free shipping" in second.text.lower()
    assert second.text != first.text and second.checksum != first.checksum
    assert second.metadata["feedback"] == [FEEDBACK]
    assert second.metadata["feedback_applied"] == ["Mentioned 'free shipping'."]
    # Revision 1 is kept untouched beside it.
    first.refresh_from_db()
    assert "free shipping" not in first.text.lower()
    request = services.pending_request_for(job)
    assert request.revision == 2 and set(request.output_ids) == {second.pk}


def test_feedback_accumulates_across_revisions(acme, rita, alice):
    job = produce(acme)
    services.job_decide(job=job, user=rita, decision="request_changes", feedback=FEEDBACK)
    run_inline(job.pk)
    services.job_decide(job=job, user=rita, decision="reject", feedback="Remove the word plan")
    job.refresh_from_db()
    services.resume_after_rejection(job=job, user=alice, description=job.description)
    run_inline(job.pk)

    third = blog(job, 3)
    assert third.metadata["feedback"] == [FEEDBACK, "Remove the word plan"]
    assert "free shipping" in third.text.lower()
    assert Output.objects.filter(job=job).count() == 3


def test_an_owner_sends_approved_work_back_with_a_note_the_writers_follow(acme, rita, olga):
    job = produce(acme, high_impact=True)
    services.job_decide(job=job, user=rita, decision="approve")
    job.refresh_from_db()
    assert job.status == "approved"

    services.send_back(job=job, user=olga, note=FEEDBACK)

    job.refresh_from_db()
    assert (job.status, job.revision) == ("queued", 2)
    sent = JobEvent.objects.get(job=job, action="decision.sent_back")
    assert (sent.from_status, sent.to_status, sent.actor) == ("approved", "revision", olga)
    assert sent.payload["gate"] == "owner_signoff" and sent.payload["feedback"] == FEEDBACK
    run_inline(job.pk)
    assert "free shipping" in blog(job, 2).text.lower()
    job.refresh_from_db()
    assert job.status == "review"


def test_an_owner_must_say_why_work_is_sent_back(acme, rita, olga):
    job = produce(acme, high_impact=True)
    services.job_decide(job=job, user=rita, decision="approve")
    with pytest.raises(services.DecisionError) as caught:
        services.send_back(job=job, user=olga, note="")
    assert caught.value.field == "note"
    job.refresh_from_db()
    assert job.status == "approved"
