"""The seven job types: input schemas, validation, catalogue, brand profile and writers."""

from __future__ import annotations

from .brand import BrandProfile
from .catalogue import JOB_TYPES, JobTypeInfo, OutputType, output_types_for
from .deliverable import Deliverable
from .schemas import INPUT_SCHEMAS, SELECTOR_FIELDS, VISUAL_SIZES
from .validation import InputValidationError, validate_inputs
from .writers import WRITERS, write_deliverables

__all__ = [
    "INPUT_SCHEMAS",
    "JOB_TYPES",
    "SELECTOR_FIELDS",
    "VISUAL_SIZES",
    "WRITERS",
    "BrandProfile",
    "Deliverable",
    "InputValidationError",
    "JobTypeInfo",
    "OutputType",
    "output_types_for",
    "validate_inputs",
    "write_deliverables",
]
