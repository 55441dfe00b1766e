"""Priority queues and enqueue-on-commit."""

from __future__ import annotations

import django_rq
import pytest
from django.db import transaction
from rq.worker import SimpleWorker

from jobs.models import ProductionJob, StepRun
from jobs.queues import queue_names
from tests.factories import make_job


def queue_lengths() -> dict[str, int]:
    return {name: len(django_rq.get_queue(name)) for name in queue_names()}


def test_a_worker_serves_the_queues_urgent_first():
    assert queue_names() == ("urgent", "high", "normal", "low")


@pytest.mark.django_db(transaction=True)
def test_urgent_work_is_processed_before_low_work_when_both_wait(acme, clean_queues, media_root):
    low = make_job(acme, title="low", priority="low", auto_process=True)
    normal = make_job(acme, title="normal", priority="normal", auto_process=True)
    urgent = make_job(acme, title="urgent", priority="urgent", auto_process=True)
    assert queue_lengths() == {"urgent": 1, "high": 0, "normal": 1, "low": 1}
    queues = [django_rq.get_queue(name) for name in queue_names()]
    SimpleWorker(queues, connection=clean_queues).work(burst=True)
    started = {
        run.job.title: run.started_at
        for run in StepRun.objects.select_related("job").filter(job__in=[low, normal, urgent])
    }
    assert started["urgent"] < started["normal"] < started["low"]
    assert set(ProductionJob.objects.values_list("status", flat=True)) == {"review"}


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_transaction_enqueues_nothing(acme, clean_queues):
    with pytest.raises(RuntimeError), transaction.atomic():
        make_job(acme, title="doomed", auto_process=True)
        raise RuntimeError("the request failed after creating the job")
    assert queue_lengths() == {"urgent": 0, "high": 0, "normal": 0, "low": 0}
    assert not ProductionJob.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_committed_job_is_enqueued_once_with_ids_only(acme, clean_queues):
    job = make_job(acme, title="sent", auto_process=True)
    queue = django_rq.get_queue("normal")
    [rq_job] = queue.get_jobs()
    run = StepRun.objects.get(job=job)
    assert rq_job.id == run.rq_job_id
    assert rq_job.args == (run.pk, 1)
