"""A client's success score comes from its jobs and decision history, in two queries."""

from __future__ import annotations

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from approvals import services
from jobs.inline import run_inline
from jobs.models import JobEvent, ProductionJob
from jobs.success import WEIGHTS, success_score
from tests.factories import PASSWORD, make_job


def add_job(client, status: str, safety: int | None = None) -> ProductionJob:
    return ProductionJob.objects.create(
        client=client, job_type="content", title=f"{status} job", status=status, safety_score=safety
    )


def decide(job: ProductionJob, action: str, revision: int = 1) -> None:
    JobEvent.objects.create(job=job, action=action, revision=revision, actor_label="test")


@pytest.mark.django_db
def test_it_has_no_score_for_a_client_without_jobs(acme):
    result = success_score(acme)
    assert result["score"] is None
    assert (result["in_production"], result["completed"], result["decided"]) == (0, 0, 0)
    assert result["approval_rate"] is None and result["first_pass_rate"] is None
    assert result["average_safety"] is None


@pytest.mark.django_db
def test_it_counts_rates_and_combines_them_with_the_documented_weights(acme, globex):
    first_pass = add_job(acme, "completed", safety=96)
    revised = add_job(acme, "completed", safety=84)
    add_job(acme, "review", safety=90)
    add_job(acme, "processing")
    add_job(acme, "pending")  # ordered but not started: not in production
    add_job(acme, "cancelled", safety=10)  # scored, so it counts towards the average
    decide(first_pass, "decision.approved")
    decide(first_pass, "decision.signed_off")
    decide(revised, "decision.changes_requested")
    decide(revised, "decision.auto_approved", revision=2)
    decide(revised, "decision.cancelled", revision=2)  # not a verdict on the work
    other = add_job(globex, "completed", safety=20)  # another client's history is ignored
    decide(other, "decision.rejected")

    add_job(acme, "failed")

    result = success_score(acme)

    # A job in review waits for a person: it is not counted as in production.
    assert (result["in_production"], result["in_review"]) == (1, 1)
    assert (result["completed"], result["failed"]) == (2, 1)
    # People decided three times and approved twice; the automatic approval is apart.
    assert (result["decided"], result["approved"], result["auto_approved"]) == (3, 2, 1)
    assert result["approval_rate"] == 0.6667
    assert result["first_pass_rate"] == 0.5
    assert result["average_safety"] == 70.0  # (96 + 84 + 90 + 10) / 4
    assert result["delivery_rate"] == 0.8  # one of five started jobs failed
    # 30 x 0.6667 + 20 x 0.5 + 20 x 0.70 + 15 x 0.8 + 15 x 0.5 (five jobs of ten) = 63.5
    assert result["score"] == 64
    assert [p["weight"] for p in result["parts"]] == list(WEIGHTS.values())
    assert result["weights"] == WEIGHTS and sum(WEIGHTS.values()) == 100


@pytest.mark.django_db
def test_it_leaves_out_what_cannot_be_measured_yet(acme):
    add_job(acme, "queued")
    add_job(acme, "review", safety=84)
    result = success_score(str(acme.pk))
    # Safety (0.84, weight 20), delivery (1.0, weight 15) and activity (0.2, weight 15) are
    # measured: (16.8 + 15 + 3) / 50.
    assert result["approval_rate"] is None and result["first_pass_rate"] is None
    assert result["score"] == 70
    left_out = [p["name"] for p in result["parts"] if p["percent"] is None]
    assert left_out == ["approval_rate", "first_pass_rate"]


@pytest.mark.django_db
def test_it_runs_two_queries_however_much_history_there_is(acme, django_assert_num_queries):
    for index in range(30):
        job = add_job(acme, ("completed", "review", "revision")[index % 3], safety=90)
        decide(job, "decision.approved")
        decide(job, "decision.rejected", revision=2)
    with django_assert_num_queries(2):
        result = success_score(acme.pk)
    assert result["decided"] == 60 and result["first_pass_rate"] == 1.0


@pytest.mark.django_db(transaction=True)
def test_it_reads_the_decisions_the_review_services_record(acme, rita, clean_queues):
    approved = make_job(acme, title="Approved first time", auto_process=True)
    revised = make_job(acme, title="Needed a second go", auto_process=True)
    for job in (approved, revised):
        run_inline(job.pk)
    services.job_decide(job=approved, user=rita, decision="approve")
    services.job_decide(
        job=revised, user=rita, decision="request_changes", feedback="Mention free shipping"
    )
    run_inline(revised.pk)
    services.job_decide(job=revised, user=rita, decision="approve")

    result = success_score(acme)

    assert result["completed"] == 2 and result["in_production"] == result["in_review"] == 0
    assert (result["decided"], result["approved"]) == (3, 2)
    assert result["first_pass_rate"] == 0.5
    assert result["average_safety"] is not None and 0 < result["score"] <= 100


@pytest.mark.django_db
def test_the_dashboard_shows_the_current_clients_score_but_the_polled_list_does_not(acme, alice):
    job = add_job(acme, "completed", safety=96)
    decide(job, "decision.approved")
    client = HttpClient()
    assert client.login(username="alice", password=PASSWORD)

    page = client.get(reverse("dashboard")).content.decode()
    fragment = client.get(reverse("dashboard"), HTTP_HX_REQUEST="true").content.decode()

    expected = success_score(acme)["score"]
    assert f'data-score="{expected}"' in page and 'id="success-score"' in page
    assert "Approved by people</dt><dd>100%" in page
    assert "How the score is made" in page
    assert 'id="success-score"' not in fragment


@pytest.mark.django_db
def test_automatic_approvals_and_a_failure_do_not_make_a_perfect_score(acme, alice):
    for _ in range(3):
        job = add_job(acme, "completed", safety=97)
        decide(job, "decision.auto_approved")
    add_job(acme, "failed")

    result = success_score(acme)

    assert result["approval_rate"] is None  # no person has approved anything yet
    assert result["auto_approved"] == 3 and result["failed"] == 1
    assert result["score"] < 100
    client = HttpClient()
    assert client.login(username="alice", password=PASSWORD)
    page = client.get(reverse("dashboard")).content.decode()
    assert 'title="No decision by a person yet">–' in page
    assert '<dd data-count="auto_approved">3</dd>' in page
    assert '<dd data-count="failed">1</dd>' in page
