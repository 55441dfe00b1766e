"""Pre-flight: the brief is screened for claims before anything is generated.

A deliverable inherits the claims of its brief ("our tea cures fatigue"), so a claim the
client's verified facts do not back becomes a question back to the client before money is
spent on it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from approvals.safety.flags import CLAIM_TYPES, TRUTH_CATEGORIES
from approvals.scoring import score_for_client
from production.models import Client

# Inputs whose words end up in the deliverable.
BRIEF_FIELDS = (
    "topic",
    "headline",
    "subline",
    "callToAction",
    "treatment",
    "keywords",
    "body",
    "tagline",
    "values",
    "description",
)


@dataclass(frozen=True)
class Preflight:
    """Claims of the brief that no verified fact backs, each with a question for the client."""

    claims: tuple[dict[str, Any], ...]
    questions: tuple[str, ...]
    language: str = ""

    @property
    def clear(self) -> bool:
        return not self.claims

    def as_dict(self) -> dict[str, Any]:
        return {
            "clear": self.clear,
            "claims": list(self.claims),
            "questions": list(self.questions),
            "language": self.language,
        }


def _words(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple):
        return [w for v in value for w in _words(v)]
    if isinstance(value, Mapping):
        return [w for v in value.values() for w in _words(v)]
    return []


def brief_text(*, title: str = "", description: str = "", inputs: Mapping[str, Any] | None) -> str:
    parts = [title, description]
    for field in BRIEF_FIELDS:
        parts += _words((inputs or {}).get(field))
    return "\n\n".join(p.strip() for p in parts if p and p.strip())


def _question(flag: Mapping[str, Any]) -> str:
    what = CLAIM_TYPES.get(str(flag.get("claim_type", "")), "claim")
    if flag.get("category") == "unapproved_testimonial":
        return (
            f"The brief quotes “{flag.get('excerpt', '')}”: is it one of your approved "
            "testimonials, word for word?"
        )
    return (
        f"The brief makes the {what} “{flag.get('excerpt', '')}”: which verified fact backs "
        "it? Add it to your facts, or drop the claim."
    )


def preflight_brief(
    client: Client | None,
    *,
    title: str = "",
    description: str = "",
    inputs: Mapping[str, Any] | None = None,
) -> Preflight:
    text = brief_text(title=title, description=description, inputs=inputs)
    if not text:
        return Preflight((), ())
    report = score_for_client(text, client)
    claims = tuple(
        f.as_dict()
        for f in report.flags
        if f.category in TRUTH_CATEGORIES and f.category != "uncovered_language"
    )
    return Preflight(claims, tuple(_question(c) for c in claims), report.language)


def preflight_job(job: Any) -> Preflight:
    return preflight_brief(
        job.client, title=job.title, description=job.description, inputs=job.input_data
    )
