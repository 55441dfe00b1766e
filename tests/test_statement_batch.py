"""Batched writes store exactly the rows the ORM would, in order, and roll back as one."""

from __future__ import annotations

import re
import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection, connections, transaction
from django.db.models import Model
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jobs import lifecycle
from jobs.models import JobEvent, Output, ProductionJob, StepRun
from production.statement_batch import StatementBatch, read_together, reserved_ids_statement
from tests.factories import make_job

pytestmark = pytest.mark.django_db(transaction=True)

TRICKY_TEXT = 'It\'s 100% "quoted"; with a semicolon; -- and a comment\n\\ backslash 🍵 %s %(x)s'


def values(obj: Model, skip: tuple[str, ...] = ()) -> dict:
    return {
        f.attname: getattr(obj, f.attname)
        for f in obj._meta.concrete_fields
        if f.attname not in skip
    }


def test_batched_inserts_store_what_bulk_create_stores(acme):
    job = make_job(acme, title="Batched")

    def event(note: str) -> JobEvent:
        return JobEvent(
            job=job,
            action="content_generated",
            from_status="queued",
            to_status="queued",
            actor_label="worker",
            note=note,
            payload={"text": TRICKY_TEXT, "n": [1, 2.5, None, True]},
            revision=3,
        )

    via_orm = JobEvent.objects.bulk_create([event("orm one"), event("orm two")])
    batched = [event("batch one"), event("batch two")]
    with transaction.atomic():
        batch = StatementBatch()
        batch.insert(batched)
        assert JobEvent.objects.filter(note__startswith="batch").count() == 0  # not sent yet
        batch.flush()
    stored = {e.note: e for e in JobEvent.objects.filter(job=job)}
    for orm, ours in zip(via_orm, batched, strict=True):
        want = values(stored[orm.note], skip=("id", "note", "created_at"))
        got = values(stored[ours.note], skip=("id", "note", "created_at"))
        assert got == want
        assert ours.created_at is not None  # auto_now_add filled in, as save() would
        assert stored[ours.note].created_at == ours.created_at
    assert stored["batch one"].payload["text"] == TRICKY_TEXT


def test_a_batched_update_writes_only_the_named_fields(acme):
    job = make_job(acme, title="Before")
    other = ProductionJob.objects.get(pk=job.pk)
    other.description = "changed elsewhere"
    other.save(update_fields=["description"])
    job.title = TRICKY_TEXT[:200]
    job.cost_usd = Decimal("1.234567")
    job.safety_flags = [{"rule": "x", "text": TRICKY_TEXT}]
    job.started_at = timezone.now() - timedelta(minutes=3)
    with transaction.atomic():
        batch = StatementBatch()
        batch.update(job, ["title", "cost_usd", "safety_flags", "started_at"])
        batch.flush()
    stored = ProductionJob.objects.get(pk=job.pk)
    assert stored.title == TRICKY_TEXT[:200]
    assert stored.cost_usd == Decimal("1.234567")
    assert stored.safety_flags == job.safety_flags
    assert stored.started_at == job.started_at
    assert stored.description == "changed elsewhere"  # not among the fields: left alone


def test_a_batch_is_one_round_trip_on_postgresql_and_starts_with_its_prologue(acme):
    job = make_job(acme, title="Round trips")
    events = [JobEvent(job=job, action="x", note=str(i)) for i in range(3)]
    with transaction.atomic(), CaptureQueriesContext(connection) as captured:
        batch = StatementBatch(prologue=[("SELECT 1", [])])
        batch.flush()  # nothing to send: the prologue waits for real writes
        assert captured.captured_queries == []
        job.title = "Renamed"
        batch.update(job, ["title"])
        batch.insert(events)
        batch.flush()
        batch.update(job, ["title"])
        batch.flush()
    sent = [q["sql"] for q in captured.captured_queries]
    if connection.vendor == "postgresql":
        assert len(sent) == 2
        assert sent[0].startswith("SELECT 1; UPDATE") and "INSERT INTO" in sent[0]
        assert sent[1].startswith("UPDATE")  # the prologue goes once, with the first writes
    else:
        assert len(sent) == 4 and sent[0] == "SELECT 1"
    assert JobEvent.objects.filter(job=job, action="x").count() == 3


def test_a_failing_statement_rolls_back_the_whole_batch(acme):
    job = make_job(acme, title="Atomic")
    duplicate = StepRun.objects.create(job=job, step="write", revision=1)
    with pytest.raises(Exception), transaction.atomic():  # noqa: B017 - the backend's own error
        batch = StatementBatch()
        job.title = "Should not stick"
        batch.update(job, ["title"])
        batch.insert([JobEvent(job=job, action="y")])
        batch.insert([StepRun(job=job, step="write", revision=1)])  # violates one_run_per_step
        batch.flush()
    assert ProductionJob.objects.get(pk=job.pk).title == "Atomic"
    assert not JobEvent.objects.filter(job=job, action="y").exists()
    assert StepRun.objects.filter(job=job).get() == duplicate


