"""Configurable review stages: ordered, each with who decides, per job type; shown on the job
page and in the queue; configured by owners on a settings page with field errors."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.urls import reverse

from approvals import services
from approvals.models import ApprovalRequest, ReviewStage
from approvals.review import submit_for_review
from jobs import lifecycle
from jobs.models import JobEvent, ProductionJob, Status
from notifications.models import Notification
from tests.factories import in_review, login, make_user

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _queues(clean_queues):
    return clean_queues


@pytest.fixture
def lee(acme):
    """Acme's lawyer: a member, named as the Legal stage's decision maker."""
    return make_user("lee", acme, "member")


def editor_then_legal(client, lee, job_type: str = "") -> tuple[ReviewStage, ReviewStage]:
    editor = ReviewStage.objects.create(client=client, position=1, name="Editor", job_type=job_type)
    legal = ReviewStage.objects.create(client=client, position=2, name="Legal", job_type=job_type)
    legal.members.set([lee])
    return editor, legal


def next_revision_in_review(job: ProductionJob) -> ProductionJob:
    lifecycle.transition(job.pk, Status.PROCESSING)
    with transaction.atomic():
        submit_for_review(lifecycle.lock_job(job.pk))
    return ProductionJob.objects.get(pk=job.pk)


def test_without_stages_one_request_for_the_reviewers(acme, rita):
    request = services.pending_request_for(in_review(acme))
    assert (request.stage_count, request.stage_label, request.named_only) == (0, "", False)


def test_the_review_passes_the_stages_in_order(acme, rita, lee):
    editor_then_legal(acme, lee)
    job = in_review(acme)
    first = services.pending_request_for(job)
    assert first.stage_label == "Stage 1 of 2: Editor"

    services.job_decide(job=job, user=rita, decision="approve", expected_revision=1)

    job.refresh_from_db()
    second = services.pending_request_for(job)
    assert job.status == Status.REVIEW and second.pk != first.pk
    assert second.stage_label == "Stage 2 of 2: Legal" and second.revision == 1
    assert list(second.deciders.all()) == [lee]
    event = JobEvent.objects.get(job=job, action="decision.stage_approved")
    assert event.note == "Stage 1 of 2: Editor approved; next: Stage 2 of 2: Legal."

    services.job_decide(job=job, user=lee, decision="approve", expected_revision=1)
    job.refresh_from_db()
    assert job.status in (Status.APPROVED, Status.COMPLETED)
    assert services.pending_request_for(job, gate="final") is None


def test_only_the_named_people_decide_a_named_stage(acme, rita, olga, lee):
    editor_then_legal(acme, lee)
    job = in_review(acme)
    services.job_decide(job=job, user=rita, decision="approve")
    legal = services.pending_request_for(job)
    for someone in (rita, olga):
        with pytest.raises(services.NotAllowed, match="The Legal stage is decided by lee only"):
            services.decide(request_id=legal.pk, user=someone, decision="approve")
    legal.refresh_from_db()
    assert legal.status == "pending"


def test_a_stage_for_a_role_refuses_a_member(acme, alice):
    ReviewStage.objects.create(client=acme, position=1, name="Editor")
    request = services.pending_request_for(in_review(acme))
    with pytest.raises(services.NotAllowed, match="can decide the Editor stage"):
        services.decide(request_id=request.pk, user=alice, decision="approve")


def test_changes_at_any_stage_go_back_to_the_writers_and_restart_at_stage_1(acme, rita, lee):
    editor_then_legal(acme, lee)
    job = in_review(acme)
    services.job_decide(job=job, user=rita, decision="approve")
    services.job_decide(
        job=job, user=lee, decision="request_changes", feedback="Drop the health claim."
    )
    job.refresh_from_db()
    assert (job.status, job.revision) == (Status.QUEUED, 2)
    from approvals.review import feedback_for

    assert feedback_for(job) == ["Drop the health claim."]

    job = next_revision_in_review(job)
    assert services.pending_request_for(job).stage_label == "Stage 1 of 2: Editor"


def test_rejection_at_a_stage_stops_the_loop(acme, rita, lee):
    editor_then_legal(acme, lee)
    job = in_review(acme)
    services.job_decide(job=job, user=rita, decision="approve")
    services.job_decide(job=job, user=lee, decision="reject", feedback="Not for us.")
    job.refresh_from_db()
    assert (job.status, job.revision) == (Status.REVISION, 1)
    assert services.is_stopped_by_rejection(job)


def test_stages_of_a_job_type_replace_the_general_ones(acme, rita, lee):
    editor_then_legal(acme, lee)
    ReviewStage.objects.create(client=acme, position=1, name="Brand desk", job_type="content")
    request = services.pending_request_for(in_review(acme))
    assert request.stage_label == "Stage 1 of 1: Brand desk"


def test_changing_the_stages_never_changes_an_open_or_decided_request(acme, rita, lee):
    editor, legal = editor_then_legal(acme, lee)
    job = in_review(acme)
    first = services.pending_request_for(job)
    editor.name = "Copy desk"
    editor.save()
    first.refresh_from_db()
    assert first.stage_label == "Stage 1 of 2: Editor"
    services.job_decide(job=job, user=rita, decision="approve")
    legal_request = services.pending_request_for(job)
    legal.members.clear()
    legal.delete()
    legal_request.refresh_from_db()
    assert legal_request.stage_label == "Stage 2 of 2: Legal"
    assert list(legal_request.deciders.all()) == [lee]


def test_the_queue_shows_each_stage_to_those_who_decide_it(client, acme, rita, lee):
    editor_then_legal(acme, lee)
    job = in_review(acme, title="Cold brew launch")
    login(client, lee)
    assert "Cold brew launch" not in client.get(reverse("reviews:queue")).content.decode()
    services.job_decide(job=job, user=rita, decision="approve")

    page = client.get(reverse("reviews:queue")).content.decode()
    assert "Cold brew launch" in page and "Stage 2 of 2: Legal" in page
    client.logout()
    login(client, rita)
    assert "Cold brew launch" not in client.get(reverse("reviews:queue")).content.decode()


def test_the_job_page_shows_the_stage(client, acme, alice, rita, lee):
    editor_then_legal(acme, lee)
    job = in_review(acme)
    services.job_decide(job=job, user=rita, decision="approve")
    login(client, alice)
    page = client.get(reverse("job_detail", args=[job.pk])).content.decode()
    assert "Stage 2 of 2: Legal." in page
    assert "Waiting for the people named for this stage to review revision 1." in page
    client.logout()
    login(client, lee)
    page = client.get(reverse("job_detail", args=[job.pk])).content.decode()
    assert "actions/approve/" in page and "Stage 2 of 2: Legal" in page


def test_the_named_people_are_told_and_nobody_else(acme, rita, olga, lee):
    editor_then_legal(acme, lee)
    job = in_review(acme)
    services.job_decide(job=job, user=rita, decision="approve")
    legal = services.pending_request_for(job)
    told = Notification.objects.filter(key=f"review_requested:{legal.pk}")
    assert [n.user for n in told] == [lee]
    assert told.get().title.endswith("· Stage 2 of 2: Legal")


# --- the settings page --------------------------------------------------------------------------


def test_an_owner_adds_stages_on_the_settings_page(client, acme, olga, lee):
    login(client, olga)
    url = reverse("reviews:stages", args=[acme.slug])
    assert "No stages yet" in client.get(url).content.decode()

    response = client.post(url, {"name": "Editor", "position": "1", "role": "reviewer"})
    assert response.status_code == 302
    response = client.post(
        url,
        {"name": "Legal", "position": "2", "role": "reviewer", "members": [str(lee.pk)]},
        follow=True,
    )
    page = response.content.decode()
    assert "Stage 1: Editor" in page and "Stage 2: Legal" in page and "lee only" in page
    assert [(s.position, s.name) for s in ReviewStage.objects.filter(client=acme)] == [
        (1, "Editor"),
        (2, "Legal"),
    ]


def test_the_settings_form_shows_every_error_at_its_field(client, acme, olga):
    ReviewStage.objects.create(client=acme, position=1, name="Editor")
    login(client, olga)
    url = reverse("reviews:stages", args=[acme.slug])
    response = client.post(url, {"name": "", "position": "1", "role": "boss"})
    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_name-error"' in page and "This field is required." in page
    assert 'id="id_role-error"' in page
    response = client.post(url, {"name": "Legal", "position": "1", "role": "reviewer"})
    assert response.status_code == 400
    assert "Stage 1 for every job type is “Editor” already" in response.content.decode()
    assert ReviewStage.objects.filter(client=acme).count() == 1


def test_people_of_another_client_cannot_be_named(client, acme, globex, olga, bob):
    login(client, olga)
    url = reverse("reviews:stages", args=[acme.slug])
    response = client.post(
        url, {"name": "Legal", "position": "1", "role": "reviewer", "members": [str(bob.pk)]}
    )
    assert response.status_code == 400 and 'id="id_members-error"' in response.content.decode()
    assert not ReviewStage.objects.exists()


def test_only_owners_see_the_settings_and_other_clients_get_404(client, acme, globex, rita, bob):
    url = reverse("reviews:stages", args=[acme.slug])
    login(client, rita)
    assert client.get(url).status_code == 403
    assert client.post(url, {"name": "X", "position": "1", "role": "reviewer"}).status_code == 403
    client.logout()
    login(client, bob)
    assert client.get(url).status_code == 404
    assert not ReviewStage.objects.exists()


def test_an_owner_removes_a_stage_and_the_open_request_keeps_it(client, acme, olga, rita, lee):
    editor, _ = editor_then_legal(acme, lee)
    job = in_review(acme)
    login(client, olga)
    response = client.post(reverse("reviews:stage_remove", args=[acme.slug, editor.pk]))
    assert response.status_code == 302
    assert not ReviewStage.objects.filter(pk=editor.pk).exists()
    open_request = ApprovalRequest.objects.get(job=job, status="pending")
    assert open_request.stage_label == "Stage 1 of 2: Editor"


def test_a_guest_link_cannot_decide_a_stage_that_names_its_people(acme, rita, lee):
    from approvals import guests

    editor_then_legal(acme, lee)
    job = in_review(acme)
    link = guests.issue(user=rita, job=job, days=7)
    guest = guests.Guest(name="Dana", email="dana@example.test")
    guests.decide(link=link, guest=guest, decision="approve", feedback="", expected_revision=1)
    assert services.pending_request_for(job).stage_label == "Stage 2 of 2: Legal"
    with pytest.raises(services.DecisionError, match="Nothing is waiting"):
        guests.decide(link=link, guest=guest, decision="approve", feedback="", expected_revision=1)
    assert services.pending_request_for(job).status == "pending"


@pytest.fixture
def lin(acme):
    """Acme's second lawyer."""
    return make_user("lin", acme, "member")


