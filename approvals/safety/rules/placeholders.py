"""Leftover placeholder text: lorem ipsum, merge tags, [insert ...], TBD, XXX, example.com."""

from __future__ import annotations

import re

from approvals.safety.flags import Flag, make_flag, quote_excerpt
from approvals.safety.text import Doc, rule, word_set

_PLACEHOLDERS = (
    rule(r"\blorem\s+ipsum\b|\bdolor\s+sit\s+amet\b", "lorem|dolor"),
    rule(r"\{\{[^{}\n]{0,40}\}\}|\{%[^{}\n]{0,40}%\}|\{[A-Za-z_][\w.]{0,30}\}", "{"),
    rule(r"\*\|[A-Z_]{2,30}\|\*|%%?[A-Z_]{3,30}%%?", "*|%"),
    rule(r"<<[^<>\n]{1,30}>>|<\s*(?:insert\s+)?[a-z]+(?:[ _][a-z]+)+\s*>", "<"),
    rule(r"\b(?:TBD|TBC|TODO|FIXME|TKTK)\b", "tbd|tbc|todo|fixme|tktk", 0),
    rule(r"(?<![\w£$€])X{2,}(?![\w])", "xx", 0, starts="X"),
    rule(
        r"\b(?:insert|add|paste)\s+(?:[\w-]+\s+){0,3}here\b"
        r"|\byour\s+(?:text|headline|copy|logo|image|name|title|tagline|link)\s+(?:goes\s+)?here\b"
        r"|(?-i:\bINSERT\b)"
        r"|(?:^|(?<=[.!?:]\s))(?:insert|paste)\s+(?:[\w-]+\s+){0,4}?(?:caption|image|copy|text"
        r"|headline|link|logo|photo|quote|testimonial|name|date|price|cta|here)\b"
        r"|\b(?:copy|text|headline|image|caption|logo|content|description|cta)\s+(?:goes|to\s+go)"
        r"\s+here\b",
        "insert|paste|here",
        requires=r"insert|paste|add\s+(?:[\w-]+\s+){0,3}here|your\s+(?:text|headline|copy|logo|image"
        r"|name|title|tagline|link)\s+(?:goes\s+)?here|go(?:es)?\s+here",
    ),
    rule(
        r"\b(?:www\.)?(?:example|sample|placeholder|your(?:link|site|website|domain|company|business"
        r"|url|page|shop|brand)|companyname|domain)\.(?:com|org|net|io|co\.uk)\b",
        "example.|sample.|placeholder.|your|companyname.|domain.",
        requires=r"\.(?:com|org|net|io|co\.uk)",
    ),
    rule(r"(?<![\w_])_{2,}(?![\w_])|(?<!\S)\?{2,}(?!\S)", "__|??"),
)
# Capitalised field names ("NAME SURNAME", "COMPANY") are gaps only inside ordinary sentences;
# an all-caps banner such as "SAVE THE DATE" is a design choice.
_CAPS_FIELD = re.compile(
    r"(?-i:(?:FIRST\s+NAME|LAST\s+NAME|NAME|SURNAME|COMPANY|CITY|DATE|PRICE|PHONE|EMAIL|ADDRESS"
    r"|URL|LINK|HEADLINE|CLIENT|PRODUCT|BRAND|TITLE)(?:\s+(?:NAME|SURNAME|HERE))?\b)"
)
_BRACKETED = re.compile(r"\[(?P<inner>[^\[\]\n]{1,40})\](?!\()")
# Square-bracketed text that is a real label, not a gap to fill.
_BRACKET_LABELS = word_set(
    "ad advert sponsored gifted affiliate pr video audio photo image sic ad/gifted x"
)


def find_placeholders(doc: Doc) -> list[Flag]:
    text = doc.text
    spans = [(m.start(), m.end()) for r in _PLACEHOLDERS for m in doc.finditer(r)]
    for m in _CAPS_FIELD.finditer(text):
        if m.start() and text[m.start() - 1].isalnum():
            continue
        line_start = text.rfind("\n", 0, m.start()) + 1
        line_end = text.find("\n", m.end())
        line = text[line_start : line_end if line_end != -1 else len(text)]
        if re.search(r"[a-z]", line):
            spans.append((m.start(), m.end()))
    brackets = _BRACKETED.finditer(text) if "[" in text else ()
    for m in brackets:
        inner = m.group("inner").strip().lower()
        if inner in _BRACKET_LABELS or not re.search(r"[a-z]", inner):
            continue
        spans.append((m.start(), m.end()))
    flags = []
    last_end = -1
    for start, end in sorted(spans, key=lambda span: (span[0], -span[1])):
        if start < last_end:
            continue  # "[INSERT NAME]" is one placeholder, not two
        last_end = end
        flags.append(
            make_flag(
                text,
                "placeholder_text",
                "high",
                f'Leftover placeholder "{quote_excerpt(text[start:end])}": replace it with '
                "real copy before publishing.",
                start,
                end,
            )
        )
    return flags
