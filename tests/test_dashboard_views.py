"""The client dashboard: list, filters, switcher, new-job dialog, detail panel, actions, files."""

from __future__ import annotations

import re

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from dashboards.views import LIVE_PARTS
from jobs import lifecycle
from jobs.inline import run_inline
from jobs.models import JobEvent, JobTemplate, Output, ProductionJob, Status
from production.models import Membership
from tests.factories import PASSWORD, make_client, make_job

HTMX = {"HTTP_HX_REQUEST": "true"}

# Steps run in-process commit as a worker's would, so these tests use real transactions.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _queues(clean_queues):
    return clean_queues


def signed_in(user) -> HttpClient:
    client = HttpClient()
    assert client.login(username=user.get_username(), password=PASSWORD)
    return client


def job_in(client, status: str, **kwargs) -> ProductionJob:
    """A job moved to `status` through the lifecycle (no worker needed)."""
    job = make_job(client, **kwargs)
    paths = {
        Status.PENDING: [],
        Status.QUEUED: [Status.QUEUED],
        Status.PROCESSING: [Status.QUEUED, Status.PROCESSING],
        Status.FAILED: [Status.QUEUED, Status.PROCESSING, Status.FAILED],
        Status.CANCELLED: [Status.CANCELLED],
        Status.REVIEW: [Status.QUEUED, Status.PROCESSING, Status.REVIEW],
    }
    for target in paths[status]:
        lifecycle.transition(job.pk, target)
    job.refresh_from_db()
    return job


def reviewed_job(acme, alice) -> ProductionJob:
    """A content job that really ran its workflow and waits for review."""
    job = make_job(acme, user=alice, auto_process=True, title="Trail guide")
    run_inline(job.pk)
    job.refresh_from_db()
    assert job.status == Status.REVIEW
    return job


# --- signing in and the list --------------------------------------------------------------------


