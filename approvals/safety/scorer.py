"""score_text: runs every detector and the truth layer, and turns the flags into a score and band.

Weights: a text starts at 100 and each flag subtracts by severity (low 4, medium 10, high 22,
critical 45). Repeats in one category cost half as much each time, so ten superlatives read
as one problem repeated, not ten. Hence one unbacked superlative scores 90 (safe, not
auto-approvable), a health promise or leftover placeholder 78 (review needed), and a
fabricated testimonial or a slur 55 (safety concerns).

The score says how risky a text is; `verified` says whether every claim has its evidence.
An unbacked product specification costs only 4 points, so the text may stay in the top
band, yet it is not verified and so never auto-approved. So is a text in a language the
detectors do not read. Repeats of one claim are one flag with its occurrences, and the
breakdown says in words what each flag cost ("-30 unsubstantiated health claim 'cures
fatigue' x2").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from approvals.safety.bands import BAND_LABELS, DEFAULT_THRESHOLDS, Thresholds, band_for
from approvals.safety.flags import (
    CATEGORY_LABELS,
    CLAIM_TYPES,
    TRUTH_CATEGORIES,
    Flag,
    make_flag,
    quote_excerpt,
)
from approvals.safety.languages import detect_language
from approvals.safety.rules.claims import find_claims
from approvals.safety.rules.competitors import find_disparagement
from approvals.safety.rules.disclosure import find_missing_disclosure
from approvals.safety.rules.endorsements import find_endorsements
from approvals.safety.rules.environmental import find_environmental
from approvals.safety.rules.language import find_profanity_hate
from approvals.safety.rules.money import find_money_claims
from approvals.safety.rules.origin import find_origin
from approvals.safety.rules.personal_data import find_personal_data
from approvals.safety.rules.placeholders import find_placeholders
from approvals.safety.rules.promises import find_promises
from approvals.safety.rules.specifications import find_specifications
from approvals.safety.rules.superlatives import find_superlatives
from approvals.safety.rules.testimonials import find_testimonials
from approvals.safety.rules.wellness import find_wellness
from approvals.safety.text import Doc, normalise
from approvals.safety.truth import (
    claim_flags,
    prepare_facts,
    resolve_claims,
    testimonial_flags,
)

SEVERITY_WEIGHTS: dict[str, int] = {"low": 4, "medium": 10, "high": 22, "critical": 45}
REPEAT_FACTOR = 0.5
# Claim detectors beyond claims.py and promises.py, one per kind of claim, each in English,
# Spanish, French and German.
CLAIM_DETECTORS = (
    find_environmental,
    find_wellness,
    find_endorsements,
    find_superlatives,
    find_origin,
    find_specifications,
    find_money_claims,
)
# What a text the detectors cannot read costs: unknown risk, not verified.
UNCOVERED_LANGUAGE_SEVERITY = "medium"


@dataclass(frozen=True)
class SafetyReport:
    """A text's (or a job's) score, band, truth-layer verdict, flags, language and breakdown."""

    score: int
    band: str
    verified: bool
    flags: tuple[Flag, ...]
    language: str = ""
    breakdown: tuple[str, ...] = ()

    def as_dict(self) -> dict:
        return {
            "score": self.score,
            "band": self.band,
            "band_label": BAND_LABELS[self.band],
            "verified": self.verified,
            "flags": [flag.as_dict() for flag in self.flags],
            "language": self.language,
            "breakdown": list(self.breakdown),
        }


def _penalties(flags: Sequence[Flag]) -> list[float]:
    """What each flag costs: its weight, halved for each heavier or earlier one in its category."""
    penalties = [0.0] * len(flags)
    by_category: dict[str, list[int]] = {}
    for index, flag in enumerate(flags):
        by_category.setdefault(flag.category, []).append(index)
    for indices in by_category.values():
        ordered = sorted(indices, key=lambda i: -SEVERITY_WEIGHTS[flags[i].severity])
        for repeat, index in enumerate(ordered):
            penalties[index] = SEVERITY_WEIGHTS[flags[index].severity] * REPEAT_FACTOR**repeat
    return penalties


def score_flags(flags: Sequence[Flag]) -> int:
    """100 minus the flags' weights, each repeat in a category costing half the one before.

    A grouped flag counts once for each of its occurrences.
    """
    occurrences = [flag for flag in flags for _ in range(flag.count)]
    return max(0, min(100, round(100 - sum(_penalties(occurrences)))))


def group_flags(flags: Sequence[Flag]) -> list[Flag]:
    """One flag per claim (category, claim type and wording), with every occurrence and the
    points the group costs; `flags` are single occurrences in text order."""
    penalties = _penalties(flags)
    groups: dict[tuple[str, str, str], list[int]] = {}
    for index, flag in enumerate(flags):
        key = (flag.category, flag.claim_type, normalise(flag.excerpt) or flag.excerpt)
        groups.setdefault(key, []).append(index)
    grouped = []
    for indices in groups.values():
        first = flags[indices[0]]
        grouped.append(
            replace(
                first,
                occurrences=tuple((flags[i].start, flags[i].end) for i in indices),
                points=round(sum(penalties[i] for i in indices)),
            )
        )
    return grouped


def breakdown_line(flag: Flag) -> str:
    """ "-30 unsubstantiated health claim 'cures fatigue' x2": what a flag cost, in words."""
    if flag.claim_type and flag.category in TRUTH_CATEGORIES:
        what = f"unsubstantiated {CLAIM_TYPES.get(flag.claim_type, flag.claim_type)}"
    else:
        what = CATEGORY_LABELS[flag.category].lower()
    times = f" x{flag.count}" if flag.count > 1 else ""
    return f"-{flag.points} {what} '{quote_excerpt(flag.excerpt)}'{times}"


def _language_flag(doc: Doc) -> tuple[str, list[Flag]]:
    language = detect_language(doc.lower)
    if language.covered:
        return language.code, []
    start, end = doc.sentences.spans[0]
    sentence = doc.text[start:end]
    start += len(sentence) - len(sentence.lstrip())
    end -= len(sentence) - len(sentence.rstrip())
    if end <= start:
        start, end = 0, len(doc.text)
    flag = make_flag(
        doc.text, "uncovered_language", UNCOVERED_LANGUAGE_SEVERITY, language.reason, start, end
    )
    return language.code, [flag]


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
    found = find_claims(doc) + find_promises(doc)
    for detector in CLAIM_DETECTORS:
        found += detector(doc)
    candidates = [
        c
        for c in found
        if c.category != "unsubstantiated_claim"
        or not any(q.start <= c.start and c.end <= q.end for q in quotes)
        # "Customers love us:" or stars leading into a quotation introduce the testimonial.
        and not (c.topic == "endorsement" and any(0 <= q.start - c.end <= 60 for q in quotes))
    ]
    language, language_flags = _language_flag(doc)
    flags = [
        *language_flags,
        *testimonial_flags(text, quotes, testimonials),
        *claim_flags(doc, resolve_claims(candidates, doc.sentences), prepare_facts(facts)),
        *find_missing_disclosure(doc),
        *find_personal_data(doc),
        *find_profanity_hate(doc),
        *find_disparagement(doc, competitors),
        *find_placeholders(doc),
    ]
    flags.sort(key=lambda f: (f.start, f.end, f.category))
    grouped = group_flags(flags)
    score = score_flags(grouped)
    verified = not any(f.category in TRUTH_CATEGORIES for f in grouped)
    return SafetyReport(
        score,
        band_for(score, thresholds),
        verified,
        tuple(grouped),
        language,
        tuple(breakdown_line(f) for f in grouped),
    )


def combine_reports(
    reports: Sequence[SafetyReport], thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> SafetyReport:
    """A job's report: its lowest output score, verified only if every output is."""
    if not reports:
        return SafetyReport(100, band_for(100, thresholds), True, ())
    score = min(r.score for r in reports)
    flags = tuple(flag for r in reports for flag in r.flags)
    languages = ",".join(sorted({r.language for r in reports if r.language}))
    return SafetyReport(
        score,
        band_for(score, thresholds),
        all(r.verified for r in reports),
        flags,
        languages,
        tuple(line for r in reports for line in r.breakdown),
    )
