"""The reviewer's checklist applied to what a built-in writer drafted, and kept with it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from jobs.feedback import Instruction, apply_instructions, clean_title
from jobs.feedback.edits import hit_for

from ..brand import BrandProfile
from ..deliverable import Deliverable
from .common import word_count

# Deliverables written as prose; specs (JSON) and scripts keep their own structure.
PROSE_KINDS = frozenset({"markdown", "text", "html"})


def with_requested_cta(
    inputs: dict[str, Any], instructions: Sequence[Instruction]
) -> dict[str, Any]:
    """The inputs with the call to action the reviewer asked for (the last one wins)."""
    wanted = [i.value for i in instructions if i.kind == "cta" and i.value]
    return {**inputs, "callToAction": wanted[-1]} if wanted else inputs


def revise(
    deliverable: Deliverable, instructions: Sequence[Instruction], brand: BrandProfile
) -> Deliverable:
    """Apply what a writer can apply after drafting and record the checklist in the metadata."""
    meta = deliverable.metadata
    meta["feedback_checklist"] = [i.as_dict() for i in instructions]
    if deliverable.kind not in PROSE_KINDS:
        return deliverable
    facts = tuple(brand.verified_facts)
    text, done = apply_instructions(deliverable.text, instructions, facts)
    hits = [h for i in instructions if (h := hit_for(i, facts)) is not None]
    old_title = deliverable.title
    if hits or not old_title:
        label = deliverable.key.replace("_", " ").capitalize()
        fallback = f"{brand.name}: {label}" if brand.name else label
        title = old_title or fallback
        for hit in hits:
            title = clean_title(title, hit, fallback)
        deliverable.title = title
        # A document opens with its title; put the new one back where the old one stood.
        if deliverable.kind == "markdown" and old_title and not text.lstrip().startswith("# "):
            text = f"# {title}\n\n{text.lstrip()}"
        elif text.startswith(f"# {old_title}\n"):
            text = f"# {title}\n" + text[len(f"# {old_title}\n") :]
    deliverable.text = text
    # The writer's own "Removed 'the Starbucks jab'." is replaced by the checklist's wording.
    targets = {f"Removed '{i.target}'." for i in instructions if i.kind == "remove"}
    own = [
        a for a in meta.get("feedback_applied", []) if a in targets or not a.startswith("Removed '")
    ]
    meta["feedback_applied"] = [*own, *done]
    meta["word_count"] = word_count(text)
    meta["char_count"] = len(text.strip())
    return deliverable
