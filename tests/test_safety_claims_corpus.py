"""The scorer against the claims corpus: deceptive claims are never auto-approvable, clean copy
about the same topics keeps a good score, per category and language.

Run with -s to see the tables. The corpus (tests/safety_corpus/claims.jsonl) is described in
tests/safety_corpus/README.md; its "heldout" slice was written with the "tuned" slice but
never used to adjust the detectors, so its figures are reported apart.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from approvals.safety import DEFAULT_THRESHOLDS, SafetyReport, score_text

CORPUS = Path(__file__).parent / "safety_corpus" / "claims.jsonl"
CATEGORIES = (
    "environmental",
    "health",
    "endorsement",
    "comparative",
    "origin",
    "specification",
    "price",
)
LANGUAGES = ("en", "es", "fr", "de")
MIN_RECALL = 0.95
MAX_FALSE_ALARMS = 0.15
# A clean text scoring under the "safe" band would send a reviewer after nothing.
FALSE_ALARM_BELOW = DEFAULT_THRESHOLDS.safe


@dataclass(frozen=True)
class Case:
    id: str
    split: str
    lang: str
    category: str
    deceptive: bool
    text: str
    facts: tuple[str, ...]
    testimonials: tuple[str, ...]


@cache
def load() -> tuple[Case, ...]:
    cases = []
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            cases.append(
                Case(
                    row["id"],
                    row["split"],
                    row["lang"],
                    row["category"],
                    row["deceptive"],
                    row["text"],
                    tuple(row["facts"]),
                    tuple(row["testimonials"]),
                )
            )
    return tuple(cases)


@cache
def scored() -> tuple[tuple[Case, SafetyReport], ...]:
    return tuple(
        (c, score_text(c.text, facts=c.facts, testimonials=c.testimonials)) for c in load()
    )


def auto_approvable(report: SafetyReport) -> bool:
    """What approvals.review asks of a job's outputs, at the default thresholds."""
    return report.verified and report.score >= DEFAULT_THRESHOLDS.verified_safe


@dataclass
class Tally:
    deceptive: int = 0
    caught: int = 0
    clean: int = 0
    false_alarms: int = 0
    clean_held: int = 0  # clean texts that would still wait for a reviewer (not a false alarm)

    def add(self, case: Case, report: SafetyReport) -> None:
        if case.deceptive:
            self.deceptive += 1
            self.caught += not auto_approvable(report)
        else:
            self.clean += 1
            self.false_alarms += report.score < FALSE_ALARM_BELOW
            self.clean_held += not auto_approvable(report)

    @property
    def recall(self) -> float:
        return self.caught / self.deceptive if self.deceptive else 1.0

    @property
    def false_alarm_rate(self) -> float:
        return self.false_alarms / self.clean if self.clean else 0.0

    def row(self, name: str) -> str:
        return (
            f"{name:<22} {self.recall:>6.2f} {self.caught:>3}/{self.deceptive:<3} "
            f"{self.false_alarm_rate:>6.2f} {self.false_alarms:>3}/{self.clean:<3} "
            f"{self.clean_held:>5}"
        )


def table(split: str) -> tuple[str, Tally, list[str]]:
    overall, by_key = Tally(), {}
    misses = []
    for case, report in scored():
        if case.split != split:
            continue
        for key in (case.category, case.lang, f"{case.category}/{case.lang}"):
            by_key.setdefault(key, Tally()).add(case, report)
        overall.add(case, report)
        if case.deceptive and auto_approvable(report):
            misses.append(f"  missed {case.id}: {case.text}")
        if not case.deceptive and report.score < FALSE_ALARM_BELOW:
            misses.append(
                f"  false alarm {case.id} ({report.score}): {', '.join(report.breakdown)}"
            )
    keys = [*CATEGORIES, *LANGUAGES, *(f"{c}/{lang}" for c in CATEGORIES for lang in LANGUAGES)]
    rows = [by_key[k].row(k) for k in keys if k in by_key]
    head = f"\n{split}: {'':<14} recall  caught  f.alarm  clean  held"
    text = "\n".join([head, *rows, overall.row("overall")])
    return text, overall, misses


def test_the_corpus_covers_every_category_in_every_language() -> None:
    cases = load()
    assert len(cases) >= 300
    assert len({c.id for c in cases}) == len(cases)
    cells = Counter((c.category, c.lang, c.deceptive) for c in cases if c.split == "tuned")
    for category in CATEGORIES:
        for lang in LANGUAGES:
            assert cells[(category, lang, True)] >= 5, (category, lang)
            assert cells[(category, lang, False)] >= 3, (category, lang)
    held_out = Counter((c.category, c.lang) for c in cases if c.split == "heldout")
    assert set(held_out) == {(c, lang) for c in CATEGORIES for lang in LANGUAGES}


def test_deceptive_claims_are_caught_and_clean_copy_is_left_alone() -> None:
    text, overall, misses = table("tuned")
    print(text)
    print("\n".join(misses))
    assert overall.recall >= MIN_RECALL, text + "\n" + "\n".join(misses)
    assert overall.false_alarm_rate <= MAX_FALSE_ALARMS, text + "\n" + "\n".join(misses)


def test_the_held_out_slice_is_reported_apart() -> None:
    # Texts in wording the detectors were not adjusted to: the honest estimate for new copy.
    text, overall, misses = table("heldout")
    print(text)
    print("\n".join(misses))
    assert overall.deceptive and overall.clean
