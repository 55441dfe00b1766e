"""Workflows: the DAG of steps each job type runs, built from the job type's spec."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from jobs.job_types.spec import JobTypeSpec
from jobs.job_types.specs import JOB_TYPE_SPECS
from jobs.workflows.base import OutputSpec, Step, StepContext, Workflow

if TYPE_CHECKING:
    from jobs.models import ProductionJob

__all__ = ["OutputSpec", "Step", "StepContext", "Workflow", "workflow_for", "all_workflows"]


@cache
def _built(spec: JobTypeSpec) -> Workflow:
    return spec.build_workflow()


def all_workflows() -> dict[str, Workflow]:
    """Every job type's workflow, by job type, as its spec declares it."""
    return {key: _built(spec) for key, spec in JOB_TYPE_SPECS.items()}


def workflow_for(job: ProductionJob) -> Workflow:
    if job.job_type == "production":
        from jobs.workflows.production.definition import production_workflow

        return production_workflow(job)
    spec = JOB_TYPE_SPECS.get(job.job_type)
    if spec is None:
        raise ValueError(f"no workflow for job type {job.job_type!r}")
    return _built(spec)
