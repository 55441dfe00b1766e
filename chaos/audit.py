"""What a fault cost: jobs that finished, jobs lost, and work done twice."""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.db.models import Count

# Where a job rests when no worker owes it anything: a person's turn, or the end.
SETTLED = ("review", "approved", "completed", "failed", "cancelled")
# Where a job's work has ended: none of its steps may still be open then.
ENDED = ("failed", "cancelled")
OPEN = ("queued", "running", "waiting")


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
    # What else the scenario found wrong (a step left open, a message no person can read).
    problems: list[str] = field(default_factory=list)
    # How the line names the wait: recovering from a fault, or settling after one.
    waited: str = "recovered in"

    @property
    def clean(self) -> bool:
        return (
            self.lost == 0 and self.duplicated == 0 and self.orphan_files == 0 and not self.problems
        )

    def line(self, name: str) -> str:
        recovered = "never" if self.recovered_seconds is None else f"{self.recovered_seconds:.1f} s"
        notes = "; ".join(filter(None, [self.detail, *self.problems[:5]]))
        return (
            f"{name:<24} tries {self.tries:>4}  finished {self.finished:>4} "
            f"({self.failed} failed)  lost {self.lost:>3}  "
            f"duplicated {self.duplicated + self.orphan_files:>3} "
            f"({self.orphan_files} files)  {self.waited} {recovered}"
            + (f"  ({notes})" if notes else "")
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


def open_steps_of_ended(job_ids: list) -> int:
    """Steps still queued, running or waiting on jobs that have failed or been cancelled."""
    from jobs.models import StepRun

    return StepRun.objects.filter(
        job_id__in=job_ids, job__status__in=ENDED, status__in=OPEN
    ).count()


def wait_closed(job_ids: list, timeout: float) -> float | None:
    """Seconds until every job is settled and no ended job has a step still open (the steps
    that ran beside a failed one finish or are cancelled after it), or None at the timeout."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if settled_count(job_ids) == len(job_ids) and open_steps_of_ended(job_ids) == 0:
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


# An exception's name in a message meant for a person ("SpeechError", "Traceback (most...").
_EXCEPTION_NAME = re.compile(r"\b[A-Z]\w*(?:Error|Exception|Exhausted|Unavailable)\b|Traceback")
CLOSED = ("cancelled", "skipped", "failed")


def permanent_failure_audit(
    faulted: list, others: list, media_root: Path, settled_seconds: float | None
) -> Audit:
    """The usual audit, and what a step that fails the same way on every attempt must leave:
    each `faulted` job failed at that step on its first attempt, its error names the step in
    words (no exception's name), every step after it closed or never opened, none of its
    steps still open; and no job of `others` failed."""
    from jobs.dag import Dag
    from jobs.models import ProductionJob, StepRun
    from jobs.workflows import workflow_for

    result = audit([*faulted, *others], media_root, settled_seconds)
    result.waited = "settled in"
    problems: list[str] = []
    # Steps after the failed one that never opened; steps beside it (neither before nor
    # after it) by how they ended.
    never_opened = 0
    beside: Counter[str] = Counter()
    for job in ProductionJob.objects.filter(pk__in=faulted):
        if job.status != "failed":
            problems.append(f"job {job.pk} with the fault ended {job.status}, not failed")
            continue
        runs = {r.step: r for r in StepRun.objects.filter(job=job, revision=job.revision)}
        failed = [r for r in runs.values() if r.status == "failed"]
        if len(failed) != 1:
            problems.append(f"job {job.pk} failed with {len(failed)} failed steps, not one")
            continue
        run = failed[0]
        steps = {s.name: s for s in workflow_for(job).steps(job)}
        label = steps[run.step].label if run.step in steps else run.step
        if run.attempt != 1:
            problems.append(f"job {job.pk}: {run.step} was tried {run.attempt} times, not once")
        said = job.error.removeprefix(f"{label}: ")
        if said == job.error or not said.strip():
            problems.append(f"job {job.pk}: its error does not name {label}: {job.error!r}")
        if _EXCEPTION_NAME.search(job.error):
            problems.append(f"job {job.pk}: its error names an exception: {job.error!r}")
        dag = Dag(((s.name, s.depends_on) for s in steps.values()), noun="step")
        after = dag.descendants(run.step)
        for name in after:
            later = runs.get(name)
            if later is None:
                never_opened += 1
            elif later.status not in CLOSED:
                problems.append(f"job {job.pk}: {name} {later.status} after {run.step} failed")
        before = dag.ancestors(run.step)
        beside.update(
            other.status for name, other in runs.items() if name not in {run.step, *before, *after}
        )
        left = sorted(f"{r.step} {r.status}" for r in runs.values() if r.status in OPEN)
        if left:
            problems.append(f"job {job.pk} failed with steps left open: {', '.join(left)}")
    for job_id, error in ProductionJob.objects.filter(pk__in=others, status="failed").values_list(
        "pk", "error"
    ):
        problems.append(f"job {job_id} without the fault failed: {error}")
    result.problems = problems
    ran_beside = ", ".join(f"{n} {status}" for status, n in sorted(beside.items())) or "none"
    found = f"{never_opened} steps after the failed one never opened; beside it {ran_beside}"
    result.detail = "; ".join(filter(None, [found, result.detail]))
    return result
