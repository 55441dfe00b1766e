"""The job types a person or the API may choose, read from the specs (for forms and serializers)."""

from __future__ import annotations

from jobs.models import JobType

from .checks import NOT_FROM_SPECS
from .specs import JOB_TYPE_SPECS


def job_type_choices() -> list[tuple[str, str]]:
    """(key, label) of every job type: the specs' first, then those run from other records."""
    from_specs = [(key, spec.label) for key, spec in JOB_TYPE_SPECS.items()]
    others = [(value, label) for value, label in JobType.choices if value in NOT_FROM_SPECS]
    return from_specs + others
