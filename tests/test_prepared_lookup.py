"""Prepared lookups return exactly what the ORM returns, related objects included."""

from __future__ import annotations

import uuid

import pytest
from django.db import transaction
from django.db.models import Model
from django.db.transaction import TransactionManagementError

from jobs.inline import run_inline
from jobs.models import ProductionJob, StepRun
from production.prepared import PreparedLookup
from tests.factories import make_job

pytestmark = pytest.mark.django_db(transaction=True)

STEP_WITH_JOB = PreparedLookup(
    lambda pk: StepRun.objects.select_related("job__client").filter(pk=pk)
)
LOCKED_JOB = PreparedLookup(
    lambda pk: (
        ProductionJob.objects.select_for_update(of=("self",)).select_related("client").filter(pk=pk)
    )
)


def values(obj: Model) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def test_a_prepared_lookup_builds_the_same_objects_as_the_orm(acme, clean_queues, media_root):
    job = make_job(acme, title="Compared", auto_process=True)
    run_inline(job.pk)  # fills datetimes, decimals, JSON and the safety fields
    run = StepRun.objects.get(job=job)
    expected = StepRun.objects.select_related("job__client").get(pk=run.pk)
    for _ in range(2):  # the second call runs the statement compiled by the first
        got = STEP_WITH_JOB.get(run.pk)
        assert values(got) == values(expected)
        assert values(got.job) == values(expected.job)
        assert values(got.job.client) == values(expected.job.client)
        assert got.job.client.brand() == expected.job.client.brand()
        assert got._state.adding is False and got._state.db == "default"


def test_a_prepared_lock_needs_a_transaction_and_finds_uuid_keys(acme):
    job = make_job(acme, title="Locked")
    with pytest.raises(TransactionManagementError):
        LOCKED_JOB.get(job.pk)
    with transaction.atomic():
        locked = LOCKED_JOB.get(str(job.pk))
        assert locked.pk == job.pk and locked.client.pk == acme.pk
        locked.title = "Saved through the prepared instance"
        locked.save(update_fields=["title"])
    assert ProductionJob.objects.get(pk=job.pk).title == "Saved through the prepared instance"


def test_a_missing_key_is_none_or_does_not_exist(db):
    assert STEP_WITH_JOB.first(987_654) is None
    with transaction.atomic(), pytest.raises(ProductionJob.DoesNotExist):
        LOCKED_JOB.get(uuid.uuid4())


def test_a_lookup_with_other_parameters_is_refused(db):
    other = PreparedLookup(lambda pk: StepRun.objects.filter(pk=pk, status="queued"))
    with pytest.raises(ValueError, match="filters on its key only"):
        other.first(1)
