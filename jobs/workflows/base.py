"""What a workflow is: a DAG of steps declared in code, and the context a step runs with."""

from __future__ import annotations

import hashlib
import mimetypes
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from jobs.dag import Dag

if TYPE_CHECKING:
    from jobs.engine.retry import RetryPolicy
    from jobs.models import Output, ProductionJob, StepRun

StepKind = Literal["task", "gate", "fanout", "branch"]


@dataclass(frozen=True)
class Step:
    """One node of a workflow.

    task: a handler that reads inputs and upstream outputs and writes outputs.
    fanout: a task over N items that reports "X of Y" progress.
    gate: opens an approval request and waits for a human (no handler).
    branch: runs only when `when(job)` is true; otherwise it is recorded as skipped, with
    `why(job)` saying which way the branch went (any step or gate may have a `when`).
    """

    name: str
    label: str
    handler: Callable[[StepContext], None] | None = None
    kind: StepKind = "task"
    depends_on: tuple[str, ...] = ()
    capability: str = "text"
    approval_type: str = "concept"
    approver_role: str = "reviewer"
    when: Callable[[ProductionJob], bool] | None = None
    why: Callable[[ProductionJob], str] | None = None
    # Gates: the person who decides ("Creative Director") and the step whose work they
    # review; a rejection re-runs that step and everything downstream of it.
    approver: str = ""
    reviews: str = ""
    # A fan-out batch's place in its group ("concepts", 3 of 10) and free parameters.
    group: str = ""
    params: Mapping[str, Any] = field(default_factory=dict)
    # Attempts, backoff and non-retryable errors for this step; None: the default policy.
    retry: RetryPolicy | None = None
    # Seconds the step may go without progress (a provider call returned, an item done,
    # ffmpeg progress) before the reconciler takes it back; None: STEP_HEARTBEAT_SECONDS. A step
    # whose single call or render may run longer than that sets more.
    heartbeat_seconds: float | None = None


class StepFailure(Exception):
    """A failure that another attempt cannot fix (bad input, a broken contract): the step
    fails at once and `message` is what the person reads."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Workflow:
    name: str
    label: str
    steps_for: Callable[[ProductionJob], Sequence[Step]]
    # Partial re-runs: after a gate's rejection only the steps it covers run again (see
    # engine.scheduling._carry_forward); other workflows run every step of a new revision.
    rerun_after: Callable[[ProductionJob, list[Step]], set[str] | None] | None = None
    # Whether the last gate is the final decision (no separate review once steps finish).
    gates_decide: bool = False

    def steps(self, job: ProductionJob) -> list[Step]:
        steps = list(self.steps_for(job))
        validate_dag(steps)
        return steps


def static_steps(*steps: Step) -> Callable[[ProductionJob], Sequence[Step]]:
    return lambda job: steps


def validate_dag(steps: Sequence[Step]) -> Dag:
    """The steps as a checked DAG; DagError (a ValueError) names duplicates, missing steps
    and a cycle by its path."""
    return Dag(((s.name, s.depends_on) for s in steps), noun="step")


@dataclass
class OutputSpec:
    """An output a step produced, written to the database when the step finishes."""

    kind: str
    key: str
    title: str = ""
    text: str = ""
    content: bytes | None = None
    filename: str = ""
    mime_type: str = ""
    metadata: dict[str, Any] = field(default_factory=dict)
    item: int = 0
    # Text to score for safety: the text itself, or the words rendered into an image.
    scored_text: str | None = None
    file_name: str = ""  # set once the content is stored

    @property
    def checksum(self) -> str:
        payload = self.content if self.content is not None else self.text.encode()
        return hashlib.sha256(payload).hexdigest()

    @property
    def size(self) -> int:
        return len(self.content) if self.content is not None else len(self.text.encode())

    def guessed_mime(self) -> str:
        if self.mime_type:
            return self.mime_type
        return mimetypes.guess_type(self.filename)[0] or "application/octet-stream"


@dataclass
class StepContext:
    """What a handler sees: the job, its inputs and brand, upstream outputs, feedback."""

    job: ProductionJob
    step: Step
    step_run: StepRun
    feedback: list[str]
    upstream: dict[str, list[Output]]
    outputs: list[OutputSpec] = field(default_factory=list)
    provider_attempts: list[dict[str, Any]] = field(default_factory=list)
    prompts: list[dict[str, Any]] = field(default_factory=list)
    input_snapshot: dict[str, Any] = field(default_factory=dict)
    # Shown on the step in the pipeline view, e.g. why narration was skipped.
    note: str = ""
    progress_callback: Callable[[int, int], None] | None = None
    cancelled_check: Callable[[], bool] | None = None
    # Proof that the step's work moves on (see jobs/engine/liveness.py).
    heartbeat_callback: Callable[[], None] | None = None

    @property
    def inputs(self) -> dict[str, Any]:
        return self.job.input_data or {}

    @property
    def revision(self) -> int:
        return self.job.revision

    @property
    def brand(self) -> dict[str, Any]:
        return self.job.client.brand()

    def add_output(self, spec: OutputSpec) -> OutputSpec:
        self.outputs.append(spec)
        return spec

    def record_attempts(self, attempts: Sequence[Any]) -> None:
        """Keep a provider call's attempts; its return is progress."""
        self.heartbeat()
        for attempt in attempts:
            self.provider_attempts.append(
                attempt.as_dict() if hasattr(attempt, "as_dict") else dict(attempt)
            )

    def record_prompt(self, purpose: str, messages: Sequence[dict[str, str]]) -> None:
        self.prompts.append({"purpose": purpose, "messages": list(messages)})

    def progress(self, done: int, total: int) -> None:
        """Report fan-out progress ("3 of 5"); committed at once so pages can show it."""
        self.heartbeat()
        if self.progress_callback:
            self.progress_callback(done, total)

    def heartbeat(self) -> None:
        """The step's work moved on: a handler with a long loop of its own may call this."""
        if self.heartbeat_callback:
            self.heartbeat_callback()

    def is_cancelled(self) -> bool:
        return bool(self.cancelled_check and self.cancelled_check())
