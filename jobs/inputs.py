"""Validates a job's input data against its type's JSON Schema, with errors per field."""

from __future__ import annotations

from typing import Any

from jobs.job_types import InputValidationError, job_type_spec, validate_inputs
from jobs.job_types.schemas import EXAMPLE_TREATMENT
from jobs.workflows.production.seeds import BRIEF_SCHEMA

__all__ = ["EXAMPLE_TREATMENT", "InputErrors", "input_schema", "validate_job_inputs"]


class InputErrors(Exception):
    """Field errors keyed by path, e.g. {"inputData.topic": ["This field is required."]}."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        self.errors = errors
        first = next(iter(errors.items()), ("", [""]))
        super().__init__(f"{first[0]}: {first[1][0]}" if first[0] else "Invalid input.")


def input_schema(job_type: str) -> dict[str, Any]:
    """The JSON Schema of a job type's input data (a production's brief for a production)."""
    if job_type == "production":  # a production's brief, started from the workflow selector
        return BRIEF_SCHEMA
    return job_type_spec(job_type).input_schema


def validate_job_inputs(job_type: str, data: Any) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise InputErrors({"inputData": ["Must be an object."]})
    try:
        return validate_inputs(job_type, data)
    except InputValidationError as exc:
        raise InputErrors(exc.errors) from None
