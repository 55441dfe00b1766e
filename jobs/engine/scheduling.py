"""Which steps may open: queue them, record untaken branches as skipped, open gates, finish.

Everything here runs under the job's row lock, from the StepRun rows of the job's current
revision, so a lost or duplicated message changes nothing.
"""

from __future__ import annotations

from django.utils import timezone

from jobs import lifecycle
from jobs.engine import states
from jobs.engine.reviews import reviews
from jobs.engine.states import OPEN_STEP_STATUSES
from jobs.models import STEP_DONE_STATUSES, Output, ProductionJob, Status, StepRun, StepStatus
from jobs.queues import cancel_rq_jobs_on_commit, enqueue_step_on_commit, new_rq_job_id
from jobs.workflows import workflow_for
from jobs.workflows.base import Step

WORKER = "worker"


def schedule_ready_steps(job: ProductionJob) -> list[StepRun]:
    """Create or re-open the StepRuns whose dependencies are met, and enqueue them on commit.

    Called under the job's row lock whenever the job enters `queued` or a step finishes.
    Failed and cancelled steps of the current revision are re-opened (a retry resumes from
    the failure: steps that succeeded are kept). A new revision of a workflow with partial
    re-runs first carries forward the steps its rejection does not cover.
    """
    steps = workflow_for(job).steps(job)
    runs = {run.step: run for run in StepRun.objects.filter(job=job, revision=job.revision)}
    if not runs and job.revision > 1:
        _carry_forward(job, steps, runs)
    opened = _open_ready(job, steps, runs)
    if runs and not any(r.status in OPEN_STEP_STATUSES for r in runs.values()):
        # Nothing to run (a gate was passed and the next step is a gate, or it was the last):
        # go straight on to the next gate or the end of the workflow.
        lifecycle.transition(job, Status.PROCESSING, actor_label=WORKER, locked=True)
        advance(job, runs)
    return opened


def _open_ready(job: ProductionJob, steps: list[Step], runs: dict[str, StepRun]) -> list[StepRun]:
    """Queue every step whose dependencies are done; record untaken branches as skipped.

    Repeats until nothing changes, so a skipped step lets its successors open in one call.
    """
    opened: list[StepRun] = []
    changed = True
    while changed:
        changed = False
        done = {name for name, run in runs.items() if run.status in STEP_DONE_STATUSES}
        for step in steps:
            run = runs.get(step.name)
            if run is not None and run.status in (*OPEN_STEP_STATUSES, *STEP_DONE_STATUSES):
                continue
            if not all(dep in done for dep in step.depends_on):
                continue
            if step.when is not None and not step.when(job):
                runs[step.name] = _skip(job, step, run)
                changed = True
                continue
            if step.kind == "gate":
                continue  # gates open only when the job is processing (see advance)
            note = step.why(job) if step.why is not None else ""
            if run is None:
                run = states.create(
                    job=job,
                    step=step.name,
                    revision=job.revision,
                    step_revision=_next_step_revision(job, step.name),
                    status=StepStatus.QUEUED,
                    rq_job_id=new_rq_job_id(),
                    note=note,
                )
                runs[step.name] = run
            else:
                states.move(run, StepStatus.QUEUED, attempt=1, rq_job_id=new_rq_job_id())
            enqueue_step_on_commit(
                step_run_id=run.pk,
                attempt=run.attempt,
                rq_job_id=run.rq_job_id,
                priority=job.priority,
            )
            opened.append(run)
    return opened


def _skip(job: ProductionJob, step: Step, run: StepRun | None) -> StepRun:
    """A branch (or conditional gate) not taken: a real `skipped` run saying why."""
    now = timezone.now()
    note = step.why(job) if step.why is not None else "Branch not taken."
    if run is None:
        return states.create(
            job=job,
            step=step.name,
            revision=job.revision,
            step_revision=_next_step_revision(job, step.name),
            status=StepStatus.SKIPPED,
            note=note,
            started_at=now,
            finished_at=now,
        )
    return states.move(
        run, StepStatus.SKIPPED, note=note, error="", started_at=now, finished_at=now
    )


def _next_step_revision(job: ProductionJob, step: str) -> int:
    """1 for a step's first run; one more than its last run of an earlier revision."""
    if job.revision <= 1:
        return 1
    last = (
        StepRun.objects.filter(job=job, step=step, revision__lt=job.revision)
        .order_by("-revision")
        .values_list("step_revision", flat=True)
        .first()
    )
    return (last or 0) + 1


