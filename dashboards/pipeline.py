"""The pipeline view's model: every workflow step of a job revision joined with its StepRun."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from jobs.models import ProductionJob, Status, StepRun, StepStatus
from jobs.workflows import workflow_for
from jobs.workflows.base import validate_dag

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
    # Productions: who decides a gate, the step's own revision (and the revision whose run
    # it carries over), the run record to link to, and a fan-out's failed batch attempts.
    approver: str = ""
    step_revision: int = 0
    reused_from: int | None = None
    run_id: int | None = None
    failures: int = 0
    batched: bool = False  # a fan-out shown as one step: its items are batches

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
    status: str = ""  # the job's
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
        """Changes whenever a step finishes or the job's status changes: the page then
        reloads what the live fragment does not carry (outputs, manifest, publishing)."""
        return f"{self.revision}-{self.done}-{self.status}"


def _state(run: StepRun | None) -> str:
    if run is None:
        return PENDING
    # A branch not taken has its own status: nothing is read from the run's error text.
    return {
        StepStatus.SUCCEEDED: DONE,
        StepStatus.SKIPPED: SKIPPED,
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
    """The steps of the job's workflow in order, each with the state of its run this revision.

    A fan-out's batches are shown as one step ("7 of 10 batches"); a workflow whose gates
    make the decisions has no separate review step at the end.
    """
    by_step = {run.step: run for run in runs if run.revision == job.revision}
    pipeline = Pipeline(revision=job.revision, status=job.status)
    try:
        workflow = workflow_for(job)
        steps = workflow.steps(job)
    except ValueError:  # a job type whose workflow is not installed: show the runs we have
        workflow, steps = None, []
    # Tasks in one layer of the DAG wait for nothing among themselves: they run side by side.
    layer_of = validate_dag(steps).layer_of
    groups = Counter(
        layer_of[step.name]
        for step in steps
        if step.kind not in ("gate", "branch") and not step.group
    )
    previous: int | None = None
    fanouts: dict[str, list[StepRun | None]] = {}
    for step in steps:
        run = by_step.get(step.name)
        if step.group:
            if step.group not in fanouts:
                fanouts[step.group] = []
                label = step.label.split(" (batch ")[0]
                pipeline.steps.append(
                    PipelineStep(name=step.group, label=label, kind="fanout", state=PENDING)
                )
            fanouts[step.group].append(run)
            continue
        entry = PipelineStep(name=step.name, label=step.label, kind=step.kind, state=_state(run))
        entry.approver = step.approver
        key = layer_of[step.name]
        if step.kind not in ("gate", "branch") and groups[key] > 1:
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
            entry.step_revision = run.step_revision
            entry.reused_from = run.reused_from
            entry.run_id = run.pk
        pipeline.steps.append(entry)
    for entry in pipeline.steps:
        if entry.name in fanouts:
            _summarise_fanout(entry, fanouts[entry.name])
    if workflow is not None and workflow.gates_decide:
        return pipeline
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


def _summarise_fanout(entry: PipelineStep, runs: list[StepRun | None]) -> None:
    """One line for a fan-out: batches done of all, failed attempts counted, the worst state."""
    entry.batched = True
    states = [_state(run) for run in runs]
    found = [run for run in runs if run is not None]
    entry.items_total = len(runs)
    entry.items_done = sum(1 for state in states if state in FINISHED)
    entry.failures = sum(run.attempt - 1 for run in found) + states.count(FAILED)
    entry.duration_ms = max((run.duration_ms for run in found), default=0)
    entry.cost_usd = sum((run.cost_usd for run in found), Decimal("0"))
    entry.provider = next((run.provider for run in found if run.provider), "")
    entry.step_revision = max((run.step_revision for run in found), default=0)
    entry.reused_from = (
        found[0].reused_from if found and all(r.reused_from for r in found) else None
    )
    for state in (FAILED, ACTIVE, QUEUED, CANCELLED):
        if state in states:
            entry.state = state
            break
    else:
        entry.state = DONE if entry.items_done == entry.items_total else PENDING
    entry.error = next((run.error for run in found if run.status == StepStatus.FAILED), "")
    if entry.failures:
        entry.note = f"{entry.failures} failed batch attempt(s), retried."
