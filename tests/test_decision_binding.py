"""A decision is bound to the revision the reviewer saw, on every route; reject stops the loop.

Also: approving work scored below the "review needed" band needs a recorded reason, and
high-impact work is marked on the job itself so admin, API and pages agree.
"""

from __future__ import annotations

import json
import threading

import pytest
from django.db import close_old_connections, transaction
from django.test import Client as DjangoClient
from django.urls import reverse

from approvals import services
from approvals.models import ApprovalRequest
from approvals.review import high_impact_reasons, submit_for_review
from jobs import lifecycle
from jobs.models import JobEvent, ProductionJob, Status
from tests.factories import api_as, in_review, login, make_job

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _queues(clean_queues):
    return clean_queues


def to_review(job: ProductionJob) -> ProductionJob:
    """Finish the queued revision of `job` without running its writers."""
    lifecycle.transition(job, Status.PROCESSING)
    with transaction.atomic():
        submit_for_review(lifecycle.lock_job(job.pk))
    job.refresh_from_db()
    return job


def at_revision_two(client, rita) -> tuple[ProductionJob, ApprovalRequest]:
    """A job whose first revision got changes requested and whose second waits for review."""
    job = in_review(client)
    services.job_decide(job=job, user=rita, decision="request_changes", feedback="Shorter.")
    job.refresh_from_db()
    to_review(job)
    request = services.pending_request_for(job)
    assert request.revision == 2
    return job, request


def assert_untouched(request: ApprovalRequest) -> None:
    request.refresh_from_db()
    assert request.status == "pending" and request.decided_by is None


# --- stale revisions, route by route ------------------------------------------------------------


def test_the_review_form_refuses_a_decision_on_a_newer_revision(client, acme, rita):
    job, request = at_revision_two(acme, rita)
    login(client, rita)

    response = client.post(
        reverse("reviews:review", args=[request.pk]),
        {"decision": "approve", "expected_revision": 1},
    )

    assert response.status_code == 409
    page = response.content.decode()
    assert "you reviewed revision 1, this request is for revision 2" in page
    # The fresh form is bound to the current revision.
    assert 'name="expected_revision" value="2"' in page
    assert_untouched(request)


def test_the_review_form_carries_the_revision_it_shows(client, acme, rita):
    _, request = at_revision_two(acme, rita)
    login(client, rita)

    page = client.get(reverse("reviews:review", args=[request.pk])).content.decode()

    assert 'name="expected_revision" value="2"' in page
    assert f'action="{reverse("reviews:review", args=[request.pk])}#decision"' in page


@pytest.mark.parametrize("how", ["body", "if-match", "weak-if-match"])
def test_the_job_action_refuses_a_stale_revision_with_the_current_one(acme, rita, how):
    job, request = at_revision_two(acme, rita)
    body, headers = {}, {}
    if how == "body":
        body["revision"] = 1
    else:
        headers["HTTP_IF_MATCH"] = '"1"' if how == "if-match" else 'W/"1"'

    response = api_as(rita).post(f"/api/v1/jobs/{job.pk}/approve/", body, format="json", **headers)

    assert response.status_code == 409, response.json()
    error = response.json()["error"]
    assert error["code"] == "stale_revision" and error["current_revision"] == 2
    assert_untouched(request)


def test_the_approvals_route_refuses_a_stale_if_match(acme, rita):
    _, request = at_revision_two(acme, rita)

    response = api_as(rita).post(
        f"/api/v1/approvals/{request.pk}/decide/",
        {"decision": "approve"},
        format="json",
        HTTP_IF_MATCH='"1"',
    )

    assert response.status_code == 409
    assert response.json()["error"]["current_revision"] == 2
    assert_untouched(request)


def test_a_matching_if_match_decides(acme, rita):
    job, request = at_revision_two(acme, rita)

    response = api_as(rita).post(
        f"/api/v1/jobs/{job.pk}/approve/", {}, format="json", HTTP_IF_MATCH='"2"'
    )

    assert response.status_code == 200, response.json()
    request.refresh_from_db()
    assert request.status == "approved"


