"""score_text: runs every detector and the truth layer, and turns the flags into a score and band.

Weights: a text starts at 100 and each flag subtracts by severity (low 4, medium 10, high 22,
critical 45). Repeats in one category cost half as much each time, so ten superlatives read
as one problem repeated, not ten. Hence one unbacked superlative scores 90 (safe, not
auto-approvable), a health promise or leftover placeholder 78 (review needed), and a
fabricated testimonial or a slur 55 (safety concerns).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from approvals.safety.bands import BAND_LABELS, DEFAULT_THRESHOLDS, Thresholds, band_for
from approvals.safety.flags import TRUTH_CATEGORIES, Flag
from approvals.safety.rules.claims import find_claims
from approvals.safety.rules.competitors import find_disparagement
from approvals.safety.rules.disclosure import find_missing_disclosure
from approvals.safety.rules.language import find_profanity_hate
from approvals.safety.rules.personal_data import find_personal_data
from approvals.safety.rules.placeholders import find_placeholders
from approvals.safety.rules.promises import find_promises
from approvals.safety.rules.testimonials import find_testimonials
from approvals.safety.text import Doc
from approvals.safety.truth import (
    claim_flags,
    prepare_facts,
    resolve_claims,
    testimonial_flags,
)

SEVERITY_WEIGHTS: dict[str, int] = {"low": 4, "medium": 10, "high": 22, "critical": 45}
REPEAT_FACTOR = 0.5


@dataclass(frozen=True)
class SafetyReport:
    """A text's (or a job's) score, band, truth-layer verdict and flags."""

    score: int
    band: str
    verified: bool
    flags: tuple[Flag, ...]

    def as_dict(self) -> dict:
        return {
            "score": self.score,
            "band": self.band,
            "band_label": BAND_LABELS[self.band],
            "verified": self.verified,
            "flags": [flag.as_dict() for flag in self.flags],
        }


def score_flags(flags: Sequence[Flag]) -> int:
    """100 minus the flags' weights, each repeat in a category costing half the one before."""
    penalty = 0.0
    by_category: dict[str, list[int]] = {}
    for flag in flags:
        by_category.setdefault(flag.category, []).append(SEVERITY_WEIGHTS[flag.severity])
    for weights in by_category.values():
        for repeat, weight in enumerate(sorted(weights, reverse=True)):
            penalty += weight * REPEAT_FACTOR**repeat
    return max(0, min(100, round(100 - penalty)))


def score_text(
    text: str,
    *,
    facts: Sequence[str] = (),
    testimonials: Sequence[str] = (),
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    competitors: Sequence[str] = (),
) -> SafetyReport:
    doc = Doc(text)
    quotes = find_testimonials(doc)
    # Claims inside a customer's quoted words are the testimonial's, checked as a testimonial;
    # health and financial promises stay flagged wherever they appear.
    candidates = [
        c
        for c in find_claims(doc) + find_promises(doc)
        if c.category != "unsubstantiated_claim"
        or not any(q.start <= c.start and c.end <= q.end for q in quotes)
    ]
    flags = [
        *testimonial_flags(text, quotes, testimonials),
        *claim_flags(doc, resolve_claims(candidates, doc.sentences), prepare_facts(facts)),
        *find_missing_disclosure(doc),
        *find_personal_data(doc),
        *find_profanity_hate(doc),
        *find_disparagement(doc, competitors),
        *find_placeholders(doc),
    ]
    flags.sort(key=lambda f: (f.start, f.end, f.category))
    score = score_flags(flags)
    verified = not any(f.category in TRUTH_CATEGORIES for f in flags)
    return SafetyReport(score, band_for(score, thresholds), verified, tuple(flags))


def combine_reports(
    reports: Sequence[SafetyReport], thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> SafetyReport:
    """A job's report: its lowest output score, verified only if every output is."""
    if not reports:
        return SafetyReport(100, band_for(100, thresholds), True, ())
    score = min(r.score for r in reports)
    flags = tuple(flag for r in reports for flag in r.flags)
    return SafetyReport(score, band_for(score, thresholds), all(r.verified for r in reports), flags)
