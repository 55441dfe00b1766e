"""The owners' console: lists, filters, search, inlines and bulk actions for staff only."""

from __future__ import annotations

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from approvals import services
from approvals.safety import BAND_LABELS
from jobs import lifecycle
from jobs.models import JobEvent, ProductionJob
from production.models import ApiToken
from tests.factories import PASSWORD, make_job, produce

pytestmark = pytest.mark.django_db(transaction=True)

CHANGELIST = "admin:jobs_productionjob_changelist"


@pytest.fixture(autouse=True)
def _queues(clean_queues):
    return clean_queues


@pytest.fixture
def jobs(acme, globex, rita):
    """One job in each state an owner works with."""
    in_review = produce(acme, title="Review me")
    signoff = produce(acme, title="Sign me off", high_impact=True)
    services.job_decide(job=signoff, user=rita, decision="approve")
    failed = make_job(acme, title="Broke down", auto_process=True)
    lifecycle.transition(failed, "processing")
    lifecycle.transition(failed, "failed", note="Provider down")
    other = produce(globex, title="Globex launch", priority="urgent")
    return {"review": in_review, "signoff": signoff, "failed": failed, "globex": other}


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def listed(client, query: str = "") -> set[str]:
    response = client.get(reverse(CHANGELIST) + query)
    assert response.status_code == 200
    return {job.title for job in response.context["cl"].result_list}


def act(client, action: str, *jobs: ProductionJob, **extra: str):
    data = {"action": action, ACTION_CHECKBOX_NAME: [str(job.pk) for job in jobs], **extra}
    return client.post(reverse(CHANGELIST), data)


def test_the_job_list_shows_safety_badge_band_status_type_client_and_impact(staff_client, jobs):
    page = staff_client.get(reverse(CHANGELIST)).content.decode()
    assert listed(staff_client) == {"Review me", "Sign me off", "Broke down", "Globex launch"}
    band = jobs["review"].safety_band
    assert f'class="badge badge-{band}"' in page and f"· {BAND_LABELS[band]}<" in page
    for header in ("safety", "Status", "Job type", "Client", "High impact", "Revision"):
        assert header.lower() in page.lower()


@pytest.mark.parametrize(
    "query, expected",
    [
        ("?status__exact=review", {"Review me", "Globex launch"}),
        ("?status__exact=failed", {"Broke down"}),
        ("?awaiting_signoff=yes", {"Sign me off"}),
        ("?high_impact__exact=1", {"Sign me off"}),
        ("?priority__exact=urgent", {"Globex launch"}),
        ("?job_type__exact=content&status__exact=approved", {"Sign me off"}),
    ],
)
def test_the_filters_narrow_the_list(staff_client, jobs, query, expected):
    assert listed(staff_client, query) == expected


def test_the_band_filter_lists_bands_by_name_and_narrows_the_list(staff_client, jobs):
    page = staff_client.get(reverse(CHANGELIST)).content.decode()
    for band, label in BAND_LABELS.items():
        assert f"?safety_band={band}" in page and f">{label}</a>" in page
    assert 'class="field-safety_band"' not in page  # no column of raw slugs
    band = jobs["review"].safety_band
    expected = set(ProductionJob.objects.filter(safety_band=band).values_list("title", flat=True))
    assert expected and listed(staff_client, f"?safety_band={band}") == expected


def test_the_approval_inline_says_what_its_link_does_and_the_band_reads_as_words(
    staff_client, jobs
):
    job = jobs["signoff"]
    html = staff_client.get(reverse("admin:jobs_productionjob_change", args=[job.pk])).content
    html = html.decode()
    # The decided review links to "View", the pending sign-off to "Decide"; never "open".
    assert ">View</a>" in html and ">Decide</a>" in html and ">open</a>" not in html
    job.refresh_from_db()
    assert f'<div class="readonly">{BAND_LABELS[job.safety_band]}</div>' in html


def test_the_client_filter_and_search_by_title_client_and_id(staff_client, jobs, globex):
    assert listed(staff_client, f"?client__id__exact={globex.pk}") == {"Globex launch"}
    assert listed(staff_client, "?q=sign+me") == {"Sign me off"}
    assert listed(staff_client, "?q=Globex") == {"Globex launch"}
    assert listed(staff_client, f"?q={jobs['failed'].pk}") == {"Broke down"}


def test_the_awaiting_signoff_view_is_the_filtered_list(staff_client, jobs):
    response = staff_client.get(reverse("admin:jobs_productionjob_awaiting_signoff"))
    assert response.status_code == 302
    assert listed(staff_client, "?" + response["Location"].split("?")[1]) == {"Sign me off"}


def test_the_index_links_to_the_oversight_queues_and_rq(staff_client):
    page = staff_client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:jobs_productionjob_awaiting_signoff") in page
    assert reverse("django_rq:home") in page and "RQ queues" in page
    assert staff_client.get(reverse("django_rq:home")).status_code == 200


