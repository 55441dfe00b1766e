"""The pipeline view's model: every workflow step of a job revision joined with its StepRun."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from jobs.models import ProductionJob, Status, StepRun, StepStatus
from jobs.workflows import workflow_for

# A step's state as the pipeline shows it; each has an icon and a colour in the stylesheet.
PENDING, QUEUED, ACTIVE, DONE, FAILED, WAITING, SKIPPED, CANCELLED = (
    "pending",
    "queued",
    "active",
    "done",
    "failed",
    "waiting",
    "skipped",
    "cancelled",
)
STATE_LABELS = {
    PENDING: "Pending",
    QUEUED: "Queued",
    ACTIVE: "Running",
    DONE: "Done",
    FAILED: "Failed",
    WAITING: "Waiting for approval",
    SKIPPED: "Skipped",
    CANCELLED: "Cancelled",
}
FINISHED = frozenset({DONE, SKIPPED})
REVIEW_STEP = "review"


@dataclass
class PipelineStep:
    name: str
    label: str
    kind: str
    state: str
    attempt: int = 0
    provider: str = ""
    duration_ms: int = 0
    cost_usd: Decimal = Decimal("0")
    items_done: int = 0
    items_total: int = 0
    error: str = ""
    note: str = ""
    # Steps that wait for the same steps run side by side: how many there are in this one's
    # group (0 when it runs alone), and whether it opens the group in the list.
    parallel: int = 0
    group_start: bool = False

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def has_items(self) -> bool:
        return self.items_total > 0

    @property
    def items_percent(self) -> int:
        return int(100 * self.items_done / self.items_total) if self.items_total else 0

    @property
    def duration_label(self) -> str:
        if not self.duration_ms:
            return ""
        if self.duration_ms < 1000:
            return f"{self.duration_ms} ms"
        return f"{self.duration_ms / 1000:.1f} s"


@dataclass
class Pipeline:
    revision: int
    steps: list[PipelineStep] = field(default_factory=list)

    @property
    def done(self) -> int:
        return sum(1 for s in self.steps if s.state in FINISHED)

    @property
    def total(self) -> int:
        return len(self.steps)

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 0

    @property
    def signature(self) -> str:
        """Changes whenever a step finishes: the page reloads outputs when it does."""
        return f"{self.revision}-{self.done}"


def _state(run: StepRun | None) -> str:
    if run is None:
        return PENDING
    if run.status == StepStatus.SUCCEEDED:
        return SKIPPED if run.error.startswith("Skipped") else DONE
    return {
        StepStatus.QUEUED: QUEUED,
        StepStatus.RUNNING: ACTIVE,
        StepStatus.WAITING: WAITING,
        StepStatus.FAILED: FAILED,
        StepStatus.CANCELLED: CANCELLED,
    }[run.status]


def _review_state(job: ProductionJob, steps_finished: bool) -> str:
    """The human review that follows the workflow, shown as its last step."""
    if job.status in (Status.APPROVED, Status.COMPLETED):
        return DONE
    if job.status == Status.REVIEW and steps_finished:
        return WAITING
    if job.status == Status.CANCELLED:
        return CANCELLED
    return PENDING


def build_pipeline(job: ProductionJob, runs: Iterable[StepRun]) -> Pipeline:
    """The steps of the job's workflow in order, each with the state of its run this revision."""
    by_step = {run.step: run for run in runs if run.revision == job.revision}
    pipeline = Pipeline(revision=job.revision)
    try:
        steps = workflow_for(job).steps(job)
    except ValueError:  # a job type whose workflow is not installed: show the runs we have
        steps = []
    groups = Counter(frozenset(step.depends_on) for step in steps if step.kind != "gate")
    previous: frozenset[str] | None = None
    for step in steps:
        run = by_step.get(step.name)
        entry = PipelineStep(name=step.name, label=step.label, kind=step.kind, state=_state(run))
        key = frozenset(step.depends_on)
        if step.kind != "gate" and groups[key] > 1:
            entry.parallel, entry.group_start = groups[key], key != previous
        previous = key
        if run is not None:
            entry.attempt = run.attempt
            entry.provider = run.provider
            entry.duration_ms = run.duration_ms
            entry.cost_usd = run.cost_usd
            entry.items_done = run.items_done
            entry.items_total = run.items_total
            entry.error = "" if entry.state == SKIPPED else run.error
            entry.note = run.note
        pipeline.steps.append(entry)
    finished = all(s.state in FINISHED for s in pipeline.steps)
    pipeline.steps.append(
        PipelineStep(
            name=REVIEW_STEP,
            label="Review and approval",
            kind="gate",
            state=_review_state(job, finished),
        )
    )
    return pipeline
