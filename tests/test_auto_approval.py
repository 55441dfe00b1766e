"""Auto-approval: only verified-safe, truth-verified, ordinary work of an opted-in client."""

from __future__ import annotations

import pytest

from approvals import services
from approvals.models import ApprovalRequest
from jobs.inline import run_inline
from jobs.models import JobEvent, ProductionJob
from tests.factories import BLOG_INPUTS, make_job

pytestmark = pytest.mark.django_db(transaction=True)

CLAIMS_TOPIC = "The #1 guaranteed risk-free trail shoe"
HEALTH_TOPIC = "Clinically proven recovery for trail runners"
# Social posts have no length target, so the built-in drafts pass QC as they are.
SOCIAL_INPUTS = {"topic": "Trail running for beginners", "platforms": ["linkedin"]}


@pytest.fixture(autouse=True)
def _queues(clean_queues):
    return clean_queues


@pytest.fixture
def opted_in(acme):
    acme.auto_approve = True
    acme.save(update_fields=["auto_approve"])
    return acme


def produce(client, **kwargs) -> ProductionJob:
    job = make_job(client, auto_process=True, **kwargs)
    run_inline(job.pk)
    job.refresh_from_db()
    return job


def test_clean_verified_work_of_an_opted_in_client_completes_with_a_system_decision(opted_in):
    job = produce(opted_in, job_type="social", inputs=SOCIAL_INPUTS)

    assert job.safety_score >= 95 and job.safety_band == "verified_safe" and job.truth_verified
    assert job.status == "completed"
    assert not ApprovalRequest.objects.filter(job=job).exists()
    event = JobEvent.objects.get(job=job, action="decision.auto_approved")
    assert (event.from_status, event.to_status, event.actor, event.actor_label) == (
        "draft",
        "approved",
        None,
        "system",
    )
    assert event.payload == {"decision": "approve", "revision": 1, "auto": True}
    path = list(
        JobEvent.objects.filter(job=job).exclude(to_status="").values_list("to_status", flat=True)
    )
    assert path[-2:] == ["approved", "completed"]


def test_the_same_work_waits_for_a_reviewer_when_the_client_has_not_opted_in(acme):
    job = produce(acme)
    assert job.safety_score >= 95 and job.truth_verified
    assert job.status == "review"
    assert services.pending_request_for(job).gate == "final"
    assert not JobEvent.objects.filter(job=job, action="decision.auto_approved").exists()


def test_high_impact_work_is_never_auto_approved(opted_in):
    job = produce(opted_in, high_impact=True)
    assert job.safety_score >= 95 and job.truth_verified
    assert job.status == "review"


def test_work_below_the_verified_safe_band_is_not_auto_approved(opted_in):
    job = produce(opted_in, inputs={**BLOG_INPUTS, "topic": HEALTH_TOPIC})
    assert job.safety_score < 95
    assert job.status == "review"


def test_unverified_claims_are_not_auto_approved_even_when_the_client_lowers_its_bar(opted_in):
    # With the band lowered, the score alone would pass: the truth check still holds it back.
    opted_in.threshold_verified_safe = 50
    opted_in.threshold_safe = 40
    opted_in.threshold_review = 30
    opted_in.save()
    job = produce(opted_in, inputs={**BLOG_INPUTS, "topic": CLAIMS_TOPIC})
    assert job.safety_score >= 50 and not job.truth_verified
    assert job.status == "review"
