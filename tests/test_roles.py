"""Who may decide: reviewers of the client, owners for sign-off, nobody from another client."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from approvals import services
from jobs import lifecycle
from jobs.models import JobEvent, ProductionJob
from tests.factories import make_job, produce

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _queues(clean_queues):
    return clean_queues


def nothing_decided(job: ProductionJob) -> bool:
    job.refresh_from_db()
    return not JobEvent.objects.filter(job=job, action__startswith="decision.").exists()


def test_a_member_cannot_decide(acme, alice):
    job = produce(acme)
    request = services.pending_request_for(job)
    with pytest.raises(services.NotAllowed, match="Only a reviewer of Acme Outdoor"):
        services.decide(request_id=request.pk, user=alice, decision="approve")
    assert nothing_decided(job) and job.status == "review"


def test_a_reviewer_of_another_client_gets_not_found(acme, gary):
    job = produce(acme)
    request = services.pending_request_for(job)
    with pytest.raises(services.NotFound) as caught:
        services.decide(request_id=request.pk, user=gary, decision="approve")
    assert isinstance(caught.value, Http404)  # the API and views answer 404
    assert "Acme" not in caught.value.message
    with pytest.raises(services.NotFound):
        services.job_decide(job=job, user=gary, decision="cancel")
    assert nothing_decided(job) and job.status == "review"


def test_an_unknown_request_is_not_found(acme, rita):
    with pytest.raises(services.NotFound, match="Approval request 987654 not found"):
        services.decide(request_id=987654, user=rita, decision="approve")


def test_an_anonymous_user_cannot_decide(acme):
    job = produce(acme)
    request = services.pending_request_for(job)
    with pytest.raises(services.NotAllowed, match="Sign in"):
        services.decide(request_id=request.pk, user=AnonymousUser(), decision="approve")


def test_an_owner_may_also_review(acme, olga):
    job = produce(acme)
    services.job_decide(job=job, user=olga, decision="approve")
    job.refresh_from_db()
    assert job.status == "completed"


def awaiting_signoff(acme, rita) -> ProductionJob:
    job = produce(acme, high_impact=True)
    services.job_decide(job=job, user=rita, decision="approve")
    job.refresh_from_db()
    assert job.status == "approved"
    return job


def test_only_owners_sign_off(acme, rita, olga):
    job = awaiting_signoff(acme, rita)
    request = services.pending_request_for(job)
    with pytest.raises(services.NotAllowed, match="Only an owner of Acme Outdoor can sign"):
        services.decide(request_id=request.pk, user=rita, decision="approve")
    with pytest.raises(services.NotAllowed):
        services.signoff(job=job, user=rita)
    job.refresh_from_db()
    assert job.status == "approved"
    services.signoff(job=job, user=olga)
    job.refresh_from_db()
    assert job.status == "completed"


def test_staff_count_as_owners(acme, rita, staff):
    job = awaiting_signoff(acme, rita)
    services.signoff(job=job, user=staff)
    job.refresh_from_db()
    assert job.status == "completed"


def test_an_owner_of_another_client_cannot_sign_off(acme, globex, rita):
    from tests.factories import make_user

    job = awaiting_signoff(acme, rita)
    globex_owner = make_user("gina", globex, "owner")
    with pytest.raises(services.NotFound):
        services.signoff(job=job, user=globex_owner)
    job.refresh_from_db()
    assert job.status == "approved"


def test_only_owners_send_back_or_requeue(acme, rita, olga):
    job = awaiting_signoff(acme, rita)
    with pytest.raises(services.NotAllowed, match="send work back"):
        services.send_back(job=job, user=rita, note="Again")
    failed = make_job(acme, title="Broken", auto_process=True)
    lifecycle.transition(failed, "processing")
    lifecycle.transition(failed, "failed", note="Provider down")
    with pytest.raises(services.NotAllowed, match="requeue"):
        services.requeue_failed(job=failed, user=rita)
    services.requeue_failed(job=failed, user=olga)
    failed.refresh_from_db()
    assert failed.status == "queued"


def test_a_member_may_cancel_a_job_without_an_open_request_but_not_another_client_s(
    acme, alice, bob
):
    job = make_job(acme)
    with pytest.raises(services.NotFound):
        services.job_decide(job=job, user=bob, decision="cancel")
    services.job_decide(job=job, user=alice, decision="cancel")
    job.refresh_from_db()
    assert job.status == "cancelled"