def _carry_forward(job: ProductionJob, steps: list[Step], runs: dict[str, StepRun]) -> None:
    """Copy into this revision the finished steps (and outputs) a rejection did not cover.

    Only that step and its successors run again; the others keep their step revision and
    point at the revision that ran them (`reused_from`).
    """
    workflow = workflow_for(job)
    rerun = workflow.rerun_after(job, steps) if workflow.rerun_after else None
    if rerun is None:
        return
    previous = {r.step: r for r in StepRun.objects.filter(job=job, revision=job.revision - 1)}
    kept = [
        previous[s.name]
        for s in steps
        if s.name not in rerun
        and s.name in previous
        and previous[s.name].status in STEP_DONE_STATUSES
    ]
    for old in kept:
        runs[old.step] = states.create(
            job=job,
            step=old.step,
            revision=job.revision,
            step_revision=old.step_revision,
            reused_from=old.reused_from or old.revision,
            status=old.status,
            provider=old.provider,
            note=old.note,
            items_total=old.items_total,
            items_done=old.items_done,
            started_at=old.started_at,
            finished_at=old.finished_at,
        )
    copies = []
    for output in Output.objects.filter(
        job=job, revision=job.revision - 1, step__in=[r.step for r in kept]
    ):
        output.pk = None
        output.revision = job.revision
        copies.append(output)
    Output.objects.bulk_create(copies)


def advance(job: ProductionJob, runs: dict[str, StepRun]) -> None:
    """After a step finished: open what is ready, open a gate, or finish the workflow.

    The caller holds the job's row lock and passes the current revision's runs by step.
    """
    workflow = workflow_for(job)
    steps = workflow.steps(job)
    _open_ready(job, steps, runs)
    done = {n for n, r in runs.items() if r.status in STEP_DONE_STATUSES}
    if any(r.status in OPEN_STEP_STATUSES for r in runs.values()):
        _update_progress(job, steps, runs)
        return
    for step in steps:
        if step.kind == "gate" and step.name not in runs and set(step.depends_on) <= done:
            _open_gate(job, step, runs)
            return
    if all(s.name in done for s in steps):
        job.progress = 100
        lifecycle.transition(
            job, Status.DRAFT, actor_label=WORKER, locked=True, save_fields=["progress"]
        )
        if not workflow.gates_decide:
            reviews().submit_for_review(job)
            return
        # Every gate of the workflow was passed by the people it names: that is the approval.
        reviews().apply_rollup(job)
        lifecycle.transition(
            job, Status.APPROVED, actor_label="system", locked=True, note="Every gate passed."
        )
        lifecycle.transition(job, Status.COMPLETED, actor_label="system", locked=True)


def _open_gate(job: ProductionJob, step: Step, runs: dict[str, StepRun]) -> None:
    runs[step.name] = states.create(
        job=job,
        step=step.name,
        revision=job.revision,
        step_revision=_next_step_revision(job, step.name),
        status=StepStatus.WAITING,
        note=step.why(job) if step.why is not None else "",
    )
    _update_progress(job, workflow_for(job).steps(job), runs)
    lifecycle.transition(
        job, Status.REVIEW, actor_label=WORKER, locked=True, note=f"Waiting for {step.label}."
    )
    reviews().open_gate(job, step)


def _update_progress(job: ProductionJob, steps: list[Step], runs: dict[str, StepRun]) -> None:
    total = len(steps) or 1
    done = sum(1 for s in steps if runs.get(s.name) and runs[s.name].status in STEP_DONE_STATUSES)
    progress = int(100 * done / total)
    if progress != job.progress:
        job.progress = progress
        job.save(update_fields=["progress"])


def cancel_open_steps(job: ProductionJob) -> None:
    """Stop what has not started; a running step notices (between items, and when it
    finishes), records itself as cancelled and keeps what it produced."""
    open_runs = list(
        StepRun.objects.filter(job=job, status__in=(StepStatus.QUEUED, StepStatus.WAITING)).only(
            "id", "rq_job_id", "status"
        )
    )
    states.move_where(
        StepRun.objects.filter(pk__in=[r.pk for r in open_runs]),
        (StepStatus.QUEUED, StepStatus.WAITING),
        StepStatus.CANCELLED,
        finished_at=timezone.now(),
    )
    cancel_rq_jobs_on_commit([r.rq_job_id for r in open_runs if r.status == StepStatus.QUEUED])
    reviews().cancel_open_requests(job)


def resume_after_gate(job: ProductionJob, gate: str) -> None:
    """A human passed a mid-workflow gate: mark it done and let the workflow go on."""
    states.move_where(
        StepRun.objects.filter(job=job, revision=job.revision, step=gate),
        StepStatus.WAITING,
        StepStatus.SUCCEEDED,
        finished_at=timezone.now(),
    )
    lifecycle.transition(job, Status.QUEUED, actor_label="system", locked=True, note="Gate passed.")
