"""What each job type is called and can produce, as the dashboard and API show it (from the specs)."""

from __future__ import annotations

from collections.abc import Mapping

from .spec import JobTypeSpec, OutputType
from .specs import SpecView, job_type_spec

# Every job type's spec, by key; live, so a spec added to the registry appears here too.
JOB_TYPES: Mapping[str, JobTypeSpec] = SpecView(lambda spec: spec)


def output_types_for(job_type: str) -> tuple[OutputType, ...]:
    """The outputs a client can order for a job type; KeyError for an unknown type."""
    return job_type_spec(job_type).output_types
