"""Checks a template's default inputs against its job type's schema when the template is saved.

Defaults are a partial brief: a field the schema requires may be left for the job to fill in,
but every value given must be one the job type accepts, so a template never fails later at
job creation. The API, the dashboard and the admin all use this one check.
"""

from __future__ import annotations

from typing import Any

from jobs.inputs import InputErrors, validate_job_inputs
from jobs.job_types.validation import ROOT
from production.input_safety import json_problem

# The validators' words for a missing field; a template may leave any field to the job.
MISSING = "This field is required."


def template_defaults_errors(job_type: str, defaults: Any) -> dict[str, list[str]]:
    """Errors keyed by the path inside the defaults ("" for the whole), or {} when they are fine."""
    if not isinstance(defaults, dict):
        return {"": ["Must be an object."]}
    problem = json_problem(defaults)
    if problem is not None:
        path, message = problem
        return {path: [message]}
    try:
        validate_job_inputs(job_type, defaults)
    except InputErrors as exc:
        errors: dict[str, list[str]] = {}
        for path, messages in exc.errors.items():
            kept = [m for m in messages if m != MISSING]
            if kept:
                errors[_inside(path)] = kept
        return errors
    return {}


def _inside(path: str) -> str:
    """ "inputData.tone" -> "tone": the path relative to the defaults themselves."""
    head, _, rest = path.partition(".")
    return rest if head == ROOT else path
