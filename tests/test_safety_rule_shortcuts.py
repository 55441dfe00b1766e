"""A rule's shortcuts (`starts`, `requires`, `needs_words`) only spare work: they never hide a
match the rule's own regex finds. Checked over the corpus and generated texts full of the
shapes the costly rules look for (digits, addresses, ids, ratings, odd cases and letters)."""

from __future__ import annotations

import importlib
import json
import pkgutil
import random
from functools import cache
from pathlib import Path

import approvals.safety.rules as rule_modules
from approvals.safety.text import Doc, Rule, Sentences, _finditer_at_starts

CORPUS = Path(__file__).parent / "safety_corpus" / "corpus.jsonl"

FRAGMENTS = [
    "AB 12 34 56 C", "ab123456c", "QQ123456C", "123-45-6789", "GB82 WEST 1234 5698 7654 32",
    "gb82west12345698765432", "12 Oak Lane", "12a Oak Tree Road, Leeds LS1 4AB", "1 High St",
    "rated 4.8 stars", "4.8-star", "9 out of 10", "rated 5/5", "example.com", "PR package",
    "improved sales by 40", "cut costs by half", "increase revenue by over 20%", "#1 rated",
    "No. 1 for", "no.1 in", "market leader", "the leader in", "best-rated", "award-winning",
    "world's first", "second to none", "f*ck", "sh!t", "XXX", "50,000 happy customers",
    "3x faster", "10 times better", "95% of", "lowest prices", "cheapest deals",
    "turn £100 into £1,000", "over 20 years of experience", "30 years' experience",
    "Mrs. Jo Bloggs, at 4 High Street", "other agencies rip you off", "Our competitors",
    "lose 10 pounds", "cures cancer", "stops headaches", "the UK’s most trusted", "the #1",
    "half of our customers", "two-thirds of all the", "my affiliate links", "[insert image here]",
    "Your headline goes here", "copy goes here", "350 local families", "over 1,000 clients",
    "5k+ users", "2 million people", "treats chronic pain", "say goodbye to", "use code SAVE20",
    "\u00a0", "\n", "£", "€", "ı", "ſ", "K", "İ", "é", ".", ",", "’", "“", "—", "1", "22", "4444",
    "Lane", "ROAD",
]  # fmt: skip


def all_rules() -> list[Rule]:
    found: dict[int, Rule] = {}

    def collect(value: object) -> None:
        if isinstance(value, Rule):
            found[id(value)] = value
        elif isinstance(value, (tuple, list)):
            for item in value:
                collect(item)

    for module in pkgutil.iter_modules(rule_modules.__path__):
        loaded = importlib.import_module(f"{rule_modules.__name__}.{module.name}")
        for value in vars(loaded).values():
            collect(value)
    return list(found.values())


@cache
def texts() -> list[str]:
    corpus = [json.loads(line)["text"] for line in CORPUS.read_text().splitlines() if line]
    rng = random.Random(7)

    def vary(fragment: str) -> str:
        roll = rng.random()
        if roll < 0.15:
            return fragment.upper()
        if roll < 0.3:
            return fragment.lower()
        return fragment.title() if roll < 0.4 else fragment

    generated = []
    for _ in range(1500):
        generated.append(" ".join(vary(rng.choice(FRAGMENTS)) for _ in range(rng.randint(1, 8))))
        generated.append("".join(vary(rng.choice(FRAGMENTS)) for _ in range(rng.randint(1, 6))))
    return corpus + generated


def test_rules_with_shortcuts_exist():
    shortcut = [r for r in all_rules() if r.starts or r.requires or r.needs_words]
    assert len(shortcut) >= 10


def test_starts_finds_exactly_what_the_regex_finds():
    rules = [r for r in all_rules() if r.starts is not None]
    for text in texts():
        ranges = [(0, len(text)), *Sentences(text).spans]
        for r in rules:
            for start, end in ranges:
                expected = [(m.span(), m.groups()) for m in r.regex.finditer(text, start, end)]
                got = [
                    (m.span(), m.groups())
                    for m in _finditer_at_starts(r.regex, r.starts, text, start, end)
                ]
                assert got == expected, (r.regex.pattern, text[start:end])


def test_requires_and_needs_words_hold_for_every_match_in_plain_texts():
    rules = [r for r in all_rules() if r.requires is not None or r.needs_words]
    checked = 0
    for text in texts():
        lower = text.lower()
        if len(lower) != len(text) or "ı" in text or "ſ" in text:
            continue  # not "plain": the scorer does not use these shortcuts there
        doc = Doc(text)
        for index, (start, end) in enumerate(Sentences(text).spans):
            for r in rules:
                for match in r.regex.finditer(text, start, end):
                    checked += 1
                    if r.requires is not None:
                        assert r.requires.search(lower, match.start(), end), (
                            r.regex.pattern,
                            match.group(),
                        )
                    if r.needs_words:
                        assert any(index in doc._find_sentences(w, True) for w in r.needs_words), (
                            r.regex.pattern,
                            text[start:end],
                        )
    assert checked > 500  # the generated texts do trigger these rules
