"""A system check: the job type specs and the model's JobType choices name the same types."""

from __future__ import annotations

from typing import Any

from django.core import checks

from jobs.models import JobType

from .specs import JOB_TYPE_SPECS

# Job types that run from another record instead of a spec: a production runs the
# ProductionWorkflow chosen for it (jobs/workflows/production).
NOT_FROM_SPECS = frozenset({JobType.PRODUCTION.value})


def check_job_type_specs(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """E001 for a spec without a choice, E002 for a choice without a spec, E003 for labels."""
    choices = dict(JobType.choices)
    errors: list[checks.CheckMessage] = []
    for key in JOB_TYPE_SPECS.keys() - choices.keys():
        errors.append(
            checks.Error(
                f"Job type {key!r} has a spec but is not a choice of jobs.models.JobType.",
                hint=f"Add {key.upper()} = {key!r}, ... to JobType and make a migration.",
                id="jobs.E001",
            )
        )
    for key in choices.keys() - JOB_TYPE_SPECS.keys() - NOT_FROM_SPECS:
        errors.append(
            checks.Error(
                f"Job type {key!r} is a choice of jobs.models.JobType but has no spec.",
                hint="Add its JobTypeSpec to SPECS in jobs/job_types/specs.py.",
                id="jobs.E002",
            )
        )
    for key in JOB_TYPE_SPECS.keys() & choices.keys():
        if JOB_TYPE_SPECS[key].label != choices[key]:
            errors.append(
                checks.Error(
                    f"Job type {key!r} is called {JOB_TYPE_SPECS[key].label!r} in its spec "
                    f"but {choices[key]!r} in jobs.models.JobType.",
                    hint="Use the same label in both.",
                    id="jobs.E003",
                )
            )
    return sorted(errors, key=lambda error: (error.id or "", error.msg))


def register() -> None:
    checks.register(check_job_type_specs)
