"""Testimonials: quoted praise attributed to a customer, found so the truth layer can check them.

A quotation is a testimonial when it is attributed ("— Jane, CEO", ', says Mark'), introduced
as what someone said ('customers say: "..."'), or is first-person praise on its own.
Slogans and product names in quotes are none of these and are left alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from approvals.safety.text import Doc

_I = re.IGNORECASE

_QUOTED = re.compile(r"“(?P<curly>[^“”]{3,600})”|\"(?P<straight>[^\"\n]{3,600})\"")
# Single quotes double as apostrophes, so an apostrophe between letters does not close them,
# and a single-quoted passage counts only when it is attributed or introduced.
_SINGLE_QUOTED = re.compile(
    r"(?<![\w'‘’])['‘](?P<single>(?:[^'‘’\n]|(?<=\w)['’](?=\w)){3,600}?)['’](?!\w)"
)
_SPEAKERS = (
    r"customer|client|guest|parent|patient|reader|member|buyer|student|visitor|diner|owner"
    r"|homeowner|user|shopper|couple|bride|family|mum|dad"
)
# After the closing quote: a dash and a capitalised name, or "says Mark"; the attribution ends
# with its sentence, so a flag never runs on into the text after it.
_ATTRIBUTION_AFTER = re.compile(
    r"[,.!?]?\s*(?:[—–―~]|-{1,2})\s*(?-i:[A-Z★])[^\n.!?]{0,80}"
    r"|[,.!?]?\s*(?:says|said|writes|wrote|explains|adds|added|according\s+to)\s+"
    r"(?:(?:the|our|one|a|an|happy|satisfied|regular|local|loyal|another)\s+)*"
    rf"(?:(?-i:[A-Z])|(?:{_SPEAKERS})s?\b)[^.!?\n]{{0,60}}"
    # "” Sarah, Bristol": a bare name, a comma and a place or role
    r"|\s*(?-i:[A-Z][a-z]+(?:\s+[A-Z]\.?)?),\s+(?-i:[A-Z])[^\n.!?]{0,60}",
    _I,
)
# Before the opening quote: "customers say:", "one guest wrote:", "as James put it,".
_LEAD_IN = re.compile(
    r"(?:\b(?:say|says|said|saying|agree|agrees|wrote|writes|told\s+us|tell\s+us|put\s+it|raves?"
    r"|raved|review\w*|love\s+us|loves\s+us|feedback|testimonials?|in\s+their\s+words"
    r"|according\s+to|words\s+from)\b|★"
    rf"|\b(?:happy|satisfied|delighted|one|a|our)\s+(?:{_SPEAKERS})s?\b)[^“\"\n]{{0,40}}$",
    _I,
)
_FIRST_PERSON = re.compile(r"\b(?:i|i'm|i've|i'd|i’m|i’ve|i’d|my|me|we|we've|we’ve|our|us)\b", _I)
_PRAISE = re.compile(
    r"\b(?:love|loved|loving|recommend|recommended|best|amazing|brilliant|excellent|fantastic"
    r"|great|wonderful|perfect|happy|happier|thank|thanks|changed|saved|worth|nicest|friendly"
    r"|incredible|superb|impressed|delighted|outstanding|five\s+stars|5\s+stars|can't\s+wait"
    r"|couldn't\s+be|life-changing|game-changer|lifesaver|so\s+glad|sooner)\b",
    _I,
)


@dataclass(frozen=True)
class Quote:
    """A testimonial in the text: the quoted words and the span flagged (quote and attribution)."""

    words: str
    start: int
    end: int


def find_testimonials(doc: Doc) -> list[Quote]:
    text, found = doc.text, []
    if doc.has(('"', "“")):
        for m in _QUOTED.finditer(text):
            words = m.group("curly") if m.group("curly") is not None else m.group("straight")
            _consider(text, m, words, found, praise_alone=True)
    singles = _single_quoted(text) if doc.has(("'", "‘")) else ()
    for m in singles:
        if not any(q.start <= m.start() < q.end for q in found):
            _consider(text, m, m.group("single"), found, praise_alone=False)
    return sorted(found, key=lambda q: q.start)


def _single_quoted(text: str) -> Iterator[re.Match[str]]:
    """_SINGLE_QUOTED.finditer(text), trying only where an opening quote stands.

    The pattern starts with a lookbehind, so the regex engine would try every position of
    the text; a match can only start at ' or ‘, and apostrophes are few.
    """
    pos = 0
    while True:
        straight, curly = text.find("'", pos), text.find("‘", pos)
        start = min(straight, curly) if straight != -1 and curly != -1 else max(straight, curly)
        if start == -1:
            return
        m = _SINGLE_QUOTED.match(text, start)
        if m:
            yield m
            pos = m.end()
        else:
            pos = start + 1


def _consider(
    text: str, m: re.Match[str], words: str, found: list[Quote], *, praise_alone: bool
) -> None:
    if len(words.split()) < 3:
        return
    after = _ATTRIBUTION_AFTER.match(text, m.end())
    before = _LEAD_IN.search(text, max(0, m.start() - 120), m.start())
    praise = praise_alone and _FIRST_PERSON.search(words) and _PRAISE.search(words)
    if after or before or praise:
        found.append(Quote(words, m.start(), after.end() if after else m.end()))
