"""The StepRun state machine: every allowed transition succeeds, every forbidden one is refused,
and nothing outside the table writes a step run's status."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jobs.engine import states
from jobs.engine.states import INITIAL, TRANSITIONS, StepTransitionNotAllowed
from jobs.models import STEP_DONE_STATUSES, StepRun, StepStatus
from tests.factories import make_job

ALL = [s.value for s in StepStatus]
ROOT = Path(__file__).resolve().parent.parent


def test_the_table_covers_all_seven_statuses_and_done_is_final():
    assert set(TRANSITIONS) == set(ALL)
    assert len(ALL) == 7
    for done in STEP_DONE_STATUSES:
        assert TRANSITIONS[done] == frozenset()
    assert set(ALL) >= INITIAL


def test_every_status_can_be_reached_from_a_new_run():
    reached, frontier = set(INITIAL), list(INITIAL)
    while frontier:
        for target in TRANSITIONS[frontier.pop()]:
            if target not in reached:
                reached.add(target)
                frontier.append(target)
    assert reached == set(ALL)


def test_a_forbidden_move_names_the_step_and_both_statuses(acme):
    job = make_job(acme)
    run = states.create(job=job, step="write", revision=1, status=StepStatus.QUEUED)
    with pytest.raises(StepTransitionNotAllowed) as caught:
        states.move(run, StepStatus.SUCCEEDED)
    message = str(caught.value)
    assert "write" in message and "queued" in message and "succeeded" in message
    assert "allowed from queued: cancelled, queued, running" in message
    assert StepRun.objects.get(pk=run.pk).status == StepStatus.QUEUED


def test_a_run_cannot_be_created_running(acme):
    job = make_job(acme)
    with pytest.raises(StepTransitionNotAllowed, match="new step run may start as"):
        states.create(job=job, step="write", revision=1, status=StepStatus.RUNNING)
    assert not StepRun.objects.filter(job=job).exists()


def test_a_conditional_update_refuses_a_forbidden_source_before_writing(acme):
    job = make_job(acme)
    run = states.create(job=job, step="write", revision=1, status=StepStatus.SUCCEEDED)
    with pytest.raises(StepTransitionNotAllowed, match="from succeeded to queued"):
        states.move_where(StepRun.objects.filter(pk=run.pk), StepStatus.SUCCEEDED, "queued")
    assert StepRun.objects.get(pk=run.pk).status == StepStatus.SUCCEEDED


def test_a_conditional_update_moves_only_runs_in_its_sources(acme):
    job = make_job(acme)
    queued = states.create(job=job, step="a", revision=1, status=StepStatus.QUEUED)
    waiting = states.create(job=job, step="b", revision=1, status=StepStatus.WAITING)
    moved = states.move_where(
        StepRun.objects.filter(job=job), StepStatus.QUEUED, StepStatus.RUNNING
    )
    assert moved == 1
    assert StepRun.objects.get(pk=queued.pk).status == StepStatus.RUNNING
    assert StepRun.objects.get(pk=waiting.pk).status == StepStatus.WAITING


@pytest.mark.django_db
@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    start=st.sampled_from(sorted(INITIAL)),
    targets=st.lists(st.sampled_from(ALL), min_size=1, max_size=14),
    conditional=st.lists(st.booleans(), min_size=14, max_size=14),
)
def test_random_transition_sequences_follow_the_table(acme, start, targets, conditional):
    job = make_job(acme, title="step property job")
    StepRun.objects.filter(job=job).delete()
    run = states.create(job=job, step="write", revision=1, status=start)
    path = [start]
    for target, by_update in zip(targets, conditional, strict=False):
        current = StepRun.objects.get(pk=run.pk).status
        legal = states.allowed(current, target)
        if by_update:
            if legal:
                assert states.move_where(StepRun.objects.filter(pk=run.pk), current, target) == 1
            else:
                with pytest.raises(StepTransitionNotAllowed):
                    states.move_where(StepRun.objects.filter(pk=run.pk), current, target)
        else:
            loaded = StepRun.objects.get(pk=run.pk)
            if legal:
                states.move(loaded, target)
            else:
                with pytest.raises(StepTransitionNotAllowed):
                    states.move(loaded, target)
                assert loaded.status == current  # a refused move leaves the instance alone
        if legal:
            path.append(target)
        assert StepRun.objects.get(pk=run.pk).status == path[-1]
    # Once done (succeeded or skipped), a step run stays done.
    first_done = next((i for i, s in enumerate(path) if s in STEP_DONE_STATUSES), None)
    if first_done is not None:
        assert path[first_done:] == [path[first_done]]


# A status written anywhere but the state machine: an update or create naming a status, or
# an assignment to a run's status.
DIRECT_WRITE = re.compile(
    r"\.update\([^)]*\bstatus=StepStatus\.|"
    r"StepRun\.objects\.(create|bulk_create|update_or_create|get_or_create)\(|"
    r"\brun\.status\s*=(?!=)|(?<!class )\bStepRun\(",
    re.MULTILINE,
)


def test_nothing_writes_a_step_status_but_the_state_machine():
    offenders = []
    paths = [p for app in ("jobs", "approvals", "dashboards") for p in (ROOT / app).rglob("*.py")]
    for path in sorted(paths):
        if "migrations" in path.parts or path.name == "states.py":
            continue
        for match in DIRECT_WRITE.finditer(path.read_text()):
            line = path.read_text().count("\n", 0, match.start()) + 1
            offenders.append(f"{path.relative_to(ROOT)}:{line}: {match.group(0)}")
    assert offenders == []


def test_a_skipped_step_is_told_by_its_status_never_by_its_error_text():
    sources = [p.read_text() for app in ("jobs", "dashboards") for p in (ROOT / app).rglob("*.py")]
    assert not [s for s in sources if re.search(r"error\.startswith\(", s)]
