"""What a fault cost: jobs that finished, jobs lost, and work done twice."""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.db.models import Count

# Where a job rests when no worker owes it anything: a person's turn, or the end.
SETTLED = ("review", "approved", "completed", "failed", "cancelled")


@dataclass
class Audit:
    tries: int
    finished: int
    failed: int  # finished, but failed: its worker died on every attempt, say
    lost: int
    duplicated: int  # statuses entered twice and review requests opened twice
    orphan_files: int
    recovered_seconds: float | None
    detail: str = ""

    @property
    def clean(self) -> bool:
        return self.lost == 0 and self.duplicated == 0 and self.orphan_files == 0

    def line(self, name: str) -> str:
        recovered = "never" if self.recovered_seconds is None else f"{self.recovered_seconds:.1f} s"
        return (
            f"{name:<24} tries {self.tries:>4}  finished {self.finished:>4} "
            f"({self.failed} failed)  lost {self.lost:>3}  "
            f"duplicated {self.duplicated + self.orphan_files:>3} "
            f"({self.orphan_files} files)  recovered in {recovered}"
            + (f"  ({self.detail})" if self.detail else "")
        )


def settled_count(job_ids: list) -> int:
    from jobs.models import ProductionJob

    return ProductionJob.objects.filter(pk__in=job_ids, status__in=SETTLED).count()


def wait_under_way(job_ids: list, fraction: float = 0.2, timeout: float = 120) -> None:
    """Until some of the jobs are done, so that a fault lands on work in flight."""
    deadline = time.monotonic() + timeout
    while settled_count(job_ids) < fraction * len(job_ids) and time.monotonic() < deadline:
        time.sleep(0.05)


def wait_settled(job_ids: list, timeout: float) -> float | None:
    """Seconds until every job is settled, or None if some never are within the timeout."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if settled_count(job_ids) == len(job_ids):
            return time.monotonic() - started
        time.sleep(0.25)
    return None


def audit(job_ids: list, media_root: Path, recovered_seconds: float | None) -> Audit:
    from approvals.models import ApprovalRequest
    from jobs.models import JobEvent, Output, ProductionJob

    finished = settled_count(job_ids)
    # The database refuses a second output for a step's item, so work done twice shows as a
    # second entry into the same status in one revision, a second open review, or a file no
    # output names (written by a run whose result was thrown away).
    twice_entered = (
        JobEvent.objects.filter(job_id__in=job_ids, to_status__in=SETTLED)
        .exclude(from_status__in=SETTLED)
        .values("job_id", "revision", "to_status")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
    )
    twice_reviewed = (
        ApprovalRequest.objects.filter(job_id__in=job_ids)
        .values("job_id", "revision", "gate")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
    )
    named = set(
        Output.objects.filter(job_id__in=job_ids).exclude(file="").values_list("file", flat=True)
    )
    # A failed job's partial files are not work done twice (retention removes them later).
    failed = list(
        ProductionJob.objects.filter(pk__in=job_ids, status="failed").values_list("pk", flat=True)
    )
    delivered = [job_id for job_id in job_ids if job_id not in set(failed)]
    return Audit(
        tries=len(job_ids),
        finished=finished,
        failed=len(failed),
        lost=len(job_ids) - finished,
        duplicated=twice_entered + twice_reviewed,
        orphan_files=len(_orphans(media_root, named, delivered)),
        recovered_seconds=recovered_seconds,
        detail=_where_lost(job_ids),
    )


def _where_lost(job_ids: list, most: int = 5) -> str:
    """Where the unsettled jobs rest: their status and their open steps, for the person
    reading a failed run."""
    from jobs.models import ProductionJob, StepRun, StepStatus

    lost = ProductionJob.objects.filter(pk__in=job_ids).exclude(status__in=SETTLED)
    described = []
    for job in lost[:most]:
        steps = StepRun.objects.filter(job=job, revision=job.revision).exclude(
            status__in=(StepStatus.SUCCEEDED, StepStatus.SKIPPED)
        )
        open_steps = ", ".join(
            f"{run.step} {run.status} (attempt {run.attempt}, message {run.rq_job_id or 'none'})"
            for run in steps
        )
        described.append(f"job {job.pk} {job.status}: {open_steps or 'no open step'}")
    return "; ".join(described)


def _orphans(media_root: Path, named: set[str], job_ids: Iterable) -> list[Path]:
    """Files under the jobs' output folders that no output row names."""
    found = []
    ids = {str(job_id) for job_id in job_ids}
    for path in media_root.rglob("*"):
        if not path.is_file():
            continue
        relative = path.relative_to(media_root).as_posix()
        if any(part in ids for part in path.parts) and relative not in named:
            found.append(path)
    return found
