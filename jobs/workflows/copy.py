"""Steps that write copy: the built-in writers draft it, the text chain may rewrite it."""

from __future__ import annotations

from typing import Any

from jobs.feedback import Instruction
from jobs.job_types import BrandProfile, Deliverable, write_deliverables
from jobs.job_types.hosted_writer import rewrite
from jobs.provider_runtime import configured_providers
from jobs.providers.config import reply_format
from jobs.workflows.base import OutputSpec, StepContext


def brand_profile(context: StepContext) -> BrandProfile:
    brand = context.brand
    return BrandProfile.from_dict(brand, verified_facts=brand.get("verified_facts", []))


def drafts(context: StepContext) -> list[Deliverable]:
    return write_deliverables(
        context.job.job_type,
        context.inputs,
        brand_profile(context),
        feedback=list(context.feedback),
        revision=context.revision,
        description=context.job.description,
    )


def polish(context: StepContext, deliverable: Deliverable) -> str:
    """Run one deliverable through the text chain; the built-in provider returns the draft."""
    done = rewrite(
        configured_providers().chain("text"),
        deliverable,
        brand=context.brand,
        testimonials=context.job.client.approved_testimonials or [],
        description=context.job.description,
        instructions=[
            Instruction.from_dict(i) for i in deliverable.metadata.get("feedback_checklist", [])
        ],
        structured=reply_format() == "json",
    )
    context.record_attempts(done.attempts)
    for messages in done.prompts:
        context.record_prompt(f"write {deliverable.key}", messages)
    if done.problems:  # the model's reply never matched its schema: the draft was kept
        deliverable.metadata["hosted_reply_problems"] = done.problems
    return done.text


def output_kind(deliverable: Deliverable) -> str:
    return {"image_spec": "json"}.get(deliverable.kind, deliverable.kind)


def write_copy(context: StepContext) -> None:
    """The task of every copy job type: one output per deliverable."""
    for item, deliverable in enumerate(drafts(context)):
        text = (
            polish(context, deliverable)
            if deliverable.kind in ("markdown", "text", "html")
            else deliverable.text
        )
        metadata: dict[str, Any] = {**deliverable.metadata, "data": deliverable.data}
        if text != deliverable.text:  # a hosted model rewrote the built-in draft
            metadata.pop("draft_source", None)
        metadata["word_count"] = len(text.split())
        metadata["char_count"] = len(text)
        context.add_output(
            OutputSpec(
                kind=output_kind(deliverable),
                key=deliverable.key,
                title=deliverable.title,
                text=text,
                metadata=metadata,
                item=item,
            )
        )