@pytest.mark.parametrize("header", ["abc", '"0"', '"-1"'])
def test_a_malformed_if_match_is_a_400(acme, rita, header):
    job, request = at_revision_two(acme, rita)

    response = api_as(rita).post(
        f"/api/v1/jobs/{job.pk}/approve/", {}, format="json", HTTP_IF_MATCH=header
    )

    assert response.status_code == 400
    assert "If-Match" in response.json()["error"]["fields"]
    assert_untouched(request)


def test_if_match_and_a_body_revision_that_disagree_are_a_400(acme, rita):
    job, request = at_revision_two(acme, rita)

    response = api_as(rita).post(
        f"/api/v1/jobs/{job.pk}/approve/", {"revision": 2}, format="json", HTTP_IF_MATCH='"1"'
    )

    assert response.status_code == 400
    assert_untouched(request)


def test_the_seed_patch_refuses_a_stale_revision_with_the_current_one(acme, rita):
    from jobs.api.auth import issue_token

    job, request = at_revision_two(acme, rita)
    token = issue_token(user=rita, name="seed")[1]

    response = DjangoClient().patch(
        "/api/production/jobs",
        json.dumps({"jobId": str(job.pk), "action": "approve", "revision": 1}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )

    assert response.status_code == 409
    assert response.json()["error"]["current_revision"] == 2
    assert_untouched(request)


def test_parallel_decisions_on_one_request_record_exactly_one(acme, rita, olga):
    job = in_review(acme)
    request = services.pending_request_for(job)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def decide(user, decision: str) -> None:
        try:
            barrier.wait(timeout=10)
            services.decide(
                request_id=request.pk, user=user, decision=decision, feedback="Because."
            )
            outcomes.append("recorded")
        except services.AlreadyDecided:
            outcomes.append("refused")
        finally:
            close_old_connections()

    threads = [
        threading.Thread(target=decide, args=(rita, "approve")),
        threading.Thread(target=decide, args=(olga, "reject")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["recorded", "refused"]
    assert JobEvent.objects.filter(job=job, action__startswith="decision.").count() == 1


# --- reject stops, request changes loops --------------------------------------------------------


def test_reject_stops_and_the_client_restarts_it_with_a_revised_brief(client, acme, rita, alice):
    job = in_review(acme)
    services.job_decide(job=job, user=rita, decision="reject", feedback="Wrong audience.")
    job.refresh_from_db()
    assert (job.status, job.revision) == ("revision", 1)
    assert services.is_stopped_by_rejection(job)
    login(client, alice)
    url = reverse("reviews:revise_brief", args=[job.pk])

    page = client.get(url).content.decode()
    assert "Wrong audience." in page and "Rejected work stops" in page

    response = client.post(url, {"description": "For first-time hikers.", "note": "Audience"})

    assert response.status_code == 302
    job.refresh_from_db()
    assert (job.status, job.revision, job.description) == (
        "queued",
        2,
        "For first-time hikers.",
    )
    revised = JobEvent.objects.get(job=job, action="brief.revised")
    assert revised.actor == alice and revised.payload["description_changed"] is True
    # Not stopped any more: a second post is refused and changes nothing.
    again = client.post(url, {"description": "Another"})
    assert again.status_code == 409
    job.refresh_from_db()
    assert job.revision == 2


def test_request_changes_starts_the_next_revision_at_once(acme, rita):
    job = in_review(acme)

    services.job_decide(job=job, user=rita, decision="request_changes", feedback="Shorter.")

    job.refresh_from_db()
    assert (job.status, job.revision) == ("queued", 2)
    event = JobEvent.objects.get(job=job, action="decision.changes_requested")
    assert event.payload["next"] == "new_revision"


def test_a_rejected_job_can_be_cancelled_and_then_not_revised(client, acme, rita, alice):
    job = in_review(acme)
    services.job_decide(job=job, user=rita, decision="reject", feedback="No.")
    services.job_decide(job=job, user=alice, decision="cancel")
    job.refresh_from_db()
    assert job.status == "cancelled"

    login(client, alice)
    response = client.post(reverse("reviews:revise_brief", args=[job.pk]), {"description": "x"})

    assert response.status_code == 409
    job.refresh_from_db()
    assert job.status == "cancelled"


def test_another_client_cannot_see_or_revise_a_rejected_job(client, acme, globex, rita):
    from tests.factories import make_user

    job = in_review(acme)
    services.job_decide(job=job, user=rita, decision="reject", feedback="No.")
    outsider = make_user("gus", globex, "owner")
    login(client, outsider)

    url = reverse("reviews:revise_brief", args=[job.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"description": "Mine now"}).status_code == 404
    job.refresh_from_db()
    assert job.status == "revision"


def test_the_review_page_says_which_decision_loops_and_which_stops(client, acme, rita):
    request = services.pending_request_for(in_review(acme))
    login(client, rita)

    page = client.get(reverse("reviews:review", args=[request.pk])).content.decode()

    assert "A new revision is written with your feedback" in page
    assert "Stop: no new revision. The job waits for the client to revise the brief" in page


def test_the_api_documents_reject_as_a_stop():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    reject = schema["paths"]["/api/v1/jobs/{id}/reject/"]["post"]
    assert "stop" in reject["description"] and "revise" in reject["description"]


# --- the error at the form, a reloadable URL ----------------------------------------------------


def test_a_missing_feedback_error_is_at_the_form_and_the_url_reloads(client, acme, rita):
    request = services.pending_request_for(in_review(acme))
    login(client, rita)
    url = reverse("reviews:review", args=[request.pk])

    response = client.post(
        url, {"decision": "request_changes", "feedback": "", "expected_revision": 1}
    )

    assert response.status_code == 400
    page = response.content.decode()
    form_at = page.index('class="decision-form"')
    error_at = page.index("Feedback is required")
    # The error is inside the decision form, and the field is focused and marked invalid.
    assert form_at < error_at < page.index("</form>", form_at)
    assert 'aria-invalid="true"' in page and "autofocus" in page
    # The address the form posted to is the review page itself: reloading it is a GET that works.
    assert client.get(url).status_code == 200


# --- approving low scores needs a reason --------------------------------------------------------


def scored(job: ProductionJob, score: int) -> ProductionJob:
    ProductionJob.objects.filter(pk=job.pk).update(
        safety_score=score, safety_band="safety_concerns"
    )
    job.refresh_from_db()
    return job


def test_approving_work_with_safety_concerns_needs_a_reason(client, acme, rita):
    job = scored(in_review(acme), 40)
    request = services.pending_request_for(job)
    login(client, rita)
    url = reverse("reviews:review", args=[request.pk])
    assert "approving needs a reason" in client.get(url).content.decode()

    refused = client.post(url, {"decision": "approve", "expected_revision": 1})

    assert refused.status_code == 400
    assert "below the “review needed” band: give a reason" in refused.content.decode()
    assert_untouched(request)

    client.post(
        url, {"decision": "approve", "feedback": "Claims checked by legal.", "expected_revision": 1}
    )
    request.refresh_from_db()
    assert request.status == "approved" and request.feedback == "Claims checked by legal."
    event = JobEvent.objects.get(job=job, action="decision.approved")
    assert event.payload["feedback"] == "Claims checked by legal."


def test_the_api_also_needs_the_reason(acme, rita):
    job = scored(in_review(acme), 40)

    response = api_as(rita).post(f"/api/v1/jobs/{job.pk}/approve/", {}, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "reason_required"
    assert "feedback" in response.json()["error"]["fields"]
    ok = api_as(rita).post(f"/api/v1/jobs/{job.pk}/approve/", {"feedback": "Fine."}, format="json")
    assert ok.status_code == 200


def test_approving_work_in_the_review_needed_band_needs_no_reason(acme, rita):
    job = in_review(acme)
    ProductionJob.objects.filter(pk=job.pk).update(safety_score=65, safety_band="review_needed")

    services.job_decide(job=job, user=rita, decision="approve")

    assert ApprovalRequest.objects.get(job=job, gate="final").status == "approved"


# --- one definition of high impact --------------------------------------------------------------


def test_work_that_needs_sign_off_is_marked_high_impact_everywhere(acme, rita, olga):
    job = make_job(acme, auto_process=True)
    assert job.high_impact is False
    lifecycle.transition(job, Status.PROCESSING)
    with transaction.atomic():
        locked = lifecycle.lock_job(job.pk)
        submit_for_review(locked)
    job.refresh_from_db()
    reasons = high_impact_reasons(job)

    # The built-in draft of an unverified claim or low score needs sign-off: the flag says so.
    assert job.high_impact is bool(reasons)
    api = api_as(olga).get(f"/api/v1/jobs/{job.pk}/").json()
    assert api["high_impact"] is job.high_impact


def test_a_low_score_makes_the_job_high_impact_and_the_signoff_says_why(acme, rita, olga):
    job = make_job(acme, auto_process=True)
    lifecycle.transition(job, Status.PROCESSING)
    with transaction.atomic():
        locked = lifecycle.lock_job(job.pk)
        submit_for_review(locked)
    ProductionJob.objects.filter(pk=job.pk).update(safety_score=70, high_impact=False)
    job.refresh_from_db()
    assert "safety score 70 is below 80" in high_impact_reasons(job)

    services.job_decide(job=job, user=rita, decision="approve")

    job.refresh_from_db()
    assert job.status == "approved" and job.high_impact is True
    signoff = services.pending_request_for(job, gate="owner_signoff")
    assert signoff is not None and signoff.approver_role == "owner"
    event = JobEvent.objects.get(job=job, action="signoff_requested")
    assert "safety score 70 is below 80" in event.payload["reasons"]
    assert api_as(olga).get(f"/api/v1/jobs/{job.pk}/").json()["high_impact"] is True


# --- approve with changes -----------------------------------------------------------------------


def test_approve_with_changes_makes_them_in_one_revision_that_is_not_reviewed(acme, rita):
    from jobs.inline import run_inline
    from tests.factories import produce

    job = produce(acme)
    with pytest.raises(services.DecisionError, match="List the changes"):
        services.job_decide(job=job, user=rita, decision="approve_with_changes")

    services.job_decide(
        job=job, user=rita, decision="approve_with_changes", feedback="Mention free shipping."
    )
    job.refresh_from_db()
    assert (job.status, job.revision) == ("queued", 2)
    run_inline(job.pk)

    job.refresh_from_db()
    # No second review: the revision with the changes is approved (and completes) on arrival.
    assert job.status in ("approved", "completed")
    assert not ApprovalRequest.objects.filter(job=job, gate="final", revision=2).exists()
    applied = JobEvent.objects.get(job=job, action="decision.changes_applied")
    assert applied.revision == 2 and "rita" in applied.note
    assert ApprovalRequest.objects.get(job=job, revision=1).status == "approved_with_changes"


def test_approve_with_changes_is_offered_on_the_form_and_needs_the_list(client, acme, rita):
    request = services.pending_request_for(in_review(acme))
    login(client, rita)
    url = reverse("reviews:review", args=[request.pk])

    page = client.get(url).content.decode()
    refused = client.post(url, {"decision": "approve_with_changes", "expected_revision": 1})

    assert "Approve with changes (no new review)" in page
    assert refused.status_code == 400
    assert "List the changes to make before this is final." in refused.content.decode()
    assert_untouched(request)