def test_the_change_page_shows_history_outputs_requests_and_step_runs_read_only(staff_client, jobs):
    job = jobs["signoff"]
    response = staff_client.get(reverse("admin:jobs_productionjob_change", args=[job.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    inlines = {f.formset.prefix: f for f in response.context["inline_admin_formsets"]}
    assert set(inlines) == {"approvals", "outputs", "step_runs", "events"}
    assert len(inlines["events"].formset.forms) == JobEvent.objects.filter(job=job).count()
    assert "decision.approved" in page and "signoff_requested" in page
    assert "owner_signoff" in page and "blog_post" in page and "builtin-text" in page
    for inline in inlines.values():
        assert not inline.has_add_permission and not inline.has_delete_permission
    assert 'name="events-0-note"' not in page  # history is never editable here
    assert 'name="status"' not in page  # only the lifecycle changes status


def test_staff_sign_off_in_bulk_through_the_decision_service(staff_client, jobs, staff):
    response = act(staff_client, "sign_off", jobs["signoff"], jobs["review"])
    assert response.status_code == 302
    jobs["signoff"].refresh_from_db()
    assert jobs["signoff"].status == "completed"
    assert JobEvent.objects.get(job=jobs["signoff"], action="decision.signed_off").actor == staff
    # A job not awaiting sign-off is reported and left alone.
    messages = [str(m) for m in staff_client.get(reverse(CHANGELIST)).context["messages"]]
    assert "Signed off 1 job." in messages
    assert any("Review me" in m and "not awaiting sign-off" in m for m in messages)
    jobs["review"].refresh_from_db()
    assert jobs["review"].status == "review"


def test_send_back_asks_for_a_note_then_starts_a_revision(staff_client, jobs):
    job = jobs["signoff"]
    confirm = act(staff_client, "send_back", job)
    assert confirm.status_code == 200
    page = confirm.content.decode()
    assert "Send back for revision" in page and job.title in page and 'name="note"' in page
    job.refresh_from_db()
    assert job.status == "approved"

    empty = act(staff_client, "send_back", job, apply="Send back", note="")
    assert empty.status_code == 200 and "This field is required." in empty.content.decode()

    done = act(staff_client, "send_back", job, apply="Send back", note="Mention free shipping")
    assert done.status_code == 302
    job.refresh_from_db()
    assert (job.status, job.revision) == ("queued", 2)
    event = JobEvent.objects.get(job=job, action="decision.sent_back")
    assert event.note == "Mention free shipping"


def test_staff_cancel_in_bulk(staff_client, jobs):
    act(staff_client, "cancel_jobs", jobs["review"], jobs["failed"])
    jobs["review"].refresh_from_db()
    jobs["failed"].refresh_from_db()
    assert jobs["review"].status == "cancelled" and jobs["failed"].status == "cancelled"
    assert JobEvent.objects.filter(job=jobs["review"], action="decision.cancelled").exists()


def test_staff_requeue_failed_jobs_and_only_those(staff_client, jobs):
    act(staff_client, "requeue_failed", jobs["failed"], jobs["review"])
    jobs["failed"].refresh_from_db()
    jobs["review"].refresh_from_db()
    assert jobs["failed"].status == "queued" and jobs["review"].status == "review"


@pytest.mark.parametrize("who", ["rita", "olga", "anonymous"])
def test_non_staff_are_sent_to_the_login_page_and_nothing_changes(client, jobs, request, who):
    if who != "anonymous":
        user = request.getfixturevalue(who)
        assert client.login(username=user.username, password=PASSWORD)
    login = reverse("admin:login")
    for response in (
        client.get(reverse(CHANGELIST)),
        client.get(reverse("admin:jobs_productionjob_change", args=[jobs["signoff"].pk])),
        act(client, "sign_off", jobs["signoff"]),
        act(client, "requeue_failed", jobs["failed"]),
        act(client, "send_back", jobs["signoff"], apply="Send back", note="No"),
    ):
        assert response.status_code == 302 and response["Location"].startswith(login)
    statuses = dict(ProductionJob.objects.values_list("title", "status"))
    assert statuses["Sign me off"] == "approved" and statuses["Broke down"] == "failed"


def test_owners_edit_a_client_s_facts_and_testimonials_as_json(staff_client, acme, olga):
    url = reverse("admin:production_client_change", args=[acme.pk])
    page = staff_client.get(url).content.decode()
    assert "Truth layer" in page and "founded in 2009" in page and "memberships-0-role" in page
    membership = acme.memberships.get(user=olga)
    data = {
        "name": acme.name,
        "slug": acme.slug,
        "brand_profile": '{"voice": "plain"}',
        "verified_facts": '["Acme Outdoor offers free shipping on every order."]',
        "approved_testimonials": '[{"quote": "Light and tough.", "author": "R. Diaz"}]',
        "competitors": "[]",
        "threshold_verified_safe": 95,
        "threshold_safe": 80,
        "threshold_review": 60,
        "memberships-TOTAL_FORMS": 1,
        "memberships-INITIAL_FORMS": 1,
        "memberships-MIN_NUM_FORMS": 0,
        "memberships-MAX_NUM_FORMS": 1000,
        "memberships-0-id": membership.pk,
        "memberships-0-client": acme.pk,
        "memberships-0-user": olga.pk,
        "memberships-0-role": "owner",
    }
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    acme.refresh_from_db()
    assert acme.verified_facts == ["Acme Outdoor offers free shipping on every order."]
    assert acme.approved_testimonials == [{"quote": "Light and tough.", "author": "R. Diaz"}]


def test_the_other_consoles_list_and_the_token_hash_is_read_only(staff_client, jobs, staff):
    token = ApiToken.objects.create(user=staff, name="CI", prefix="pe_abc", key_hash="f" * 64)
    for name in (
        "admin:approvals_approvalrequest_changelist",
        "admin:jobs_steprun_changelist",
        "admin:jobs_jobtemplate_changelist",
        "admin:production_apitoken_changelist",
        "admin:production_membership_changelist",
    ):
        assert staff_client.get(reverse(name)).status_code == 200, name
    page = staff_client.get(
        reverse("admin:production_apitoken_change", args=[token.pk])
    ).content.decode()
    assert "f" * 64 in page and 'name="key_hash"' not in page
    approvals = staff_client.get(reverse("admin:approvals_approvalrequest_changelist") + "?q=Sign")
    assert "owner_signoff" in approvals.content.decode()
