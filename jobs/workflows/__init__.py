"""The workflow registry: which DAG of steps each job type runs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from jobs.workflows.base import OutputSpec, Step, StepContext, Workflow

if TYPE_CHECKING:
    from jobs.models import ProductionJob

__all__ = ["OutputSpec", "Step", "StepContext", "Workflow", "workflow_for", "all_workflows"]


def all_workflows() -> dict[str, Workflow]:
    from jobs.workflows.registry import WORKFLOWS

    return WORKFLOWS


def workflow_for(job: ProductionJob) -> Workflow:
    if job.job_type == "production":
        from jobs.workflows.production.definition import production_workflow

        return production_workflow(job)
    workflows = all_workflows()
    try:
        return workflows[job.job_type]
    except KeyError:
        raise ValueError(f"no workflow for job type {job.job_type!r}") from None