def any_editor_then_all_of_legal(client, *lawyers) -> tuple[ReviewStage, ReviewStage]:
    editor = ReviewStage.objects.create(client=client, position=1, name="Editor")
    legal = ReviewStage.objects.create(
        client=client, position=2, name="Legal", rule="all", due_hours=8
    )
    legal.members.set(lawyers)
    return editor, legal


def test_an_all_of_stage_waits_for_every_named_person(acme, rita, lee, lin):
    any_editor_then_all_of_legal(acme, lee, lin)
    job = in_review(acme)
    services.job_decide(job=job, user=rita, decision="approve", expected_revision=1)
    legal = services.pending_request_for(job)
    assert legal.approvals_needed == 2 and set(legal.deciders.all()) == {lee, lin}

    services.job_decide(job=job, user=lee, decision="approve", expected_revision=1)
    # Twice from the same person counts once.
    services.job_decide(job=job, user=lee, decision="approve", expected_revision=1)
    legal.refresh_from_db()
    job.refresh_from_db()
    assert legal.status == "pending" and job.status == Status.REVIEW
    assert legal.approval_progress == "1 of 2 approvals (lee); waiting for lin"
    event = JobEvent.objects.get(job=job, action="decision.stage_approval")
    assert event.note == "lee approved Legal (1 of 2); waiting for lin."

    services.job_decide(job=job, user=lin, decision="approve", expected_revision=1)
    legal.refresh_from_db()
    job.refresh_from_db()
    assert legal.status == "approved" and legal.decided_by == lin
    assert job.status in (Status.APPROVED, Status.COMPLETED)


