"""Which sentences carry a claim of a kind, by the safety layer's own claim rules."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from approvals.safety import score_text

# The safety flag categories each "remove every ... claim" instruction covers.
CATEGORIES: dict[str, frozenset[str]] = {
    "health": frozenset({"health_promise"}),
    "financial": frozenset({"financial_promise"}),
    "unbacked": frozenset({"unsubstantiated_claim"}),
}


def claims_in(text: str, kind: str, facts: Sequence[str] = ()) -> list[str]:
    """The claims of `kind` in `text`, as the words that make them ("cures fatigue")."""
    return list(_claims(text, kind, tuple(facts)))


@lru_cache(maxsize=2048)
def _claims(text: str, kind: str, facts: tuple[str, ...]) -> tuple[str, ...]:
    if not text.strip():
        return ()
    wanted = CATEGORIES.get(kind, frozenset())
    report = score_text(text, facts=facts)
    found = []
    for flag in report.flags:
        if flag.category in wanted or (kind == "health" and flag.claim_type == "health"):
            for start, end in flag.occurrences or ((flag.start, flag.end),):
                found.append(text[start:end])
    return tuple(found)


def has_claim(text: str, kind: str, facts: Sequence[str] = ()) -> bool:
    return bool(_claims(text, kind, tuple(facts)))
