"""Phrase rules: a pattern and what a match of it claims, shared by the multilingual detectors."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from approvals.safety.rules.claims import Claim
from approvals.safety.text import Doc, Rule, content_stems, number_value

_TOKENS = re.compile(r"\d[\d,]*(?:\.\d+)?|[a-z]+")


@dataclass(frozen=True)
class Phrase:
    """A rule whose every match is a claim of one topic.

    The match's `key` group (or `key2`, `key3` ... in alternatives), when the pattern has one, is the word a fact must share to back
    it ("compostable"); otherwise the whole match is. A match holding a number is backed by
    a fact holding that number and a word of the sentence. `money` phrases count only in a
    sentence about money; `negations` before the match ("no", "sin", "keine") cancel it.
    """

    rule: Rule
    topic: str
    kind: str = "claim"
    category: str = "unsubstantiated_claim"
    severity: str = "medium"
    backable: bool = True
    money: re.Pattern[str] | None = None
    negations: re.Pattern[str] | None = None


def phrase_claims(doc: Doc, phrases: Sequence[Phrase]) -> list[Claim]:
    text, found = doc.text, []
    for phrase in phrases:
        for m in doc.finditer(phrase.rule):
            if phrase.negations is not None and phrase.negations.search(
                text, max(0, m.start() - 30), m.start()
            ):
                continue
            if phrase.money is not None and not phrase.money.search(
                doc.sentences.sentence(m.start())
            ):
                continue
            found.append(_claim(phrase, m))
    return found


def _claim(phrase: Phrase, m: re.Match[str]) -> Claim:
    groups = m.groupdict()
    key = next((v for k, v in sorted(groups.items()) if k.startswith("key") and v), m.group())
    number = next(
        (
            value
            for token in _TOKENS.findall(m.group().lower())
            if (value := number_value(token).rstrip(".")).replace(".", "").isdigit()
        ),
        None,
    )
    return Claim(
        phrase.category,
        phrase.kind,
        phrase.severity,
        m.start(),
        m.end(),
        triggers=frozenset(content_stems(key)),
        number=number,
        backable=phrase.backable,
        topic=phrase.topic,
    )
