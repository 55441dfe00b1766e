"""Writing a job's deliverables with its type's built-in writer, then applying the feedback."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from jobs.feedback import parse_feedback

from .brand import BrandProfile
from .deliverable import Deliverable
from .spec import Writer
from .specs import SpecView
from .writers.revise import revise, with_requested_cta

# The built-in writer of every job type that has one, from the specs.
WRITERS: Mapping[str, Writer] = SpecView(lambda spec: spec.writer)


def write_deliverables(
    job_type: str,
    inputs: dict[str, Any],
    brand: BrandProfile,
    feedback: Sequence[str] = (),
    revision: int = 1,
    description: str = "",
) -> list[Deliverable]:
    """Write a job's deliverables with the built-in writer for its type.

    `inputs` should already have been through `validate_inputs`, so defaults are present;
    `description` is the job's free-text brief, which the writers reuse sentence by sentence.
    The feedback is also read as a checklist (jobs.feedback): what the writer's own drafting
    does not cover (claims, replacements, facts, the call to action) is applied afterwards,
    and the checklist is kept in each deliverable's metadata.
    """
    try:
        writer = WRITERS[job_type]
    except KeyError:
        raise ValueError(f"no writer for job type {job_type!r}") from None
    instructions = parse_feedback(feedback, brand.verified_facts)
    written = writer(
        with_requested_cta(inputs, instructions),
        brand,
        feedback=tuple(feedback),
        revision=revision,
        description=description,
    )
    return [revise(d, instructions, brand) for d in written] if instructions else written