def test_one_request_for_changes_settles_an_all_of_stage(acme, rita, lee, lin):
    any_editor_then_all_of_legal(acme, lee, lin)
    job = in_review(acme)
    services.job_decide(job=job, user=rita, decision="approve")
    services.job_decide(job=job, user=lee, decision="approve")
    services.job_decide(
        job=job, user=lin, decision="request_changes", feedback="Cite the lab report."
    )
    job.refresh_from_db()
    assert (job.status, job.revision) == (Status.QUEUED, 2)


def test_a_stage_is_due_after_its_own_hours(acme, rita, lee, lin):
    any_editor_then_all_of_legal(acme, lee, lin)
    job = in_review(acme)
    editor = services.pending_request_for(job)
    assert abs((editor.due_at - editor.created_at).total_seconds() - 24 * 3600) < 5
    services.job_decide(job=job, user=rita, decision="approve")
    legal = services.pending_request_for(job)
    assert abs((legal.due_at - legal.created_at).total_seconds() - 8 * 3600) < 5


def test_n_of_m_counts_the_roles_holders_and_never_asks_for_more_than_exist(acme, rita, olga):
    ReviewStage.objects.create(client=acme, position=1, name="Panel", rule="count", required=2)
    job = in_review(acme)
    panel = services.pending_request_for(job)
    assert panel.approvals_needed == 2 and not panel.named_only  # anyone holding the role
    services.job_decide(job=job, user=olga, decision="approve")
    assert services.pending_request_for(job).pk == panel.pk
    services.job_decide(job=job, user=rita, decision="approve")
    job.refresh_from_db()
    assert job.status in (Status.APPROVED, Status.COMPLETED)

    ReviewStage.objects.filter(name="Panel").update(required=9)
    assert services.pending_request_for(in_review(acme, "Another")).approvals_needed == 2


