"""High-impact work needs an owner's sign-off after approval before it completes."""

from __future__ import annotations

import pytest

from approvals import services
from approvals.models import ApprovalRequest
from jobs.inline import run_inline
from jobs.models import JobEvent
from tests.factories import BLOG_INPUTS, produce

pytestmark = pytest.mark.django_db(transaction=True)

HIGH_IMPACT_KINDS = {
    "brand": {"job_type": "brand", "inputs": {"brandType": "voice"}},
    "website": {"job_type": "website", "inputs": {"pageType": "home"}},
    "marked high-impact": {"high_impact": True},
    "low score": {
        "inputs": {**BLOG_INPUTS, "topic": "Clinically proven recovery for trail runners"}
    },
    "unverified": {"inputs": {**BLOG_INPUTS, "topic": "The #1 guaranteed risk-free trail shoe"}},
}


@pytest.fixture(autouse=True)
def _queues(clean_queues):
    return clean_queues


@pytest.mark.parametrize("kind", list(HIGH_IMPACT_KINDS))
def test_approved_high_impact_work_waits_for_an_owner_then_completes(acme, rita, olga, kind):
    job = produce(acme, **HIGH_IMPACT_KINDS[kind])
    assert job.status == "review"

    services.job_decide(job=job, user=rita, decision="approve")

    job.refresh_from_db()
    assert job.status == "approved"
    request = services.pending_request_for(job)
    assert (request.gate, request.approval_type, request.approver_role, request.revision) == (
        "owner_signoff",
        "owner_signoff",
        "owner",
        1,
    )
    assert JobEvent.objects.filter(job=job, action="signoff_requested").exists()

    services.signoff(job=job, user=olga, note="Looks right for launch.")

    job.refresh_from_db()
    request.refresh_from_db()
    assert job.status == "completed"
    assert request.status == "approved" and request.decided_by == olga
    event = JobEvent.objects.get(job=job, action="decision.signed_off")
    assert (event.from_status, event.to_status, event.actor) == ("approved", "completed", olga)
    assert event.payload["gate"] == "owner_signoff"
    assert event.payload["feedback"] == "Looks right for launch."


def test_the_kinds_above_are_what_they_claim(acme):
    low = produce(acme, **HIGH_IMPACT_KINDS["low score"])
    unverified = produce(acme, **HIGH_IMPACT_KINDS["unverified"])
    assert low.safety_score < acme.threshold_safe
    assert unverified.safety_score >= acme.threshold_safe and not unverified.truth_verified


def test_ordinary_verified_work_completes_at_approval_without_a_signoff(acme, rita):
    job = produce(acme)
    services.job_decide(job=job, user=rita, decision="approve")
    job.refresh_from_db()
    assert job.status == "completed"
    assert not ApprovalRequest.objects.filter(job=job, gate="owner_signoff").exists()


def test_signing_off_work_that_is_not_waiting_for_it_is_refused(acme, olga):
    job = produce(acme)
    with pytest.raises(services.DecisionError, match="not awaiting sign-off"):
        services.signoff(job=job, user=olga)


def test_an_owner_can_also_sign_off_by_deciding_on_the_request_directly(acme, rita, olga):
    job = produce(acme, high_impact=True)
    services.job_decide(job=job, user=rita, decision="approve")
    services.job_decide(job=job, user=olga, decision="approve")
    job.refresh_from_db()
    assert job.status == "completed"


def test_a_signoff_is_for_one_revision_and_a_sent_back_job_needs_a_new_one(acme, rita, olga):
    job = produce(acme, high_impact=True)
    services.job_decide(job=job, user=rita, decision="approve")
    services.send_back(job=job, user=olga, note="Mention free shipping")
    run_inline(job.pk)
    services.job_decide(job=job, user=rita, decision="approve")

    job.refresh_from_db()
    assert (job.status, job.revision) == ("approved", 2)
    request = services.pending_request_for(job, gate="owner_signoff")
    assert request.revision == 2
