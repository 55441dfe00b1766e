"""Reviewers deciding the same request at the same moment: exactly one decision is recorded.

Each thread has its own database connection and all start together at a barrier, so on
PostgreSQL (DATABASE_URL) the decisions really contend for the row locks; on SQLite the
writers queue on the database lock. Either way only one may win.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection

from approvals import services
from jobs.inline import run_inline
from jobs.models import JobEvent, ProductionJob
from tests.factories import make_job, make_user

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _queues(clean_queues):
    return clean_queues


def produce(client) -> ProductionJob:
    job = make_job(client, auto_process=True)
    run_inline(job.pk)
    job.refresh_from_db()
    assert job.status == "review"
    return job


def race(attempts: list[dict[str, Any]]) -> list[Any]:
    """Run each decide(**attempt) in its own thread, all released at once."""
    barrier = threading.Barrier(len(attempts))
    results: list[Any] = [None] * len(attempts)

    def attempt(index: int, kwargs: dict[str, Any]) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = services.decide(**kwargs)
        except Exception as error:  # noqa: BLE001 - the test inspects what each thread got
            results[index] = error
        finally:
            connection.close()

    threads = [
        threading.Thread(target=attempt, args=(i, kwargs)) for i, kwargs in enumerate(attempts)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return results


def decision_events(job: ProductionJob) -> list[JobEvent]:
    return list(JobEvent.objects.filter(job=job, action__startswith="decision."))


def test_two_reviewers_deciding_at_once_record_exactly_one_decision(acme, rita, olga):
    job = produce(acme)
    request = services.pending_request_for(job)

    results = race(
        [
            {"request_id": request.pk, "user": rita, "decision": "approve"},
            {
                "request_id": request.pk,
                "user": olga,
                "decision": "request_changes",
                "feedback": "Mention free shipping",
            },
        ]
    )

    won = [r for r in results if not isinstance(r, Exception)]
    lost = [r for r in results if isinstance(r, Exception)]
    assert len(won) == 1 and len(lost) == 1, results
    assert isinstance(lost[0], services.AlreadyDecided)
    request.refresh_from_db()
    winner = won[0]
    assert request.status == winner.status and request.decided_by_id == winner.decided_by_id
    assert f"{request.decided_by_label} already" in lost[0].message
    [event] = decision_events(job)
    assert event.actor_id == winner.decided_by_id
    job.refresh_from_db()
    if winner.status == "approved":
        assert (job.status, job.revision) == ("completed", 1)
    else:
        assert (job.status, job.revision) == ("queued", 2)


def test_many_reviewers_at_once_still_record_one_decision(acme):
    job = produce(acme)
    request = services.pending_request_for(job)
    reviewers = [make_user(f"reviewer{i}", acme, "reviewer") for i in range(5)]

    results = race(
        [
            {"request_id": request.pk, "user": user, "decision": "reject", "feedback": f"No {i}"}
            for i, user in enumerate(reviewers)
        ]
    )

    assert sum(not isinstance(r, Exception) for r in results) == 1, results
    assert all(isinstance(r, services.AlreadyDecided) for r in results if isinstance(r, Exception))
    assert len(decision_events(job)) == 1
    job.refresh_from_db()
    assert (job.status, job.revision) == ("revision", 1)  # a rejection stops the loop


def test_a_double_click_is_idempotent_even_when_both_submissions_race(acme, rita):
    job = produce(acme)
    request = services.pending_request_for(job)
    submission = {
        "request_id": request.pk,
        "user": rita,
        "decision": "request_changes",
        "feedback": "Shorter, please",
    }

    results = race([submission, dict(submission)])

    assert not any(isinstance(r, Exception) for r in results), results
    assert {r.pk for r in results} == {request.pk}
    assert len(decision_events(job)) == 1
    job.refresh_from_db()
    assert job.revision == 2
