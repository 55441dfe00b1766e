"""The job types: one spec each (jobs/job_types/specs.py), their schemas, validation and writers."""

from __future__ import annotations

from .brand import BrandProfile
from .catalogue import JOB_TYPES, output_types_for
from .deliverable import Deliverable
from .schemas import VISUAL_SIZES
from .spec import JobTypeSpec, OutputType
from .specs import HIGH_IMPACT_TYPES, INPUT_SCHEMAS, JOB_TYPE_SPECS, SELECTOR_FIELDS, job_type_spec
from .validation import InputValidationError, validate_inputs
from .writing import WRITERS, write_deliverables

__all__ = [
    "HIGH_IMPACT_TYPES",
    "INPUT_SCHEMAS",
    "JOB_TYPES",
    "JOB_TYPE_SPECS",
    "SELECTOR_FIELDS",
    "VISUAL_SIZES",
    "WRITERS",
    "BrandProfile",
    "Deliverable",
    "InputValidationError",
    "JobTypeSpec",
    "OutputType",
    "job_type_spec",
    "output_types_for",
    "validate_inputs",
    "write_deliverables",
]
