"""The retention policy: old files of superseded and unapproved work go, approved work never does."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import django_rq
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.utils import timezone

from approvals.models import ApprovalRequest
from jobs.models import Output, ProductionJob
from notifications.models import Notification
from operations import retention, schedule
from operations.models import (
    BreakerEvent,
    RetentionPolicy,
    RetentionRun,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookMessage,
)
from publishing.models import Publication
from tests.factories import make_job, make_user


def aged(instance, days: float) -> None:  # noqa: ANN001
    type(instance).objects.filter(pk=instance.pk).update(
        created_at=timezone.now() - timedelta(days=days)
    )


def file_output(job: ProductionJob, revision: int, days: float, name: str | None = None) -> Output:
    """An image output with a real file in storage, `days` old."""
    body = f"PNG of job {job.pk} r{revision}".encode()
    path = default_storage.save(
        name or f"outputs/{job.client_id}/{job.pk}/r{revision}/render-0-banner.png",
        ContentFile(body),
    )
    output = Output.objects.create(
        job=job, step="render", revision=revision, kind="image", file=path, size_bytes=len(body)
    )
    aged(output, days)
    return output


def job_at(client, status: str, revision: int, title: str) -> ProductionJob:  # noqa: ANN001
    job = make_job(client, title=title)
    ProductionJob.objects.filter(pk=job.pk).update(status=status, revision=revision)
    job.refresh_from_db()
    return job


def approve(job: ProductionJob, revision: int, gate: str = "final") -> None:
    ApprovalRequest.objects.create(
        job=job, gate=gate, approval_type="final", revision=revision, status="approved"
    )


def on_disk(media: Path, output: Output) -> bool:
    return (media / output.file.name).exists()


@pytest.fixture
def files(acme, globex, media_root) -> dict[str, Output]:  # noqa: ANN001
    """Acme keeps files 30 days; Globex has no policy (files kept)."""
    RetentionPolicy.objects.create(client=acme, file_days=30)
    in_review = job_at(acme, "review", 2, "Reworked banner")
    delivered = job_at(acme, "completed", 3, "Delivered banner")
    approve(delivered, 1, gate="concept")
    approve(delivered, 3)
    failed = job_at(acme, "failed", 1, "Failed banner")
    fresh_failure = job_at(acme, "failed", 1, "Failed this week")
    cancelled_after_approval = job_at(acme, "cancelled", 1, "Approved then cancelled")
    approve(cancelled_after_approval, 1)
    old_globex = job_at(globex, "review", 2, "Globex banner")
    return {
        "superseded": file_output(in_review, 1, days=40),
        "live": file_output(in_review, 2, days=40),
        "approved_concept": file_output(delivered, 1, days=60),
        "superseded_unapproved": file_output(delivered, 2, days=50),
        "delivered": file_output(delivered, 3, days=45),
        "failed": file_output(failed, 1, days=31),
        "fresh_failure": file_output(fresh_failure, 1, days=5),
        "cancelled_approved": file_output(cancelled_after_approval, 1, days=90),
        "globex_superseded": file_output(old_globex, 1, days=400),
    }


EXPIRED = ("superseded", "superseded_unapproved", "failed")


@pytest.mark.django_db
def test_a_dry_run_lists_what_would_go_and_deletes_nothing(files, media_root, capsys):
    call_command("retention", "--dry-run")
    out = capsys.readouterr().out

    assert out.splitlines()[0].startswith("Would delete 3 files (")
    for key, output in files.items():
        assert on_disk(media_root, output), key
        assert (output.file.name in out) == (key in EXPIRED), key
    assert "revision 1 superseded by 2" in out
    assert "job failed, never approved" in out
    run = RetentionRun.objects.get()
    assert run.dry_run and not run.scheduled
    assert sorted(f["output"] for f in run.report["files"]) == sorted(files[k].pk for k in EXPIRED)


@pytest.mark.django_db
def test_it_deletes_old_superseded_and_failed_files_and_never_approved_or_live_work(
    files, media_root
):
    report = retention.apply(dry_run=False)

    assert len(report.files) == 3
    for key, output in files.items():
        row = Output.objects.get(pk=output.pk)
        if key in EXPIRED:
            assert not on_disk(media_root, output), key
            assert row.file.name == "" and row.size_bytes == 0
            assert row.metadata["retention"]["file"] == output.file.name
        else:
            assert on_disk(media_root, output), key
            assert row.file.name == output.file.name
    # Another pass finds nothing more.
    assert retention.apply(dry_run=False).files == []


@pytest.mark.django_db
def test_a_published_output_or_its_image_is_never_deleted(acme, files, media_root):
    superseded, failed = files["superseded"], files["failed"]
    Publication.objects.create(
        client=acme, job=superseded.job, revision=1, platform="wordpress",
        output=superseded, image=failed, status="published",
    )  # fmt: skip

    report = retention.apply(dry_run=False)

    assert on_disk(media_root, superseded) and on_disk(media_root, failed)
    assert [f["output"] for f in report.files] == [files["superseded_unapproved"].pk]


@pytest.mark.django_db
def test_a_client_without_a_policy_keeps_its_files_unless_a_default_is_set(
    files, media_root, settings
):
    retention.apply(dry_run=False)
    assert on_disk(media_root, files["globex_superseded"])

    settings.RETENTION_FILE_DAYS = 365
    retention.apply(dry_run=False)
    assert not on_disk(media_root, files["globex_superseded"])


@pytest.mark.django_db
def test_a_policy_of_zero_days_keeps_everything(acme, files, media_root):
    RetentionPolicy.objects.filter(client=acme).update(file_days=0)

    assert retention.apply(dry_run=False).files == []
    assert all(on_disk(media_root, output) for output in files.values())


@pytest.mark.django_db
def test_one_clients_pass_never_touches_another_clients_folder(acme, globex, media_root):
    RetentionPolicy.objects.create(client=acme, file_days=30)
    theirs = file_output(job_at(globex, "failed", 1, "Globex banner"), 1, days=40)
    ours = job_at(acme, "failed", 1, "Acme banner")
    # An acme row that names a file in Globex's folder (however it came to be) is refused.
    stray = file_output(ours, 1, days=40, name=f"outputs/{globex.pk}/{ours.pk}/stray.png")

    report = retention.apply(dry_run=False, client=acme)

    assert report.files == []
    assert on_disk(media_root, stray) and on_disk(media_root, theirs)
    assert report.refused == [
        f"acme: output {stray.pk} names {stray.file.name!r}, outside outputs/{acme.pk}/"
    ]


@pytest.mark.django_db
def test_old_operational_rows_go_and_recent_or_pending_ones_stay(acme, settings):
    settings.RETENTION_JOB_EVENT_DAYS = 0
    endpoint = WebhookEndpoint.objects.create(client=acme, url="http://127.0.0.1:9/hook")
    done = WebhookMessage.objects.create(client=acme, event_type="job.status_changed",
                                         source="e1", payload={})  # fmt: skip
    WebhookDelivery.objects.create(message=done, endpoint=endpoint, status="succeeded")
    pending = WebhookMessage.objects.create(client=acme, event_type="job.status_changed",
                                            source="e2", payload={})  # fmt: skip
    WebhookDelivery.objects.create(message=pending, endpoint=endpoint, status="pending")
    recent = WebhookMessage.objects.create(client=acme, event_type="job.status_changed",
                                           source="e3", payload={})  # fmt: skip
    for message in (done, pending):
        aged(message, 31)
    old_breaker = BreakerEvent.objects.create(provider="openai", state="open")
    BreakerEvent.objects.filter(pk=old_breaker.pk).update(
        created_at=timezone.now() - timedelta(days=91)
    )
    new_breaker = BreakerEvent.objects.create(provider="openai", state="closed")
    user = make_user("nora", acme, "member")
    old_note = Notification.objects.create(user=user, event="mention", channel="in_app",
                                           title="Old", url="/", key="k1")  # fmt: skip
    aged(old_note, 181)
    new_note = Notification.objects.create(user=user, event="mention", channel="in_app",
                                           title="New", url="/", key="k2")  # fmt: skip
    job_events = make_job(acme).events.count()

    dry = retention.apply(dry_run=True)
    assert dry.rows == {"webhook messages": 1, "breaker history rows": 1, "alert notices": 0,
                        "notifications": 1}  # fmt: skip
    assert WebhookMessage.objects.count() == 3

    retention.apply(dry_run=False)

    assert set(WebhookMessage.objects.values_list("pk", flat=True)) == {pending.pk, recent.pk}
    assert list(BreakerEvent.objects.values_list("pk", flat=True)) == [new_breaker.pk]
    assert list(Notification.objects.values_list("pk", flat=True)) == [new_note.pk]
    assert job_events and ProductionJob.objects.get().events.count() == job_events


@pytest.mark.django_db
def test_the_command_names_an_unknown_client():
    with pytest.raises(CommandError, match="No client has the slug 'nobody'"):
        call_command("retention", "--client", "nobody")


@pytest.mark.django_db
def test_the_days_pass_is_claimed_once_and_not_before_the_hour(settings):
    settings.RETENTION_HOUR = 23
    assert retention.claim_today(timezone.now().replace(hour=5)) is None

    settings.RETENTION_HOUR = 0
    assert retention.claim_today() is not None
    assert retention.claim_today() is None
    assert RetentionRun.objects.filter(scheduled=True).count() == 1


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_tick_queues_the_days_pass_and_a_worker_applies_it(
    files, media_root, settings, worker_factory
):
    settings.RETENTION_HOUR = 0

    assert "retention pass queued" in schedule.tick()
    assert "retention pass queued" not in schedule.tick()
    queued = django_rq.get_queue(settings.OPERATIONS_QUEUE).jobs
    assert [job.func_name for job in queued] == ["operations.tasks.apply_retention"]

    worker_factory(burst=True).wait(timeout=120)

    run = RetentionRun.objects.get(scheduled=True)
    assert run.finished_at is not None and not run.dry_run
    assert sorted(f["output"] for f in run.report["files"]) == sorted(files[k].pk for k in EXPIRED)
    for key, output in files.items():
        assert on_disk(media_root, output) == (key not in EXPIRED), key
