"""Review stages that run at the same time, the owners' sign-off as a configured stage, and a
client's own approver roles (Creative Director, Legal) deciding stages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from approvals import services
from approvals.models import (
    ApprovalRequest,
    ApprovalStatus,
    ApproverRole,
    ReviewStage,
    StageKind,
    StageRule,
)
from approvals.review import high_impact_reasons
from jobs.models import JobEvent, ProductionJob, Status
from notifications.models import Notification
from tests.factories import api_as, in_review, login, make_user

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _queues(clean_queues):
    return clean_queues


@pytest.fixture
def lee(acme):
    """Acme's lawyer."""
    return make_user("lee", acme, "member")


@pytest.fixture
def bea(acme):
    """Acme's brand manager."""
    return make_user("bea", acme, "member")


@pytest.fixture
def dana(acme):
    """A second owner of Acme."""
    return make_user("dana", acme, "owner")


def editor_then_legal_beside_brand(client, lee, bea) -> None:
    """Editor first; then Legal and Brand at the same time; then the client's Final look."""
    ReviewStage.objects.create(client=client, position=1, name="Editor")
    legal = ReviewStage.objects.create(client=client, position=2, name="Legal")
    legal.members.set([lee])
    brand = ReviewStage.objects.create(client=client, position=3, name="Brand", with_previous=True)
    brand.members.set([bea])
    ReviewStage.objects.create(client=client, position=4, name="Final look")


def open_stages(job: ProductionJob) -> list[str]:
    return list(
        ApprovalRequest.objects.filter(job=job, status=ApprovalStatus.PENDING)
        .order_by("stage_index")
        .values_list("stage_name", flat=True)
    )


def test_parallel_stages_open_together_and_the_next_waits_for_both(acme, rita, lee, bea):
    editor_then_legal_beside_brand(acme, lee, bea)
    job = in_review(acme)
    assert open_stages(job) == ["Editor"]
    services.job_decide(job=job, user=rita, decision="approve", expected_revision=1)

    assert open_stages(job) == ["Legal", "Brand"]
    legal, brand = ApprovalRequest.objects.filter(job=job, status="pending").order_by("stage_index")
    assert (legal.stage_label, brand.stage_label) == ("Stage 2 of 4: Legal", "Stage 3 of 4: Brand")
    assert legal.stage_round == brand.stage_round == 2
    # Each of them is told, and each decides their own stage through the job's route.
    assert Notification.objects.filter(key=f"review_requested:{legal.pk}").get().user == lee
    assert Notification.objects.filter(key=f"review_requested:{brand.pk}").get().user == bea
    services.job_decide(job=job, user=bea, decision="approve", expected_revision=1)

    brand.refresh_from_db()
    assert brand.status == ApprovalStatus.APPROVED and open_stages(job) == ["Legal"]
    waiting = JobEvent.objects.filter(job=job, action="decision.stage_approved").last()
    assert waiting.note == "Stage 3 of 4: Brand approved; waiting for Stage 2 of 4: Legal."
    job.refresh_from_db()
    assert job.status == Status.REVIEW

    services.job_decide(job=job, user=lee, decision="approve", expected_revision=1)
    assert open_stages(job) == ["Final look"]
    final = services.pending_request_for(job)
    assert final.stage_label == "Stage 4 of 4: Final look" and final.stage_round == 3
    services.job_decide(job=job, user=rita, decision="approve", expected_revision=1)
    job.refresh_from_db()
    assert job.status in (Status.APPROVED, Status.COMPLETED)


def test_changes_asked_at_one_parallel_stage_close_the_other(acme, rita, lee, bea):
    editor_then_legal_beside_brand(acme, lee, bea)
    job = in_review(acme)
    services.job_decide(job=job, user=rita, decision="approve")

    services.job_decide(
        job=job, user=lee, decision="request_changes", feedback="Drop the guarantee."
    )

    job.refresh_from_db()
    assert job.status in (Status.QUEUED, Status.REVISION) and job.revision == 2
    brand = ApprovalRequest.objects.get(job=job, stage_name="Brand", revision=1)
    assert brand.status == ApprovalStatus.CANCELLED
    assert brand.feedback == "Closed: Legal requested changes on this revision."
    closed = JobEvent.objects.get(job=job, action="review.stages_closed")
    assert closed.note == "Brand closed: Legal requested changes on revision 1."
    # Bea's stale decision is refused, and nothing is left open on the old revision.
    with pytest.raises(services.AlreadyDecided):
        services.decide(request_id=brand.pk, user=bea, decision="approve")
    assert not ApprovalRequest.objects.filter(job=job, status="pending").exists()


