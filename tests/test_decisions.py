"""Every decision path on an approval request, each written to the job's history."""

from __future__ import annotations

import dataclasses

import pytest

from approvals import services
from approvals.models import ApprovalRequest
from approvals.review import feedback_for
from jobs.inline import run_inline
from jobs.job_types.specs import JOB_TYPE_SPECS
from jobs.models import JobEvent, Output, ProductionJob, StepRun
from jobs.workflows.base import OutputSpec, Step, StepContext, Workflow, static_steps
from jobs.workflows.copy import write_copy
from tests.factories import make_job, produce

# The engine closes connections between steps, so these tests commit for real.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _queues(clean_queues):
    return clean_queues


def decisions(job: ProductionJob) -> list[JobEvent]:
    return list(JobEvent.objects.filter(job=job, action__startswith="decision."))


def test_it_approves_clean_work_and_completes_it_with_the_decision_on_record(acme, rita):
    job = produce(acme)
    request = services.pending_request_for(job)
    assert job.status == "review" and request.gate == "final" and request.revision == 1

    decided = services.decide(request_id=request.pk, user=rita, decision="approve")

    job.refresh_from_db()
    assert decided.status == "approved" and decided.decided_by == rita
    assert decided.decided_by_label == "rita" and decided.decided_at is not None
    assert job.status == "completed"
    [event] = decisions(job)
    assert (event.action, event.from_status, event.to_status, event.actor) == (
        "decision.approved",
        "review",
        "approved",
        rita,
    )
    assert event.payload == {
        "decision": "approve",
        "feedback": "",
        "revision": 1,
        "request_id": request.pk,
        "gate": "final",
    }
    assert event.revision == 1


@pytest.mark.parametrize("decision", ["request_changes", "reject"])
def test_changes_and_rejections_need_feedback_and_change_nothing_without_it(acme, rita, decision):
    job = produce(acme)
    request = services.pending_request_for(job)
    with pytest.raises(services.DecisionError) as caught:
        services.decide(request_id=request.pk, user=rita, decision=decision, feedback="   ")
    assert caught.value.field == "feedback"
    assert "Feedback is required" in caught.value.message
    request.refresh_from_db()
    job.refresh_from_db()
    assert request.status == "pending" and job.status == "review" and decisions(job) == []


def test_requesting_changes_starts_revision_two_with_the_feedback(acme, rita):
    job = produce(acme)
    request = services.pending_request_for(job)

    services.decide(
        request_id=request.pk, user=rita, decision="request_changes", feedback="Make it shorter"
    )

    job.refresh_from_db()
    request.refresh_from_db()
    assert request.status == "changes_requested" and request.feedback == "Make it shorter"
    assert (job.status, job.revision) == ("queued", 2)
    assert feedback_for(job) == ["Make it shorter"]
    [event] = decisions(job)
    assert (event.action, event.from_status, event.to_status) == (
        "decision.changes_requested",
        "review",
        "revision",
    )
    assert event.payload["feedback"] == "Make it shorter" and event.revision == 1
    requeued = JobEvent.objects.filter(job=job, from_status="revision", to_status="queued").get()
    assert requeued.revision == 2 and requeued.actor == rita
    # The new revision's step is scheduled; the first revision's output is kept.
    assert StepRun.objects.filter(job=job, revision=2, status="queued").count() == 1
    assert Output.objects.filter(job=job, revision=1).count() == 1


def test_a_rejection_is_recorded_as_rejected_and_the_job_stops_in_revision(acme, rita):
    job = produce(acme)
    request = services.pending_request_for(job)

    services.decide(
        request_id=request.pk, user=rita, decision="reject", feedback="Wrong audience entirely"
    )

    job.refresh_from_db()
    request.refresh_from_db()
    assert request.status == "rejected"
    # No automatic new revision: the job waits for a revised brief or a cancel.
    assert (job.status, job.revision) == ("revision", 1)
    assert not StepRun.objects.filter(job=job, revision=2).exists()
    [event] = decisions(job)
    assert event.action == "decision.rejected" and event.payload["next"] == "stopped"
    assert feedback_for(job) == ["Wrong audience entirely"]


def test_cancel_cancels_the_job_and_closes_the_request(acme, rita):
    job = produce(acme)
    request = services.pending_request_for(job)

    services.decide(request_id=request.pk, user=rita, decision="cancel", feedback="Not needed")

    job.refresh_from_db()
    request.refresh_from_db()
    assert job.status == "cancelled" and job.finished_at is not None
    assert request.status == "cancelled" and request.decided_by == rita
    [event] = decisions(job)
    assert (event.action, event.to_status, event.note) == (
        "decision.cancelled",
        "cancelled",
        "Not needed",
    )


def test_an_unknown_decision_is_refused_by_name(acme, rita):
    job = produce(acme)
    request = services.pending_request_for(job)
    with pytest.raises(services.DecisionError, match="Unknown decision 'publish'") as caught:
        services.decide(request_id=request.pk, user=rita, decision="publish")
    assert caught.value.field == "decision"


