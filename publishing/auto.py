"""Automatic publishing: when a job becomes approved (or completed, for high-impact work), its
deliverable goes to each of the client's accounts set to publish automatically.

The engine writes several history rows per step, so the listener asks no database question,
only Redis (auto_clients.py). The work itself runs in a worker, after the engine's commit.
"""

from __future__ import annotations

from typing import Any

from jobs import lifecycle
from jobs.models import JobEvent, ProductionJob, Status
from publishing import auto_clients, services
from publishing.eligibility import publish_blocker, publishable
from publishing.models import Connection, Platform, Publication
from publishing.queueing import send_auto_on_commit

TRIGGERS = (Status.APPROVED, Status.COMPLETED)


def on_job_event(sender: Any, instance: JobEvent, created: bool, **kwargs: Any) -> None:
    if not created or kwargs.get("raw") or instance.action != "status_changed":
        return
    if instance.to_status in TRIGGERS and instance.from_status != instance.to_status:
        job = instance.job
        if auto_clients.wanted(job.client_id):
            send_auto_on_commit(job.pk, job.priority)


def publish_automatically(job_id: Any) -> int:
    """Publications requested for the job's automatic accounts (each account once a revision)."""
    job = ProductionJob.objects.select_related("client").filter(pk=job_id).first()
    if job is None or publish_blocker(job):
        return 0
    made = 0
    for connection in Connection.objects.filter(
        client=job.client, is_active=True, auto_publish=True
    ):
        if Publication.objects.filter(
            connection=connection, job=job, revision=job.revision
        ).exists():
            continue
        outputs = publishable(job, connection.platform)
        if not outputs:
            continue  # nothing this platform takes (a blog post has no video)
        try:
            services.publication_request(
                job=job, user=None, connection=connection, output=outputs[0]
            )
            made += 1
        except services.PublishingError as exc:
            lifecycle.record_event(
                job,
                "publish_failed",
                actor_label="publisher",
                note=f"Automatic publishing to {Platform(connection.platform).label} "
                f"({connection.name}) skipped: {exc.message}",
            )
    return made
