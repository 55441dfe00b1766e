"""The demo data gives every demo login something to do in its first minute."""

from __future__ import annotations

import pytest

from approvals.models import ApprovalRequest, ApprovalStatus
from jobs.demo_jobs import seed_jobs
from jobs.models import ProductionJob, Status
from production.demo import seed_clients

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def seeded(media_root, clean_queues):
    clients = seed_clients()
    seed_jobs(clients)
    return clients


def test_each_demo_login_starts_with_work(seeded):
    northwind = seeded["northwind"]
    pending = ApprovalRequest.objects.filter(job__client=northwind, status=ApprovalStatus.PENDING)
    # The reviewer's queue is not empty: the flagged superlative was not auto-approved.
    assert pending.filter(approver_role="reviewer").exists()
    # The owner has a high-impact job approved by the reviewer, waiting for sign-off.
    signoff = pending.get(approver_role="owner")
    assert signoff.job.high_impact and signoff.job.status == Status.APPROVED
    # The member's video is queued for the workers, who start on it at once.
    video = ProductionJob.objects.get(client=northwind, job_type="video")
    assert video.status == Status.QUEUED and video.created_by.username == "northwind-member"
    statuses = set(ProductionJob.objects.values_list("status", flat=True))
    assert {Status.PENDING, Status.QUEUED, Status.REVIEW, Status.APPROVED} <= statuses


def test_seeding_twice_adds_nothing(seeded):
    count = ProductionJob.objects.count()
    assert seed_jobs(seeded) == 0
    assert ProductionJob.objects.count() == count
