"""The reviewer queue and review pages: scoped, ordered, highlighted, diffed and decidable."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from approvals import selectors, services
from jobs.inline import run_inline
from jobs.models import JobEvent
from tests.factories import BLOG_INPUTS, login, produce

pytestmark = pytest.mark.django_db(transaction=True)

HEALTH_TOPIC = "Clinically proven recovery for trail runners"


@pytest.fixture(autouse=True)
def _queues(clean_queues):
    return clean_queues


def review_url(request) -> str:
    return reverse("reviews:review", args=[request.pk])


def decide_url(request) -> str:
    return reverse("reviews:decide", args=[request.pk])


# --- the queue ----------------------------------------------------------------------------------


def test_the_queue_lists_the_reviewer_s_clients_only_urgent_first(client, acme, globex, rita):
    routine = produce(acme, title="Routine post")
    urgent = produce(acme, title="Urgent post", priority="urgent")
    foreign = produce(globex, title="Globex post")
    login(client, rita)

    page = client.get(reverse("reviews:queue")).content.decode()

    assert urgent.title in page and routine.title in page and foreign.title not in page
    assert page.index(urgent.title) < page.index(routine.title)
    # It refreshes itself; app.js pauses that while rows are picked for a bulk decision.
    assert 'hx-trigger="every 5s"' in page and "js/htmx.min.js" in page
    assert review_url(services.pending_request_for(urgent)) in page


def test_htmx_polls_get_only_the_rows(client, acme, rita):
    job = produce(acme, title="Polled post")
    login(client, rita)

    response = client.get(reverse("reviews:queue"), HTTP_HX_REQUEST="true")

    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body and "<tr" in body and job.title in body
    assert [t.name for t in response.templates][0] == "approvals/_queue_rows.html"


def test_the_queue_says_when_nothing_is_waiting(client, acme, alice):
    produce(acme)
    login(client, alice)  # a member decides nothing, so nothing waits for them
    assert (
        "Nothing is waiting for your review."
        in client.get(reverse("reviews:queue")).content.decode()
    )


def test_owners_see_signoffs_that_reviewers_do_not(acme, rita, olga, gary, staff):
    job = produce(acme, high_impact=True)
    services.job_decide(job=job, user=rita, decision="approve")
    signoff = services.pending_request_for(job)
    assert signoff not in list(selectors.pending_for_reviewer(rita))
    assert signoff in list(selectors.pending_for_reviewer(olga))
    assert signoff in list(selectors.pending_for_reviewer(staff))
    assert list(selectors.pending_for_reviewer(gary)) == []


def test_the_queue_costs_the_same_queries_however_long_it_is(client, acme, rita):
    def rows_query_count() -> int:
        user = type(rita).objects.get(pk=rita.pk)  # fresh: no memoised roles
        with CaptureQueriesContext(connection) as queries:
            for item in selectors.pending_for_reviewer(user):
                assert item.job.client.name and item.job.title
        return len(queries)

    produce(acme, title="One")
    one = rows_query_count()
    for title in ("Two", "Three", "Four"):
        produce(acme, title=title)
    assert rows_query_count() == one == 2


# --- the review page ----------------------------------------------------------------------------


def test_the_review_page_highlights_and_explains_each_flag(client, acme, rita):
    job = produce(acme, inputs={**BLOG_INPUTS, "topic": HEALTH_TOPIC})
    request = services.pending_request_for(job)
    login(client, rita)

    page = client.get(review_url(request)).content.decode()

    # A health promise without evidence is never "verified safe", whatever the writer kept.
    assert job.safety_band in {"review_needed", "safety_concerns"}
    assert f'badge badge-{job.safety_band}" title="Safety score {job.safety_score} of 100"' in page
    assert 'Truth verified</dt><dd class="not-verified">No' in page
    assert '<mark class="flag flag-high" title="health_promise: ' in page
    assert ">clinically proven</mark>" in page.lower()
    assert "<strong>Health promise</strong>" in page
    assert (
        'name="feedback"' in page and f'name="expected_revision" value="{request.revision}"' in page
    )


def test_the_review_page_shows_the_diff_against_the_previous_revision(client, acme, rita):
    job = produce(acme)
    services.job_decide(
        job=job, user=rita, decision="request_changes", feedback="Mention free shipping"
    )
    run_inline(job.pk)
    second = services.pending_request_for(job)
    login(client, rita)

    page = client.get(review_url(second)).content.decode()

    assert "Changes since revision 1" in page
    inserted = [line for line in page.splitlines() if '<ins class="diff-ins">' in line]
    assert any("free shipping" in line.lower() for line in inserted)
    assert '<del class="diff-del">' in page
    assert "Revision 1: Changes requested by rita" in page


def test_the_review_page_shows_images(client, acme, rita, media_root):
    job = produce(
        acme,
        job_type="visual",
        inputs={"visualType": "banner", "headline": "Pack light", "sizes": ["1200x628"]},
    )
    request = services.pending_request_for(job)
    login(client, rita)
    page = client.get(review_url(request)).content.decode()
    image = job.outputs.get(kind="image")
    # Through the access-checked file route, never a bare /media/ link.
    assert f'<img src="/jobs/{job.pk}/outputs/{image.pk}/file/?inline=1"' in page
    assert "/media/" not in page
    assert client.get(f"/jobs/{job.pk}/outputs/{image.pk}/file/?inline=1").status_code == 200


def test_another_client_s_review_page_does_not_exist(client, acme, gary):
    request = services.pending_request_for(produce(acme))
    login(client, gary)
    assert client.get(review_url(request)).status_code == 404
    assert client.post(decide_url(request), {"decision": "approve"}).status_code == 404
    request.refresh_from_db()
    assert request.status == "pending"


def test_the_pages_need_a_signed_in_user(client, acme):
    request = services.pending_request_for(produce(acme))
    response = client.get(review_url(request))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


# --- deciding from the page ---------------------------------------------------------------------


def test_approving_from_the_page_redirects_to_the_queue_with_a_message(client, acme, rita):
    job = produce(acme, title="Approve me")
    request = services.pending_request_for(job)
    login(client, rita)

    response = client.post(
        decide_url(request), {"decision": "approve", "expected_revision": 1}, follow=True
    )

    assert response.redirect_chain[-1][0] == reverse("reviews:queue")
    assert "Approved “Approve me”." in response.content.decode()
    job.refresh_from_db()
    assert job.status == "completed"
    assert JobEvent.objects.get(job=job, action="decision.approved").actor == rita


def test_feedback_is_required_and_the_error_is_shown_inline(client, acme, rita):
    job = produce(acme)
    request = services.pending_request_for(job)
    login(client, rita)

    response = client.post(decide_url(request), {"decision": "request_changes", "feedback": ""})

    assert response.status_code == 400
    page = response.content.decode()
    assert '<p class="field-error" role="alert" id="feedback-error">Feedback is required' in page
    job.refresh_from_db()
    assert job.status == "review" and job.revision == 1


def test_a_stale_page_is_refused_as_content_changed(client, acme, rita):
    job = produce(acme)
    services.job_decide(job=job, user=rita, decision="request_changes", feedback="Shorter")
    run_inline(job.pk)
    second = services.pending_request_for(job)
    login(client, rita)

    response = client.post(decide_url(second), {"decision": "approve", "expected_revision": 1})

    assert response.status_code == 409
    assert "content changed" in response.content.decode()
    second.refresh_from_db()
    assert second.status == "pending"


def test_a_decision_someone_else_made_first_is_explained(client, acme, rita, olga):
    job = produce(acme)
    request = services.pending_request_for(job)
    services.decide(request_id=request.pk, user=olga, decision="approve")
    login(client, rita)

    response = client.post(
        decide_url(request), {"decision": "reject", "feedback": "No", "expected_revision": 1}
    )

    assert response.status_code == 409
    assert "olga already approved this request" in response.content.decode()


def test_a_member_sees_the_page_without_the_form_and_cannot_post(client, acme, alice):
    job = produce(acme)
    request = services.pending_request_for(job)
    login(client, alice)

    page = client.get(review_url(request)).content.decode()
    assert 'name="decision"' not in page and "Waiting for a reviewer of Acme Outdoor" in page
    response = client.post(decide_url(request), {"decision": "approve"})
    assert response.status_code == 403
    assert "Only a reviewer of Acme Outdoor can decide" in response.content.decode()


# --- the highlighting and diff helpers ----------------------------------------------------------


def test_overlapping_flags_share_a_run_and_bad_spans_are_ignored():
    text = "Email joe@example.com now"
    flags = [
        {
            "category": "personal_data",
            "severity": "medium",
            "message": "m",
            "start": 6,
            "end": 21,
            "excerpt": "joe@example.com",
        },
        {
            "category": "placeholder_text",
            "severity": "high",
            "message": "p",
            "start": 10,
            "end": 21,
            "excerpt": "example.com",
        },
        {
            "category": "placeholder_text",
            "severity": "high",
            "message": "x",
            "start": 0,
            "end": 5,
            "excerpt": "wrong",
        },
        {
            "category": "placeholder_text",
            "severity": "high",
            "message": "y",
            "start": 20,
            "end": 99,
        },
    ]
    segments = selectors.highlight(text, flags)
    assert "".join(s.text for s in segments) == text
    assert [(s.text, len(s.flags)) for s in segments] == [
        ("Email ", 0),
        ("joe@", 1),
        ("example.com", 2),
        (" now", 0),
    ]
    assert segments[2].severity == "high" and "personal_data: m" in segments[2].tooltip


def test_the_diff_marks_inserted_and_deleted_lines():
    lines = selectors.diff_lines("a\nb\nc", "a\nB\nc\nd")
    assert [(line.op, line.text) for line in lines if line.op in "+-"] == [
        ("-", "b"),
        ("+", "B"),
        ("+", "d"),
    ]
    assert selectors.diff_lines("same", "same") == []