def test_a_member_of_neither_parallel_stage_is_refused(acme, rita, lee, bea, alice):
    editor_then_legal_beside_brand(acme, lee, bea)
    job = in_review(acme)
    services.job_decide(job=job, user=rita, decision="approve")
    with pytest.raises(services.NotAllowed):
        services.job_decide(job=job, user=alice, decision="approve")
    assert open_stages(job) == ["Legal", "Brand"]


def test_the_job_page_lists_both_open_stages_and_shows_each_person_their_own(
    client, acme, rita, lee, bea, alice
):
    editor_then_legal_beside_brand(acme, lee, bea)
    job = in_review(acme)
    services.job_decide(job=job, user=rita, decision="approve")
    login(client, alice)
    page = client.get(reverse("job_detail", args=[job.pk])).content.decode()
    assert "2 review stages are open at the same time" in page
    assert "Stage 2 of 4: Legal" in page and "Stage 3 of 4: Brand" in page
    assert "actions/approve/" not in page
    client.logout()
    login(client, bea)
    page = client.get(reverse("job_detail", args=[job.pk])).content.decode()
    assert "actions/approve/" in page
    decision = page[page.index('class="decision"') :]
    assert '<p class="review-stage">Stage 3 of 4: Brand</p>' in decision


def test_the_api_decides_each_parallel_stage_by_its_own_request(acme, rita, lee, bea):
    editor_then_legal_beside_brand(acme, lee, bea)
    job = in_review(acme)
    services.job_decide(job=job, user=rita, decision="approve")
    legal = ApprovalRequest.objects.get(job=job, stage_name="Legal", status="pending")
    # The job's decide route picks the request the caller decides.
    response = api_as(lee).post(f"/api/v1/jobs/{job.pk}/approve/", {"revision": 1}, format="json")
    assert response.status_code == 200, response.content
    legal.refresh_from_db()
    assert legal.status == ApprovalStatus.APPROVED
    assert open_stages(job) == ["Brand"]


# --- the settings form --------------------------------------------------------------------------


