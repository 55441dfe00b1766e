"""The scorer against the labelled corpus: precision and recall per category, held above a bar.

Run with -s to see the table. The corpus format and how it was written are described in
tests/safety_corpus/README.md.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

from approvals.safety import CATEGORIES, SafetyReport, score_text

CORPUS = Path(__file__).parent / "safety_corpus" / "corpus.jsonl"

# The bar. A false flag costs a reviewer a few seconds: they read the message and dismiss
# it. A miss can reach a client's audience: a fabricated testimonial, a cure claim or a
# customer's phone number published under the client's name. So recall matters more than
# precision, yet precision cannot be low either, or reviewers learn to ignore flags and the
# misses come back through fatigue. 0.85 recall lets a category with 20 positives miss three
# unusual phrasings; 0.9 precision allows one stray flag in ten. The corpus itself scores
# higher; the bar leaves room for new texts in unfamiliar wording without hiding a regression.
MIN_PRECISION = 0.9
MIN_RECALL = 0.85
CLEAN_MIN_SCORE = 95


@dataclass(frozen=True)
class Case:
    id: str
    text: str
    facts: tuple[str, ...]
    testimonials: tuple[str, ...]
    competitors: tuple[str, ...]
    expected: frozenset[str]


@cache
def load_corpus() -> tuple[Case, ...]:
    cases = []
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            cases.append(
                Case(
                    id=row["id"],
                    text=row["text"],
                    facts=tuple(row["facts"]),
                    testimonials=tuple(row["testimonials"]),
                    competitors=tuple(row.get("competitors", ())),
                    expected=frozenset(row["expected"]),
                )
            )
    return tuple(cases)


@cache
def scored() -> tuple[tuple[Case, SafetyReport], ...]:
    return tuple(
        (
            case,
            score_text(
                case.text,
                facts=case.facts,
                testimonials=case.testimonials,
                competitors=case.competitors,
            ),
        )
        for case in load_corpus()
    )


def test_the_corpus_is_large_varied_and_well_formed() -> None:
    cases = load_corpus()
    assert len(cases) >= 160
    assert len({case.id for case in cases}) == len(cases)
    assert sum(1 for case in cases if not case.expected) >= 40
    positives = Counter(category for case in cases for category in case.expected)
    assert set(positives) == set(CATEGORIES)
    assert min(positives.values()) >= 10, positives
    for case in cases:
        assert case.expected <= set(CATEGORIES), case.id
        assert 0 < len(case.text) < 400, case.id


def test_precision_and_recall_per_category_hold_the_bar() -> None:
    true_pos: Counter[str] = Counter()
    false_pos: Counter[str] = Counter()
    false_neg: Counter[str] = Counter()
    mistakes = []
    for case, report in scored():
        found = {flag.category for flag in report.flags}
        true_pos.update(found & case.expected)
        false_pos.update(found - case.expected)
        false_neg.update(case.expected - found)
        if found != case.expected:
            mistakes.append(f"  {case.id}: expected {sorted(case.expected)}, got {sorted(found)}")

    rows = []
    failures = []
    for category in CATEGORIES:
        tp, fp, fn = true_pos[category], false_pos[category], false_neg[category]
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        rows.append(f"{category:<26} {precision:>9.2f} {recall:>7.2f} {tp:>4} {fp:>4} {fn:>4}")
        if precision < MIN_PRECISION or recall < MIN_RECALL:
            failures.append(f"{category}: precision {precision:.2f}, recall {recall:.2f}")
    table = "\n".join(
        [f"\n{'category':<26} {'precision':>9} {'recall':>7} {'tp':>4} {'fp':>4} {'fn':>4}", *rows]
    )
    print(table)
    if mistakes:
        print("texts scored differently from their labels:\n" + "\n".join(mistakes))
    assert not failures, "\n".join(failures)


def test_clean_texts_score_verified_safe() -> None:
    low = [
        (case.id, report.score, [f.excerpt for f in report.flags])
        for case, report in scored()
        if not case.expected and report.score < CLEAN_MIN_SCORE
    ]
    assert not low


@pytest.mark.parametrize("category", CATEGORIES)
def test_texts_raising_a_category_never_score_verified_safe(category: str) -> None:
    # Whatever else is wrong, a text with any expected problem must not be auto-approvable.
    reports = [report for case, report in scored() if category in case.expected]
    assert reports
    assert all(report.band != "verified_safe" or not report.verified for report in reports)