def test_all_of_a_role_means_those_holding_it_when_the_stage_opened(acme, rita, olga):
    ReviewStage.objects.create(client=acme, position=1, name="Everyone", rule="all")
    job = in_review(acme)
    request = services.pending_request_for(job)
    assert set(request.deciders.all()) == {rita, olga} and request.approvals_needed == 2
    newcomer = make_user("nate", acme, "reviewer")
    with pytest.raises(services.NotAllowed):
        services.decide(request_id=request.pk, user=newcomer, decision="approve")


def test_a_templates_stages_replace_the_job_types(acme, rita, lee):
    from jobs.models import JobTemplate

    editor_then_legal(acme, lee)
    template = JobTemplate.objects.create(client=acme, name="Regulated claims", job_type="content")
    ReviewStage.objects.create(client=acme, template=template, position=1, name="Compliance")
    job = in_review(acme)
    assert services.pending_request_for(job).stage_label == "Stage 1 of 2: Editor"
    templated = in_review(acme, "From the template")
    ProductionJob.objects.filter(pk=templated.pk).update(template=template)
    templated = next_revision_in_review_after_changes(templated, rita)
    assert services.pending_request_for(templated).stage_label == "Stage 1 of 1: Compliance"


def next_revision_in_review_after_changes(job: ProductionJob, reviewer) -> ProductionJob:
    services.job_decide(job=job, user=reviewer, decision="request_changes", feedback="Again.")
    return next_revision_in_review(ProductionJob.objects.get(pk=job.pk))


def test_the_settings_form_takes_a_rule_a_due_time_and_a_template(client, acme, olga, lee, lin):
    from jobs.models import JobTemplate

    template = JobTemplate.objects.create(client=acme, name="Regulated claims", job_type="content")
    login(client, olga)
    url = reverse("reviews:stages", args=[acme.slug])
    response = client.post(
        url,
        {
            "name": "Legal",
            "position": "1",
            "role": "reviewer",
            "members": [str(lee.pk)],
            "rule": "count",
            "required": "2",
            "due_hours": "12",
        },
    )
    assert response.status_code == 400
    assert "You named 1 person: at most 1 can approve." in response.content.decode()
    response = client.post(
        url,
        {
            "name": "Legal",
            "position": "1",
            "role": "reviewer",
            "template": str(template.pk),
            "job_type": "content",
            "rule": "any",
            "due_hours": "12",
        },
    )
    assert response.status_code == 400 and 'id="id_job_type-error"' in response.content.decode()
    response = client.post(
        url,
        {
            "name": "Legal",
            "position": "1",
            "role": "reviewer",
            "members": [str(lee.pk), str(lin.pk)],
            "rule": "all",
            "due_hours": "12",
            "template": str(template.pk),
        },
        follow=True,
    )
    page = response.content.decode()
    stage = ReviewStage.objects.get(client=acme)
    assert (stage.rule, stage.due_hours, stage.template) == ("all", 12, template)
    assert "Template “Regulated claims”" in page and "All of them approve · due within 12 h" in page


def test_the_api_shows_a_stages_approvals_and_who_is_still_to_approve(acme, rita, lee, lin):
    from tests.factories import api_as

    any_editor_then_all_of_legal(acme, lee, lin)
    job = in_review(acme)
    services.job_decide(job=job, user=rita, decision="approve")
    legal = services.pending_request_for(job)

    response = api_as(lee).post(
        f"/api/v1/approvals/{legal.pk}/decide/",
        {"decision": "approve", "revision": 1},
        format="json",
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "pending"
    stage = body["stage"]
    assert (stage["name"], stage["index"], stage["count"]) == ("Legal", 2, 2)
    assert stage["approvals_needed"] == 2 and stage["waiting_for"] == ["lin"]
    assert [a["by"] for a in stage["approvals"]] == ["lee"]