def test_the_settings_form_adds_a_parallel_stage_and_refuses_one_with_nothing_before(
    client, acme, olga, lee
):
    login(client, olga)
    url = reverse("reviews:stages", args=[acme.slug])
    response = client.post(
        url, {"name": "Legal", "position": "1", "role": "reviewer", "with_previous": "on"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_with_previous-error"' in page and "it can only run on its own" in page
    assert not ReviewStage.objects.exists()
    client.post(url, {"name": "Legal", "position": "1", "role": "reviewer"})
    response = client.post(
        url,
        {"name": "Brand", "position": "2", "role": "reviewer", "with_previous": "on"},
        follow=True,
    )
    assert "at the same time as the stage before" in response.content.decode()
    assert ReviewStage.objects.get(name="Brand").with_previous is True


# --- the sign-off stage -------------------------------------------------------------------------


def signoff_stage(client, *owners, kind=StageKind.SIGNOFF, rule=StageRule.ANY) -> ReviewStage:
    stage = ReviewStage.objects.create(
        client=client,
        position=9,
        name="Founders' sign-off",
        role="owner",
        kind=kind,
        rule=rule,
        due_hours=6,
    )
    stage.members.set(owners)
    return stage


def approved_high_impact(acme, rita) -> ProductionJob:
    job = in_review(acme)
    ProductionJob.objects.filter(pk=job.pk).update(high_impact=True)
    job.refresh_from_db()
    services.job_decide(job=job, user=rita, decision="approve", expected_revision=1)
    job.refresh_from_db()
    return job


def test_a_signoff_stage_says_which_owners_sign_and_by_which_rule(acme, rita, olga, dana):
    signoff_stage(acme, olga, dana, rule=StageRule.ALL)
    job = approved_high_impact(acme, rita)

    assert job.status == Status.APPROVED
    request = services.pending_request_for(job)
    assert request.gate == "owner_signoff" and request.stage_label == "Founders' sign-off"
    assert request.approvals_needed == 2 and request.named_only
    hours = (request.due_at - request.created_at).total_seconds() / 3600
    assert 5.9 < hours < 6.1
    services.signoff(job=job, user=olga, note="Fine by me.")
    job.refresh_from_db()
    assert job.status == Status.APPROVED
    assert "waiting for dana" in request.approval_progress
    services.signoff(job=job, user=dana)
    job.refresh_from_db()
    assert job.status == Status.COMPLETED


def test_an_owner_not_named_in_the_signoff_stage_cannot_sign(acme, rita, olga, dana):
    signoff_stage(acme, dana)
    job = approved_high_impact(acme, rita)
    with pytest.raises(services.NotAllowed):
        services.signoff(job=job, user=olga)
    services.signoff(job=job, user=dana)
    job.refresh_from_db()
    assert job.status == Status.COMPLETED


def test_a_signoff_of_all_work_asks_the_owners_even_for_low_impact_work(acme, rita, olga):
    signoff_stage(acme, kind=StageKind.SIGNOFF_ALL)
    job = in_review(acme)
    ProductionJob.objects.filter(pk=job.pk).update(
        high_impact=False, truth_verified=True, safety_score=99
    )
    job.refresh_from_db()
    assert high_impact_reasons(job) == []
    services.job_decide(job=job, user=rita, decision="approve", expected_revision=1)

    job.refresh_from_db()
    assert job.status == Status.APPROVED and not job.high_impact
    asked = JobEvent.objects.get(job=job, action="signoff_requested")
    assert asked.note == (
        "Sign-off (Acme Outdoor signs off all work): an owner must sign off before it completes."
    )
    services.signoff(job=job, user=olga)
    job.refresh_from_db()
    assert job.status == Status.COMPLETED


def test_a_signoff_of_high_impact_work_lets_other_work_complete(acme, rita):
    signoff_stage(acme)
    job = in_review(acme)
    ProductionJob.objects.filter(pk=job.pk).update(
        high_impact=False, truth_verified=True, safety_score=99
    )
    services.job_decide(job=job, user=rita, decision="approve", expected_revision=1)
    job.refresh_from_db()
    assert job.status == Status.COMPLETED


def test_the_settings_form_checks_a_signoff_stage(client, acme, olga, rita, lee):
    login(client, olga)
    url = reverse("reviews:stages", args=[acme.slug])
    response = client.post(
        url,
        {
            "name": "Sign-off",
            "position": "5",
            "role": "reviewer",
            "kind": "signoff",
            "members": [str(lee.pk)],
            "with_previous": "on",
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Only owners sign off; not an owner of Acme Outdoor: lee." in page
    assert 'id="id_with_previous-error"' in page
    response = client.post(
        url,
        {"name": "Sign-off", "position": "5", "role": "reviewer", "kind": "signoff_all"},
        follow=True,
    )
    page = response.content.decode()
    stage = ReviewStage.objects.get(client=acme)
    assert (stage.kind, stage.role) == ("signoff_all", "owner")
    assert "Sign-off: Sign-off" in page and "Owner sign-off of all work" in page
    response = client.post(
        url, {"name": "Second", "position": "6", "role": "owner", "kind": "signoff"}
    )
    assert response.status_code == 400
    assert "“Sign-off” is the sign-off stage here already" in response.content.decode()


# --- custom approver roles ----------------------------------------------------------------------


def creative_director(client, *holders) -> ApproverRole:
    role = ApproverRole.objects.create(client=client, name="Creative Director")
    role.members.set(holders)
    return role


def test_a_stage_decided_by_a_custom_role_is_decided_by_its_holders_only(acme, rita, alice, bea):
    role = creative_director(acme, alice)  # a member, not a reviewer: the role is what counts
    ReviewStage.objects.create(client=acme, position=1, name="Creative", approver_role=role)
    job = in_review(acme)
    request = services.pending_request_for(job)
    assert request.named_only and list(request.deciders.all()) == [alice]
    assert Notification.objects.filter(key=f"review_requested:{request.pk}").get().user == alice

    with pytest.raises(services.NotAllowed):
        services.job_decide(job=job, user=rita, decision="approve")
    # Who holds the role when the stage opened decides: a later holder does not.
    role.members.add(bea)
    with pytest.raises(services.NotAllowed):
        services.job_decide(job=job, user=bea, decision="approve")
    services.job_decide(job=job, user=alice, decision="approve", expected_revision=1)
    request.refresh_from_db()
    assert request.status == ApprovalStatus.APPROVED


def test_all_of_a_custom_role_waits_for_every_holder(acme, alice, bea):
    role = creative_director(acme, alice, bea)
    ReviewStage.objects.create(
        client=acme, position=1, name="Creative", approver_role=role, rule=StageRule.ALL
    )
    job = in_review(acme)
    services.job_decide(job=job, user=alice, decision="approve")
    request = services.pending_request_for(job)
    assert request.approvals_needed == 2 and request.status == ApprovalStatus.PENDING
    assert request.waiting_for == ["bea"]
    services.job_decide(job=job, user=bea, decision="approve")
    request.refresh_from_db()
    assert request.status == ApprovalStatus.APPROVED


def test_an_owner_adds_a_role_and_a_stage_decided_by_it(client, acme, olga, alice, lee):
    login(client, olga)
    roles = reverse("reviews:role_add", args=[acme.slug])
    response = client.post(roles, {"role_name": "", "role_members": []})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_role_name-error"' in page and 'id="id_role_members-error"' in page
    response = client.post(
        roles, {"role_name": "Creative Director", "role_members": [str(alice.pk)]}, follow=True
    )
    assert "Approver role “Creative Director” added." in response.content.decode()
    response = client.post(roles, {"role_name": "creative director", "role_members": [lee.pk]})
    assert "has a role “creative director” already" in response.content.decode()

    role = ApproverRole.objects.get(client=acme)
    stages = reverse("reviews:stages", args=[acme.slug])
    response = client.post(
        stages,
        {"name": "Creative", "position": "1", "role": "reviewer", "approver_role": str(role.pk)},
        follow=True,
    )
    page = response.content.decode()
    assert "decided by any Creative Director" in page and "held by alice" in page
    assert ReviewStage.objects.get(client=acme).approver_role == role

    # A role in use cannot be removed; once its stage is gone it can.
    remove = reverse("reviews:role_remove", args=[acme.slug, role.pk])
    page = client.post(remove, follow=True).content.decode()
    assert "“Creative Director” decides Creative: remove that stage first." in page
    ReviewStage.objects.filter(client=acme).delete()
    client.post(remove)
    assert not ApproverRole.objects.exists()


def test_a_signoff_stage_by_a_role_needs_owners_in_it(client, acme, olga, alice):
    role = creative_director(acme, alice)
    login(client, olga)
    response = client.post(
        reverse("reviews:stages", args=[acme.slug]),
        {
            "name": "Sign-off",
            "position": "5",
            "role": "owner",
            "kind": "signoff",
            "approver_role": str(role.pk),
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_approver_role-error"' in page and "not an owner of Acme Outdoor: alice" in page


def test_another_clients_roles_are_neither_listed_nor_accepted(client, acme, globex, olga, bob):
    theirs = ApproverRole.objects.create(client=globex, name="Globex Legal")
    login(client, olga)
    url = reverse("reviews:stages", args=[acme.slug])
    assert "Globex Legal" not in client.get(url).content.decode()
    response = client.post(
        url, {"name": "Legal", "position": "1", "role": "reviewer", "approver_role": theirs.pk}
    )
    assert (
        response.status_code == 400 and 'id="id_approver_role-error"' in response.content.decode()
    )
    other = reverse("reviews:role_remove", args=[acme.slug, theirs.pk])
    assert client.post(other).status_code == 404
    assert ApproverRole.objects.filter(pk=theirs.pk).exists()