def test_it_sends_anonymous_visitors_to_sign_in(db):
    response = HttpClient().get("/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_sign_in_page_labels_its_fields(db):
    html = HttpClient().get(reverse("login")).content.decode()
    assert '<label for="id_username">' in html and '<label for="id_password">' in html
    assert 'autocomplete="current-password"' in html


def test_it_lists_only_the_jobs_of_the_users_clients(acme, globex, alice):
    make_job(acme, title="Acme spring post")
    make_job(globex, title="Globex menu launch")
    html = signed_in(alice).get("/").content.decode()
    assert "Acme spring post" in html
    assert "Globex menu launch" not in html


def test_status_cards_count_jobs_per_status_and_link_to_the_filter(acme, alice):
    job_in(acme, Status.PENDING)
    job_in(acme, Status.PENDING)
    job_in(acme, Status.FAILED)
    html = signed_in(alice).get("/").content.decode()
    pending = re.search(
        r'id="card-pending"[^>]*href="([^"]+)"[^>]*>\s*<span class="status-card-count">(\d+)', html
    )
    failed = re.search(r'id="card-failed"[^>]*>\s*<span class="status-card-count">(\d+)', html)
    assert pending and pending.group(2) == "2" and pending.group(1) == "?status=pending"
    assert failed and failed.group(1) == "1"


def test_it_filters_by_status_type_priority_and_title(acme, alice):
    make_job(acme, title="Alpha post", priority="urgent")
    make_job(acme, title="Beta banner", job_type="visual", inputs={"visualType": "banner"})
    job_in(acme, Status.CANCELLED, title="Gamma post")
    client = signed_in(alice)

    def titles(query: str) -> set[str]:
        html = client.get("/" + query, **HTMX).content.decode()
        return set(re.findall(r'<a href="/jobs/[^"]+/"[^>]*>([^<]+)</a>', html))

    assert titles("") == {"Alpha post", "Beta banner", "Gamma post"}
    assert titles("?status=cancelled") == {"Gamma post"}
    assert titles("?type=visual") == {"Beta banner"}
    assert titles("?priority=urgent") == {"Alpha post"}
    assert titles("?q=post") == {"Alpha post", "Gamma post"}
    assert titles("?status=nonsense") == {"Alpha post", "Beta banner", "Gamma post"}


def test_it_shows_25_jobs_a_page(acme, alice):
    for index in range(27):
        make_job(acme, title=f"Post {index:02d}")
    client = signed_in(alice)
    first = client.get("/").content.decode()
    second = client.get("/?page=2").content.decode()
    assert first.count('class="job-row"') == 25 and "Post 26" in first and "Post 00" not in first
    assert second.count('class="job-row"') == 2 and "Post 00" in second
    assert "Showing 26–27 of 27" in second


def test_an_htmx_request_gets_only_the_list_fragment(acme, alice):
    make_job(acme, title="Fragment post")
    html = signed_in(alice).get("/", **HTMX).content.decode()
    assert html.lstrip().startswith('<div id="job-list"') and "<html" not in html
    assert "Fragment post" in html


def test_the_list_polls_every_second_while_a_visible_job_is_active_and_slowly_otherwise(
    acme, alice
):
    client = signed_in(alice)
    job = job_in(acme, Status.PENDING)
    # Nothing active: a slow poll still brings in jobs created elsewhere.
    assert 'hx-trigger="live-change, every 5s"' in client.get("/", **HTMX).content.decode()
    lifecycle.transition(job.pk, Status.QUEUED)
    live = client.get("/", **HTMX).content.decode()
    assert 'hx-trigger="live-change, every 1s"' in live and 'role="progressbar"' in live
    assert (
        'hx-trigger="live-change, every 5s"'
        in client.get("/?status=pending", **HTMX).content.decode()
    )


def test_the_client_switcher_narrows_the_list_and_refuses_other_clients(acme, globex, alice):
    initech = make_client("initech", "Initech")
    Membership.objects.create(user=alice, client=globex, role="member")
    make_job(acme, title="Acme job")
    make_job(globex, title="Globex job")
    make_job(initech, title="Initech job")
    client = signed_in(alice)
    everything = client.get("/").content.decode()
    assert "All clients" in everything and "Acme job" in everything and "Globex job" in everything
    assert client.post(reverse("switch_client"), {"client": str(globex.pk)}).status_code == 302
    narrowed = client.get("/").content.decode()
    assert "Globex job" in narrowed and "Acme job" not in narrowed
    assert client.post(reverse("switch_client"), {"client": str(initech.pk)}).status_code == 404
    assert "Initech job" not in client.get("/").content.decode()


def test_reviewers_see_the_reviews_link_and_members_do_not(acme, alice, rita, staff):
    assert 'href="/reviews/"' not in signed_in(alice).get("/").content.decode()
    assert 'href="/reviews/"' in signed_in(rita).get("/", follow=True).content.decode()
    staff_page = HttpClient()
    staff_page.force_login(staff)
    html = staff_page.get("/").content.decode()
    assert 'href="/admin/"' in html and 'href="/reviews/"' in html


# --- the new-job dialog --------------------------------------------------------------------------


def test_the_form_builds_inputs_from_the_types_schema(acme, alice):
    html = signed_in(alice).get(reverse("new_job") + "?jobType=social", **HTMX).content.decode()
    assert '<select id="f-inputData-tone" name="inputData.tone"' in html
    assert 'type="checkbox" name="inputData.platforms" value="linkedin"' in html
    assert 'type="number" id="f-inputData-postsPerPlatform"' in html
    assert 'type="checkbox" id="f-inputData-includeEmoji" name="inputData.includeEmoji"' in html
    assert "Where the posts will be published." in html  # the description becomes help text
    assert '<label for="f-inputData-topic">Topic' in html
    assert 'name="autoProcess" value="on" checked' in html


def test_a_template_prefills_its_defaults(acme, alice):
    template = JobTemplate.objects.create(
        client=acme,
        name="Monthly newsletter",
        job_type="content",
        default_inputs={"contentType": "email", "topic": "What is new this month"},
        priority="high",
    )
    JobTemplate.objects.create(
        name="Other client's", job_type="content", client=None, is_active=False
    )
    html = (
        signed_in(alice)
        .get(reverse("new_job") + f"?template={template.pk}", **HTMX)
        .content.decode()
    )
    assert 'value="What is new this month"' in html
    assert '<option value="email" selected>' in html
    assert '<option value="high" selected>' in html
    assert 'value="Monthly newsletter"' in html  # the title starts as the template's name
    assert "Other client&#x27;s" not in html


def test_creating_a_job_queues_it_and_sends_the_browser_to_its_page(acme, alice):
    response = signed_in(alice).post(
        reverse("new_job"),
        {
            "submitted": "1",
            "jobType": "content",
            "client": str(acme.pk),
            "title": "Dialog post",
            "priority": "high",
            "inputData.contentType": "blog_post",
            "inputData.topic": "Packing for a long hike",
            "inputData.keywords": "hiking, packing list",
            "inputData.wordCount": "600",
            "autoProcess": "on",
        },
        **HTMX,
    )
    job = ProductionJob.objects.get(title="Dialog post")
    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse("job_detail", args=[job.pk])
    assert job.status == Status.QUEUED and job.priority == "high" and job.created_by == alice
    assert job.input_data["keywords"] == ["hiking", "packing list"]
    assert job.input_data["wordCount"] == 600


def test_leaving_start_right_away_unticked_keeps_the_job_pending(acme, alice):
    signed_in(alice).post(
        reverse("new_job"),
        {
            "submitted": "1",
            "jobType": "brand",
            "title": "Guidelines",
            "inputData.brandType": "voice",
        },
        **HTMX,
    )
    assert ProductionJob.objects.get(title="Guidelines").status == Status.PENDING


def test_bad_input_is_shown_next_to_its_field_and_nothing_is_created(acme, alice):
    response = signed_in(alice).post(
        reverse("new_job"),
        {
            "submitted": "1",
            "jobType": "content",
            "title": "Too short",
            "inputData.contentType": "blog_post",
            "inputData.topic": "ab",
            "inputData.wordCount": "lots",
        },
        **HTMX,
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert ProductionJob.objects.count() == 0
    topic_error = re.search(r'id="f-inputData-topic-error">([^<]+)<', html)
    count_error = re.search(r'id="f-inputData-wordCount-error">([^<]+)<', html)
    assert topic_error and "at least 3 characters" in topic_error.group(1)
    assert count_error and "whole number" in count_error.group(1)
    assert 'value="Too short"' in html  # what the person typed is kept


def test_a_missing_title_is_shown_next_to_the_title(acme, alice):
    response = signed_in(alice).post(
        reverse("new_job"),
        {
            "submitted": "1",
            "jobType": "seo",
            "title": " ",
            "inputData.seoType": "keywords",
            "inputData.topic": "Plumbing",
        },
        **HTMX,
    )
    assert response.status_code == 422
    assert re.search(r'id="f-title-error">A title is required', response.content.decode())
    assert ProductionJob.objects.count() == 0


# --- the detail panel ----------------------------------------------------------------------------


def test_the_detail_page_shows_header_pipeline_timeline_and_outputs(acme, alice, media_root):
    job = reviewed_job(acme, alice)
    html = signed_in(alice).get(reverse("job_detail", args=[job.pk])).content.decode()
    assert '<h1 id="job-title" title="Trail guide">Trail guide</h1>' in html
    assert 'data-status="review"' in html and "In review" in html
    assert 'class="pipeline-step state-done" data-step="write"' in html
    assert 'data-step="review" data-state="waiting"' in html
    assert "1 of 2 steps complete" in html
    assert 'class="output output-markdown"' in html and "<h1>" in html.split('class="prose"')[1]
    assert html.count('class="timeline-item"') == JobEvent.objects.filter(job=job).count()
    assert f"/jobs/{job.pk}/outputs/" in html and "/media/" not in html


def test_the_live_fragment_polls_while_the_job_is_active_and_slows_down_for_review(
    acme, alice, media_root
):
    client = signed_in(alice)
    job = make_job(acme, user=alice, auto_process=True)
    live = client.get(reverse("job_detail", args=[job.pk]), **HTMX).content.decode()
    assert 'id="job-poller"' in live and 'hx-trigger="live-change, every 1s"' in live
    assert 'id="job-pipeline" class="card pipeline" hx-swap-oob="true"' in live
    assert 'id="job-timeline" class="card timeline" hx-swap-oob="true"' in live
    assert "<html" not in live
    run_inline(job.pk)
    waiting = client.get(reverse("job_detail", args=[job.pk]) + "?seen=1-0", **HTMX)
    # In review the page keeps following the job (a decision, a new revision), more slowly.
    assert 'hx-trigger="live-change, every 5s"' in waiting.content.decode()
    assert "outputs-changed" in waiting["HX-Trigger"]  # a step finished since the last poll
    job.refresh_from_db()
    lifecycle.transition(job.pk, Status.CANCELLED)
    stopped = client.get(reverse("job_detail", args=[job.pk]), **HTMX)
    assert 'hx-trigger="live-change' not in stopped.content.decode()


def test_the_live_fragment_does_not_reload_outputs_when_nothing_finished(acme, alice):
    job = make_job(acme, user=alice, auto_process=True)
    job.refresh_from_db()
    seen = f"?seen=1-0-{job.status}"  # revision, steps finished, status
    response = signed_in(alice).get(reverse("job_detail", args=[job.pk]) + seen, **HTMX)
    assert "HX-Trigger" not in response


def test_a_failed_job_shows_its_error(acme, alice):
    job = job_in(acme, Status.FAILED)
    ProductionJob.objects.filter(pk=job.pk).update(error="The text provider timed out.")
    html = signed_in(alice).get(reverse("job_detail", args=[job.pk])).content.decode()
    assert "This job failed." in html and "The text provider timed out." in html


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (Status.PENDING, {"start", "cancel"}),
        (Status.PROCESSING, {"cancel"}),
        (Status.FAILED, {"retry", "delete", "cancel"}),
        (Status.CANCELLED, {"delete"}),
    ],
)
def test_it_offers_only_the_actions_the_status_allows(acme, alice, status, expected):
    job = job_in(acme, status)
    html = signed_in(alice).get(reverse("job_detail", args=[job.pk])).content.decode()
    offered = set(re.findall(rf'hx-post="/jobs/{job.pk}/actions/([a-z-]+)/"', html))
    assert offered == expected


