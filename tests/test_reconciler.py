"""The reconciler's bookkeeping beyond re-sending: stalled jobs and orphaned steps."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from jobs import services
from jobs.models import ProductionJob, StepRun
from jobs.reconciler import reconcile
from tests.factories import make_job

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_running_step_of_a_cancelled_job_whose_worker_died_is_closed(acme, clean_queues):
    job = make_job(acme, auto_process=True)
    run = StepRun.objects.get(job=job)
    StepRun.objects.filter(pk=run.pk).update(
        status="running", lease_expires_at=timezone.now() - timedelta(seconds=5)
    )
    services.job_cancel(job=ProductionJob.objects.get(pk=job.pk))
    assert StepRun.objects.get(pk=run.pk).status == "running"  # left for its worker
    report = reconcile()
    assert report.closed_orphans == 1
    assert StepRun.objects.get(pk=run.pk).status == "cancelled"


def test_a_live_running_step_of_a_cancelled_job_is_left_to_its_worker(acme, clean_queues):
    job = make_job(acme, auto_process=True)
    run = StepRun.objects.get(job=job)
    StepRun.objects.filter(pk=run.pk).update(
        status="running", lease_expires_at=timezone.now() + timedelta(seconds=30)
    )
    services.job_cancel(job=ProductionJob.objects.get(pk=job.pk))
    assert reconcile().closed_orphans == 0
    assert StepRun.objects.get(pk=run.pk).status == "running"


def test_steps_left_open_by_a_job_that_failed_elsewhere_are_closed(acme, clean_queues):
    """A step failed for good and failed its job: a sibling whose worker died, and one whose
    message was lost, would otherwise stay open for ever."""
    job = make_job(acme, auto_process=True)
    first = StepRun.objects.get(job=job)
    dead = StepRun.objects.create(
        job=job,
        step="dead-sibling",
        revision=job.revision,
        status="running",
        lease_expires_at=timezone.now() - timedelta(seconds=5),
    )
    alive = StepRun.objects.create(
        job=job,
        step="live-sibling",
        revision=job.revision,
        status="running",
        lease_expires_at=timezone.now() + timedelta(seconds=30),
    )
    ProductionJob.objects.filter(pk=job.pk).update(status="failed")

    assert reconcile().closed_orphans == 2
    statuses = dict(StepRun.objects.filter(job=job).values_list("pk", "status"))
    assert statuses[first.pk] == "cancelled"  # it was queued, its message gone with the job
    assert statuses[dead.pk] == "cancelled"
    assert statuses[alive.pk] == "running"  # its worker lives and will cancel it itself
