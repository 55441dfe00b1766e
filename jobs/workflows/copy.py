"""Steps that write copy: the built-in writers draft it, the text chain may rewrite it."""

from __future__ import annotations

from typing import Any

from jobs.job_types import BrandProfile, Deliverable, write_deliverables
from jobs.provider_runtime import registry
from jobs.providers import TextRequest
from jobs.workflows.base import OutputSpec, StepContext

SYSTEM_PROMPT = (
    "You are a senior copywriter. Rewrite the draft for the brand below. Keep its structure, "
    "headings, limits and facts. Never invent statistics, testimonials, guarantees or superlatives; "
    "use only the verified facts given. Reply with the finished copy only."
)


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


def _messages(context: StepContext, deliverable: Deliverable) -> list[dict[str, str]]:
    brand = context.brand
    facts = "\n".join(f"- {fact}" for fact in brand.get("verified_facts", [])) or "- (none)"
    feedback = "\n".join(f"- {item}" for item in context.feedback) or "- (none)"
    return [
        {"role": "system", "content": SYSTEM_PROMPT},
        {
            "role": "user",
            "content": (
                f"Brand: {brand.get('name')}\nVoice: {brand.get('voice', '')}\n"
                f"Audience: {brand.get('audience', '')}\nVerified facts:\n{facts}\n"
                f"Reviewer feedback to apply:\n{feedback}\n\n"
                f"Deliverable: {deliverable.title}\n\nDraft:\n{deliverable.text}"
            ),
        },
    ]


def polish(context: StepContext, deliverable: Deliverable) -> str:
    """Run one deliverable through the text chain; the built-in provider returns the draft."""
    result = (
        registry()
        .chain("text")
        .call(TextRequest(messages=_messages(context, deliverable), draft=deliverable.text))
    )
    context.record_attempts(result.attempts)
    return result.value.text


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
