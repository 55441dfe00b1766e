"""The retention policy: old files of superseded revisions and of unapproved work, old rows.

Per client (RetentionPolicy, else RETENTION_FILE_DAYS, default 0 = keep): the files of outputs
older than the policy's days are deleted from storage when the output belongs to a superseded
revision or to a job that failed or was cancelled. The output row stays (its text, title and
checksum remain the record) with its file emptied and a note in its metadata.

Never deleted: the current revision of any job that is still live, approved or delivered; any
revision that was approved at any gate; any output a publication refers to; a file whose name
lies outside the client's own folder (outputs/<client id>/), which is refused and reported.

Operational rows older than their setting's days (0 keeps them) are deleted outright: webhook
messages with every delivery finished (RETENTION_WEBHOOK_DAYS, 30), breaker history
(RETENTION_BREAKER_DAYS, 90), alert notices (RETENTION_ALERT_DAYS, 90), notifications
(RETENTION_NOTIFICATION_DAYS, 180) and, only when set, the job history of finished jobs
(RETENTION_JOB_EVENT_DAYS, 0: the history is the audit trail).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from approvals.models import ApprovalRequest, ApprovalStatus
from jobs.models import TERMINAL_STATUSES, JobEvent, Output, Status
from operations import conf
from operations.models import (
    AlertNotice,
    BreakerEvent,
    DeliveryStatus,
    RetentionPolicy,
    RetentionRun,
    WebhookMessage,
)
from production.models import Client

log = logging.getLogger(__name__)

APPROVED = (ApprovalStatus.APPROVED, ApprovalStatus.APPROVED_WITH_CHANGES)
UNAPPROVED_ENDINGS = (Status.FAILED, Status.CANCELLED)


@dataclass
class Report:
    """What a pass deleted, or with `dry_run` would delete."""

    dry_run: bool
    files: list[dict[str, Any]] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)

    @property
    def file_bytes(self) -> int:
        return sum(f["bytes"] for f in self.files)

    def as_dict(self) -> dict[str, Any]:
        return {
            "dry_run": self.dry_run,
            "files": self.files,
            "file_bytes": self.file_bytes,
            "refused": self.refused,
            "rows": self.rows,
        }

    def lines(self) -> list[str]:
        verb = "Would delete" if self.dry_run else "Deleted"
        out = [
            f"{verb} {len(self.files)} file{'s' if len(self.files) != 1 else ''} "
            f"({_size(self.file_bytes)})."
        ]
        out += [
            f"  {f['client']}: {f['name']} ({_size(f['bytes'])}, {f['why']})" for f in self.files
        ]
        out += [f"Refused: {reason}" for reason in self.refused]
        for kind, n in self.rows.items():
            out.append(f"{verb} {n} {kind}.")
        return out


def _size(n: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024  # type: ignore[assignment]
    return f"{n} bytes"


def file_days_for(client: Client) -> int:
    policy = RetentionPolicy.objects.filter(client=client).values_list("file_days", flat=True)
    found = policy.first()
    return conf.retention_days("FILE", 0) if found is None else found


def _published_output_ids(client: Client) -> set[int]:
    """Outputs a publication refers to (its main output or its image), when publishing exists."""
    try:
        publication = apps.get_model("publishing", "Publication")
    except LookupError:
        return set()
    ids: set[int] = set()
    for name in ("output", "image"):
        try:
            publication._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        ids.update(
            publication.objects.filter(client=client, **{f"{name}__isnull": False}).values_list(
                f"{name}_id", flat=True
            )
        )
    return ids


def expired_files(client: Client, now: datetime) -> list[tuple[Output, str]]:
    """This client's outputs whose files the policy deletes now, each with why."""
    days = file_days_for(client)
    if not days:
        return []
    approved = set(
        ApprovalRequest.objects.filter(job__client=client, status__in=APPROVED).values_list(
            "job_id", "revision"
        )
    )
    published = _published_output_ids(client)
    candidates = (
        Output.objects.filter(job__client=client, created_at__lt=now - timedelta(days=days))
        .exclude(file="")
        .filter(Q(revision__lt=F("job__revision")) | Q(job__status__in=UNAPPROVED_ENDINGS))
        .select_related("job")
        .order_by("job_id", "revision", "id")
    )
    found = []
    for output in candidates:
        if (output.job_id, output.revision) in approved or output.pk in published:
            continue
        if output.revision < output.job.revision:
            why = f"revision {output.revision} superseded by {output.job.revision}"
        else:
            why = f"job {output.job.get_status_display().lower()}, never approved"
        found.append((output, why))
    return found