def test_only_reviewers_are_offered_the_decision(acme, alice, rita, media_root):
    job = reviewed_job(acme, alice)
    url = reverse("job_detail", args=[job.pk])
    member = signed_in(alice).get(url).content.decode()
    reviewer = signed_in(rita).get(url).content.decode()
    assert "actions/approve/" not in member and "Waiting for a reviewer" in member
    # A reviewer reviews: the decision, and none of the ordering actions (issue 19, item 6).
    assert {"approve", "request-changes", "reject"} == set(
        re.findall(rf'hx-post="/jobs/{job.pk}/actions/([a-z-]+)/"', reviewer)
    )


def test_start_queues_a_pending_job_and_the_page_starts_polling(acme, alice):
    job = job_in(acme, Status.PENDING)
    response = signed_in(alice).post(reverse("job_action", args=[job.pk, "start"]), **HTMX)
    job.refresh_from_db()
    assert job.status == Status.QUEUED
    assert 'hx-trigger="live-change, every 1s"' in response.content.decode()


def test_a_refused_action_is_shown_in_an_alert(acme, alice):
    job = job_in(acme, Status.PROCESSING)
    response = signed_in(alice).post(reverse("job_action", args=[job.pk, "start"]), **HTMX)
    assert response.status_code == 422
    assert re.search(
        r'role="alert" id="action-error">This job cannot be started now: it is processing',
        response.content.decode(),
    )