def test_insert_now_gives_rows_their_keys_like_bulk_create(acme):
    job = make_job(acme, title="Keys")
    rows = [
        Output(job=job, step="write", item=i, kind="text", text=TRICKY_TEXT, metadata={"i": i})
        for i in range(3)
    ]
    StatementBatch().insert_now(rows)
    assert all(r.pk is not None and not r._state.adding for r in rows)
    for row in rows:
        stored = Output.objects.get(pk=row.pk)
        assert values(stored) == values(row)
    with pytest.raises(ValueError):
        StatementBatch().insert_now(rows)  # they have keys now


def test_mixed_rows_are_refused(acme):
    job = make_job(acme, title="Mixed")
    batch = StatementBatch()
    with pytest.raises(ValueError):
        batch.insert([JobEvent(job=job), Output(job=job)])
    with pytest.raises(ValueError):
        batch.insert([JobEvent(job=job, pk=10_001), JobEvent(job=job)])


def test_reserved_ids_let_rows_be_inserted_in_a_batch_with_their_keys(acme):
    job = make_job(acme, title="Reserved")
    reserve = reserved_ids_statement(Output, 3)
    if connection.vendor != "postgresql":
        assert reserve is None
        return
    with transaction.atomic():
        [rows] = read_together("default", [reserve])
        ids = sorted(r[0] for r in rows)
        assert len(set(ids)) == 3
        outputs = [
            Output(pk=pk, job=job, step="write", item=i, kind="text", text=TRICKY_TEXT)
            for i, pk in enumerate(ids)
        ]
        lifecycle_batch = StatementBatch()
        lifecycle_batch.insert(outputs)
        lifecycle_batch.flush()
    assert sorted(Output.objects.filter(job=job).values_list("pk", flat=True)) == ids
    later = Output.objects.create(job=job, step="write", item=9, kind="text")
    assert later.pk > max(ids)  # the sequence moved past the reserved keys


def test_read_together_sees_what_was_committed_while_it_waited_for_a_lock(acme):
    """The second SELECT runs after the first got its lock, so it reads the lock holder's
    committed change (each statement takes a fresh snapshot)."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks and statement snapshots are PostgreSQL's")
    job = make_job(acme, title="Contended")
    run = StepRun.objects.create(job=job, step="write", revision=1, attempt=1)
    locked = threading.Event()
    result: dict = {}

    def reader() -> None:
        locked.wait(10)
        try:
            with transaction.atomic():
                job_rows, step_rows = read_together(
                    "default",
                    [
                        lifecycle.locked_job_statement(job.pk),
                        ("SELECT attempt FROM jobs_steprun WHERE id = %s", [run.pk]),
                    ],
                )
                result["attempt"] = step_rows[0][0]
                result["job"] = lifecycle.locked_job_from_row(job_rows[0], acme)
        finally:
            connections.close_all()

    thread = threading.Thread(target=reader)
    thread.start()
    with transaction.atomic():
        lifecycle.lock_job(job.pk)
        locked.set()
        thread.join(0.5)  # the reader is now waiting for the lock
        assert thread.is_alive()
        StepRun.objects.filter(pk=run.pk).update(attempt=2)
    thread.join(10)
    assert result["attempt"] == 2
    assert result["job"].pk == job.pk and result["job"].client is acme


def test_statements_go_one_at_a_time_where_the_connection_cannot_send_them_together(
    acme, clean_queues, media_root, monkeypatch
):
    """Server-side binding (an OPTIONS choice) prepares each query: one statement per query."""
    from jobs import engine

    monkeypatch.setattr("production.statement_batch.sends_together", lambda connection: False)
    job = make_job(acme, title="One at a time", auto_process=True)
    run = StepRun.objects.get(job=job)
    with CaptureQueriesContext(connection) as captured:
        assert engine.run_step(run.pk, run.attempt) == "succeeded"
    assert not [
        q for q in captured.captured_queries if re.search(r"; (SELECT|UPDATE|INSERT)", q["sql"])
    ]
    job.refresh_from_db()
    assert job.status == "review"
    assert Output.objects.filter(job=job).count() == 1
    path = JobEvent.objects.filter(job=job, action="status_changed").order_by("id")
    assert list(path.values_list("to_status", flat=True)) == [
        "queued",
        "processing",
        "draft",
        "review",
    ]
