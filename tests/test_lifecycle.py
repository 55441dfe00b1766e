"""The status machine: every allowed transition succeeds, every forbidden one is refused."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jobs import lifecycle
from jobs.lifecycle import TRANSITIONS, TransitionNotAllowed
from jobs.models import JobEvent, ProductionJob, Status
from tests.factories import make_job

ALL = [s.value for s in Status]


def test_the_table_covers_all_ten_statuses():
    assert set(TRANSITIONS) == set(ALL)
    assert len(ALL) == 10
    # Completed work only ever goes back to review, when a fact it relied on is recalled.
    assert TRANSITIONS[Status.COMPLETED] == frozenset({Status.REVIEW})
    assert TRANSITIONS[Status.CANCELLED] == frozenset()


def test_a_forbidden_transition_names_the_job_and_both_statuses(acme):
    job = make_job(acme)
    with pytest.raises(TransitionNotAllowed) as caught:
        lifecycle.transition(job, Status.COMPLETED)
    message = str(caught.value)
    assert str(job.pk) in message and "pending" in message and "completed" in message
    assert caught.value.current == "pending" and caught.value.attempted == "completed"


def test_a_transition_writes_one_history_row_with_actor_and_note(acme, alice):
    job = make_job(acme)
    lifecycle.transition(job, Status.QUEUED, actor=alice, note="go")
    event = JobEvent.objects.filter(job=job, action="status_changed").get()
    assert (event.from_status, event.to_status, event.actor, event.note) == (
        "pending",
        "queued",
        alice,
        "go",
    )


@pytest.mark.django_db
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(targets=st.lists(st.sampled_from(ALL), min_size=1, max_size=14))
def test_random_action_sequences_follow_the_table_and_the_history_matches(acme, targets):
    job = make_job(acme, title="property job")
    path = [job.status]
    for target in targets:
        current = ProductionJob.objects.get(pk=job.pk).status
        if lifecycle.allowed(current, target):
            lifecycle.transition(job.pk, target)
            path.append(target)
        else:
            with pytest.raises(TransitionNotAllowed):
                lifecycle.transition(job.pk, target)
        assert ProductionJob.objects.get(pk=job.pk).status == path[-1]
    events = list(
        JobEvent.objects.filter(job=job, action="status_changed").values_list(
            "from_status", "to_status"
        )
    )
    assert events == list(zip(path, path[1:], strict=False))