def test_a_decision_made_on_an_older_revision_is_refused_as_content_changed(acme, rita):
    job = produce(acme)
    first = services.pending_request_for(job)
    services.decide(request_id=first.pk, user=rita, decision="request_changes", feedback="Shorter")
    run_inline(job.pk)
    second = services.pending_request_for(job)
    assert second.revision == 2

    with pytest.raises(services.DecisionError, match="content changed") as caught:
        services.decide(request_id=second.pk, user=rita, decision="approve", expected_revision=1)

    assert caught.value.code == "stale_revision"
    second.refresh_from_db()
    assert second.status == "pending"
    services.decide(request_id=second.pk, user=rita, decision="approve", expected_revision=2)
    second.refresh_from_db()
    assert second.status == "approved"


def test_a_double_submission_by_the_same_reviewer_records_one_decision(acme, rita):
    job = produce(acme)
    request = services.pending_request_for(job)
    feedback = "Add a line about our founding year"

    first = services.decide(
        request_id=request.pk, user=rita, decision="request_changes", feedback=feedback
    )
    again = services.decide(
        request_id=request.pk, user=rita, decision="request_changes", feedback=feedback
    )

    assert first.pk == again.pk and again.status == "changes_requested"
    job.refresh_from_db()
    assert job.revision == 2 and len(decisions(job)) == 1


def test_a_late_decision_says_who_decided_what_and_when(acme, rita, olga):
    job = produce(acme)
    request = services.pending_request_for(job)
    services.decide(request_id=request.pk, user=olga, decision="reject", feedback="Off brand")

    with pytest.raises(services.AlreadyDecided) as caught:
        services.decide(request_id=request.pk, user=rita, decision="approve")

    message = caught.value.message
    assert "olga already rejected this request (revision 1)" in message
    assert "not recorded" in message
    assert [e.action for e in decisions(job)] == ["decision.rejected"]


def test_job_decide_finds_the_open_request_of_the_job(acme, rita):
    job = produce(acme)
    decided = services.job_decide(job=job, user=rita, decision="approve", expected_revision=1)
    assert decided is not None and decided.gate == "final" and decided.status == "approved"


def test_job_decide_says_when_nothing_is_waiting_for_a_decision(acme, rita):
    job = make_job(acme)
    with pytest.raises(services.DecisionError, match="not waiting for a decision") as caught:
        services.job_decide(job=job, user=rita, decision="approve")
    assert caught.value.code == "no_pending_request"


def test_job_decide_cancels_a_job_that_has_no_request(acme, alice):
    job = make_job(acme)
    assert services.job_decide(job=job, user=alice, decision="cancel") is None
    job.refresh_from_db()
    assert job.status == "cancelled"
    with pytest.raises(services.DecisionError, match="already cancelled"):
        services.job_decide(job=job, user=alice, decision="cancel")


# --- a mid-workflow gate --------------------------------------------------------------------


def publish(context: StepContext) -> None:
    context.add_output(OutputSpec(kind="json", key="publish_plan", text='{"channel": "blog"}'))


@pytest.fixture
def gated_content(monkeypatch):
    """Content jobs whose copy passes a concept gate before a publishing step runs."""
    workflow = Workflow(
        "content",
        "Content with a concept gate",
        static_steps(
            Step("write", "Write the content", write_copy),
            Step("concept", "Concept review", kind="gate", depends_on=("write",)),
            Step("publish", "Plan publishing", publish, depends_on=("concept",)),
        ),
    )
    spec = dataclasses.replace(JOB_TYPE_SPECS["content"], workflow=lambda spec: workflow)
    monkeypatch.setitem(JOB_TYPE_SPECS, "content", spec)
    return workflow


def test_approving_a_mid_workflow_gate_resumes_the_workflow(acme, rita, gated_content):
    job = produce(acme)
    gate = services.pending_request_for(job)
    assert (job.status, gate.gate, gate.approval_type) == ("review", "concept", "concept")

    services.decide(request_id=gate.pk, user=rita, decision="approve")
    job.refresh_from_db()
    assert job.status == "queued"
    assert StepRun.objects.get(job=job, step="concept").status == "succeeded"

    run_inline(job.pk)
    job.refresh_from_db()
    final = services.pending_request_for(job)
    assert job.status == "review" and final.gate == "final"
    assert Output.objects.filter(job=job, step="publish").exists()
    actions = list(JobEvent.objects.filter(job=job).values_list("action", flat=True))
    assert "decision.approved" in actions


def test_changes_at_a_mid_workflow_gate_rerun_the_workflow_as_a_new_revision(
    acme, rita, gated_content
):
    job = produce(acme)
    gate = services.pending_request_for(job)

    services.decide(
        request_id=gate.pk, user=rita, decision="request_changes", feedback="Mention free shipping"
    )

    job.refresh_from_db()
    assert (job.status, job.revision) == ("queued", 2)
    assert StepRun.objects.get(job=job, step="concept", revision=1).status == "cancelled"
    run_inline(job.pk)
    again = services.pending_request_for(job)
    assert (again.gate, again.revision) == ("concept", 2)
    assert ApprovalRequest.objects.filter(job=job).count() == 2
