"""The Flag a detector raises, and the categories and severities it can carry."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

CATEGORIES: tuple[str, ...] = (
    "unapproved_testimonial",
    "unsubstantiated_claim",
    "health_promise",
    "financial_promise",
    "missing_disclosure",
    "personal_data",
    "profanity_hate",
    "competitor_disparagement",
    "placeholder_text",
    "uncovered_language",
)

CATEGORY_LABELS: dict[str, str] = {
    "unapproved_testimonial": "Unapproved testimonial",
    "unsubstantiated_claim": "Unsubstantiated claim",
    "health_promise": "Health promise",
    "financial_promise": "Financial promise",
    "missing_disclosure": "Missing disclosure",
    "personal_data": "Personal data",
    "profanity_hate": "Profanity or hate",
    "competitor_disparagement": "Competitor disparagement",
    "placeholder_text": "Placeholder text",
    "uncovered_language": "Language not covered",
}

# What a claim is about, as the breakdown names it ("unsubstantiated health claim ...").
CLAIM_TYPES: dict[str, str] = {
    "environmental": "environmental claim",
    "health": "health claim",
    "endorsement": "endorsement or review claim",
    "comparative": "superlative or comparison",
    "origin": "origin claim",
    "specification": "product specification",
    "statistic": "statistic",
    "price": "price or savings claim",
    "earnings": "earnings or returns claim",
    "guarantee": "guarantee",
    "proof": "claim of proof",
}

SEVERITIES: tuple[str, ...] = ("low", "medium", "high", "critical")

# The categories the truth layer owns: any flag in them means a testimonial is not
# approved, a claim is not backed by a verified fact, or the text is in a language whose
# claims the scorer cannot read, so the text is not verified.
TRUTH_CATEGORIES: frozenset[str] = frozenset(
    {
        "unapproved_testimonial",
        "unsubstantiated_claim",
        "health_promise",
        "financial_promise",
        "uncovered_language",
    }
)


@dataclass(frozen=True)
class Flag:
    """One problem found in a text, with the character span it refers to.

    The scorer groups repeats of one claim into one flag: start and end are its first
    occurrence, `occurrences` every (start, end), and `points` what the group cost the score.
    """

    category: str
    severity: str
    message: str
    start: int
    end: int
    excerpt: str
    claim_type: str = ""
    occurrences: tuple[tuple[int, int], ...] = ()
    points: int = 0

    def __post_init__(self) -> None:
        if self.category not in CATEGORIES:
            raise ValueError(f"Unknown flag category {self.category!r}")
        if self.severity not in SEVERITIES:
            raise ValueError(f"Unknown flag severity {self.severity!r}")
        if not 0 <= self.start <= self.end:
            raise ValueError(f"Bad flag span {self.start}..{self.end}")

    @property
    def count(self) -> int:
        return len(self.occurrences) or 1

    def as_dict(self) -> dict:
        data = asdict(self)
        data["occurrences"] = [list(span) for span in self.occurrences or ((self.start, self.end),)]
        data["count"] = self.count
        return data


def make_flag(
    text: str,
    category: str,
    severity: str,
    message: str,
    start: int,
    end: int,
    claim_type: str = "",
) -> Flag:
    """A Flag whose excerpt is taken from the text, so span and excerpt always agree."""
    return Flag(category, severity, message, start, end, text[start:end], claim_type)


def quote_excerpt(excerpt: str, limit: int = 60) -> str:
    """The excerpt as it appears inside a message: one line, shortened if long."""
    flat = " ".join(excerpt.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def occurrence_spans(flags: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One flag dict per occurrence of each (grouped) flag, so every occurrence is marked.

    The first keeps its excerpt; repeats may differ in case or spacing, so theirs is dropped.
    """
    spans = []
    for flag in flags:
        spans.append(flag)
        for start, end in (flag.get("occurrences") or [])[1:]:
            spans.append({**flag, "start": start, "end": end, "excerpt": ""})
    return spans