def _delete_file(output: Output, now: datetime) -> None:
    name = output.file.name
    if default_storage.exists(name):
        default_storage.delete(name)
    metadata = dict(output.metadata or {})
    metadata["retention"] = {
        "file": name,
        "bytes": output.size_bytes,
        "deleted_at": now.isoformat(),
    }
    Output.objects.filter(pk=output.pk, file=name).update(file="", size_bytes=0, metadata=metadata)


def _files(client: Client, report: Report, now: datetime) -> None:
    folder = f"outputs/{client.pk}/"
    for output, why in expired_files(client, now):
        name = output.file.name
        if not name.startswith(folder) or ".." in name.split("/"):
            report.refused.append(
                f"{client.slug}: output {output.pk} names {name!r}, outside {folder}"
            )
            continue
        if not report.dry_run:
            try:
                _delete_file(output, now)
            except OSError as exc:
                report.refused.append(f"{client.slug}: {name} could not be deleted: {exc}")
                continue
        report.files.append(
            {
                "client": client.slug,
                "output": output.pk,
                "name": name,
                "bytes": output.size_bytes,
                "why": why,
            }
        )


def _old_rows(now: datetime) -> dict[str, QuerySet[Any]]:
    """Each kind of operational row past its days, by the name the report gives it."""
    found: dict[str, QuerySet[Any]] = {}

    def older(name: str, default: int) -> datetime | None:
        days = conf.retention_days(name, default)
        return now - timedelta(days=days) if days else None

    if cutoff := older("WEBHOOK", 30):
        found["webhook messages"] = WebhookMessage.objects.filter(created_at__lt=cutoff).exclude(
            deliveries__status=DeliveryStatus.PENDING
        )
    if cutoff := older("BREAKER", 90):
        found["breaker history rows"] = BreakerEvent.objects.filter(created_at__lt=cutoff)
    if cutoff := older("ALERT", 90):
        found["alert notices"] = AlertNotice.objects.filter(created_at__lt=cutoff)
    if cutoff := older("NOTIFICATION", 180):
        notification = apps.get_model("notifications", "Notification")
        found["notifications"] = notification.objects.filter(created_at__lt=cutoff)
    if cutoff := older("JOB_EVENT", 0):
        found["job history rows"] = JobEvent.objects.filter(
            created_at__lt=cutoff, job__status__in=TERMINAL_STATUSES
        )
    return found


def apply(*, dry_run: bool, client: Client | None = None, now: datetime | None = None) -> Report:
    """One pass over every client (or one); the operational rows only when over every client."""
    now = now or timezone.now()
    report = Report(dry_run=dry_run)
    clients = [client] if client else list(Client.objects.order_by("slug"))
    for each in clients:
        _files(each, report, now)
    if client is None:
        for kind, rows in _old_rows(now).items():
            if dry_run:
                report.rows[kind] = rows.count()
            else:
                # Delete by id so one DELETE per kind, whatever the joins of the filter.
                report.rows[kind] = (
                    rows.model.objects.filter(pk__in=list(rows.values_list("pk", flat=True)))
                    .delete()[1]
                    .get(rows.model._meta.label, 0)
                )
    return report


def record(*, dry_run: bool, client: Client | None = None) -> Report:
    """Run a pass by hand (the command) and keep its report."""
    run = RetentionRun.objects.create(day=timezone.localdate(), dry_run=dry_run)
    report = apply(dry_run=dry_run, client=client)
    finish(run, report)
    return report


def finish(run: RetentionRun, report: Report) -> RetentionRun:
    run.report, run.finished_at = report.as_dict(), timezone.now()
    run.save(update_fields=["report", "finished_at"])
    log.info(
        "retention: %s",
        "; ".join(report.lines()[:1] + [f"{k}: {v}" for k, v in report.rows.items()]),
    )
    return run


def claim_today(now: datetime | None = None) -> RetentionRun | None:
    """The day's scheduled pass, for the first worker to ask from RETENTION_HOUR on."""
    local = timezone.localtime(now or timezone.now())
    if local.hour < conf.retention_hour():
        return None
    try:
        with transaction.atomic():
            return RetentionRun.objects.create(day=local.date(), scheduled=True)
    except IntegrityError:
        return None


def run_scheduled(run_id: int) -> str:
    run = RetentionRun.objects.get(pk=run_id)
    if run.finished_at is not None:
        return "already done"
    finish(run, apply(dry_run=False))
    return "; ".join(
        Report(**{k: run.report[k] for k in ("dry_run", "files", "refused", "rows")}).lines()[:1]
    )