def test_delete_removes_a_cancelled_job_and_returns_to_the_list(acme, alice):
    job = job_in(acme, Status.CANCELLED)
    response = signed_in(alice).post(reverse("job_action", args=[job.pk, "delete"]), **HTMX)
    assert response["HX-Redirect"] == reverse("dashboard")
    assert not ProductionJob.objects.filter(pk=job.pk).exists()


def test_delete_is_refused_for_an_active_job(acme, alice):
    job = job_in(acme, Status.PROCESSING)
    response = signed_in(alice).post(reverse("job_action", args=[job.pk, "delete"]), **HTMX)
    assert response.status_code == 422
    assert ProductionJob.objects.filter(pk=job.pk).exists()


def test_request_changes_needs_feedback_shown_next_to_the_textarea(acme, alice, rita, media_root):
    job = reviewed_job(acme, alice)
    response = signed_in(rita).post(
        reverse("job_action", args=[job.pk, "request-changes"]),
        {"feedback": "  ", "revision": "1"},
        **HTMX,
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert 'id="f-feedback-error"' in html and "Feedback is required" in html
    job.refresh_from_db()
    assert job.status == Status.REVIEW


def test_request_changes_starts_revision_2_and_the_earlier_outputs_stay_viewable(
    acme, alice, rita, media_root
):
    job = reviewed_job(acme, alice)
    client = signed_in(rita)
    response = client.post(
        reverse("job_action", args=[job.pk, "request-changes"]),
        {"feedback": "Mention the spring sale.", "revision": "1"},
        **HTMX,
    )
    job.refresh_from_db()
    assert job.revision == 2 and job.status == Status.QUEUED
    assert 'hx-trigger="live-change, every 1s"' in response.content.decode()
    run_inline(job.pk)
    page = client.get(reverse("job_detail", args=[job.pk])).content.decode()
    assert '<option value="1">Revision 1</option>' in page and "Revision 2 (latest)" in page
    first = client.get(
        reverse("job_partial", args=[job.pk, "outputs"]) + "?revision=1", **HTMX
    ).content.decode()
    first_ids = set(Output.objects.filter(job=job, revision=1).values_list("pk", flat=True))
    assert {int(i) for i in re.findall(r'id="output-(\d+)"', first)} == first_ids


def test_approve_completes_a_job_that_needs_no_sign_off(acme, alice, rita, media_root):
    job = reviewed_job(acme, alice)
    response = signed_in(rita).post(
        reverse("job_action", args=[job.pk, "approve"]), {"feedback": "", "revision": "1"}, **HTMX
    )
    job.refresh_from_db()
    assert response.status_code == 200
    assert job.truth_verified and not job.high_impact
    assert job.status == Status.COMPLETED
    assert 'data-step="review" data-state="done"' in response.content.decode()


# --- tenancy and files ---------------------------------------------------------------------------


def test_another_clients_job_is_404_everywhere(acme, globex, alice, bob, media_root):
    job = reviewed_job(acme, alice)
    output = Output.objects.filter(job=job).first()
    client = signed_in(bob)
    urls = [
        reverse("job_detail", args=[job.pk]),
        *(reverse("job_partial", args=[job.pk, part]) for part in LIVE_PARTS),
        reverse("output_file", args=[job.pk, output.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
        assert client.get(url, **HTMX).status_code == 404, url
    for action in ("start", "cancel", "approve", "delete"):
        assert client.post(reverse("job_action", args=[job.pk, action])).status_code == 404
    job.refresh_from_db()
    assert job.status == Status.REVIEW


def test_a_text_output_downloads_as_an_attachment(acme, alice, media_root):
    job = reviewed_job(acme, alice)
    output = Output.objects.filter(job=job, kind="markdown").first()
    response = signed_in(alice).get(reverse("output_file", args=[job.pk, output.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.content.decode() == output.text


def test_an_image_output_is_served_inline_only_when_asked(acme, alice, media_root):
    job = make_job(
        acme,
        user=alice,
        job_type="visual",
        inputs={"visualType": "banner", "headline": "Trail days"},
        auto_process=True,
    )
    run_inline(job.pk)
    image = Output.objects.get(job=job, kind="image")
    client = signed_in(alice)
    inline = client.get(reverse("output_file", args=[job.pk, image.pk]) + "?inline=1")
    download = client.get(reverse("output_file", args=[job.pk, image.pk]))
    assert inline["Content-Type"] == "image/png" and inline["Content-Disposition"].startswith(
        "inline"
    )
    assert b"".join(inline.streaming_content).startswith(b"\x89PNG")
    assert download["Content-Disposition"].startswith("attachment")
    page = client.get(reverse("job_detail", args=[job.pk])).content.decode()
    assert f'<img src="/jobs/{job.pk}/outputs/{image.pk}/file/?inline=1"' in page
    assert "of 1 complete" in page  # the fan-out step's item count


def test_picking_a_type_keeps_start_right_away_ticked_until_the_person_unticks_it(acme, alice):
    client = signed_in(alice)
    first = client.get(reverse("new_job"), **HTMX).content.decode()
    assert 'name="autoProcess"' not in first and 'name="submitted"' not in first
    picked = client.get(reverse("new_job") + "?jobType=content", **HTMX).content.decode()
    assert 'name="autoProcess" value="on" checked' in picked
    unticked = client.get(
        reverse("new_job") + "?jobType=brand&submitted=1", **HTMX
    ).content.decode()
    assert 'name="autoProcess" value="on">' in unticked
