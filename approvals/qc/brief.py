"""What a deliverable was asked to be, read from a job's inputs: the yardstick QC measures by."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

# Target words per content type and length, as the built-in writers aim for them.
TARGET_WORDS: dict[str, dict[str, int]] = {
    "blog_post": {"short": 400, "medium": 800, "long": 1400},
    "email": {"short": 150, "medium": 250, "long": 400},
    "landing_page": {"short": 300, "medium": 500, "long": 800},
    "case_study": {"short": 400, "medium": 700, "long": 1100},
}
ASPECTS: dict[str, float] = {"16:9": 16 / 9, "9:16": 9 / 16, "1:1": 1.0, "4:5": 4 / 5}
_SIZE = re.compile(r"^(\d{2,5})x(\d{2,5})$")
_END_CARD = re.compile(r"\bend[- ]?card\b|\bclosing card\b|\bend slate\b", re.IGNORECASE)


@dataclass(frozen=True)
class Brief:
    """The parts of a brief QC can hold a deliverable to; empty means "not asked for"."""

    text: str = ""
    content_type: str = ""
    topic: str = ""
    language: str = ""
    target_words: int | None = None
    call_to_action: str = ""
    sizes: tuple[tuple[int, int], ...] = ()
    aspect_ratio: str = ""
    duration_seconds: float | None = None
    end_card: bool = False


def _sizes(values: Any) -> tuple[tuple[int, int], ...]:
    found = []
    for value in values if isinstance(values, list | tuple) else []:
        match = _SIZE.match(str(value).strip())
        if match:
            found.append((int(match.group(1)), int(match.group(2))))
    return tuple(found)


def _target_words(inputs: Mapping[str, Any]) -> int | None:
    count = inputs.get("wordCount")
    if isinstance(count, int) and count > 0:
        return count
    by_length = TARGET_WORDS.get(str(inputs.get("contentType", "")))
    if by_length and inputs.get("length") in by_length:
        return by_length[inputs["length"]]
    return None


def brief_from_inputs(
    *, title: str = "", description: str = "", inputs: Mapping[str, Any] | None = None
) -> Brief:
    """The brief of a job from its title, description and validated input data."""
    inputs = inputs or {}
    words = [title, description]
    for key in ("topic", "headline", "subline", "treatment", "callToAction"):
        if isinstance(inputs.get(key), str):
            words.append(inputs[key])
    text = "\n".join(w for w in words if w)
    duration = inputs.get("durationSeconds")
    aspect = str(inputs.get("aspectRatio", ""))
    return Brief(
        text=text,
        content_type=str(inputs.get("contentType", "") or ""),
        topic=str(inputs.get("topic", "") or ""),
        language=str(inputs.get("language", "") or "").lower()[:2],
        target_words=_target_words(inputs),
        call_to_action=str(inputs.get("callToAction", "") or "").strip(),
        sizes=_sizes(inputs.get("sizes")),
        aspect_ratio=aspect if aspect in ASPECTS else "",
        duration_seconds=float(duration) if isinstance(duration, int | float) else None,
        end_card=bool(_END_CARD.search(text)),
    )
