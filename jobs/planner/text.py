"""Text cleaning for treatments: sanitising input, markdown marks, quotes."""

from __future__ import annotations

import re

MAX_INPUT = 2_000_000  # characters read at all; the API refuses far less than this

_BREAKS = re.compile("\r\n?|[\x0b\x0c\x85\u2028\u2029]")
_INVISIBLE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\u200b-\u200d\u2060\ufeff]")
_ANSI = re.compile(r"\x1b\[[0-9;?]{0,20}[A-Za-z]")
_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]{0,20}(?:\s[^<>\n]{0,200})?/?>")
BULLET = re.compile(r"^(?:[-*•+·▪►‣◦]|\d{1,3}[.)]|[a-z][.)]|\[[ xX]?\])\s+")
QUOTES_OPEN = "\"“”„«'‘’"
QUOTES_CLOSE = "\"“”»'‘’"


def _without_comments(text: str) -> str:
    """Text without HTML comments; a linear scan, since a regex could go quadratic here."""
    parts, at = [], 0
    while True:
        opening = text.find("<!--", at)
        if opening < 0:
            break
        closing = text.find("-->", opening + 4)
        if closing < 0:
            break
        parts.append(text[at:opening])
        at = closing + 3
    parts.append(text[at:])
    return "".join(parts)


def sanitise(text: str) -> str:
    """Text with line breaks unified; control characters, lone surrogates, HTML comments
    and tags removed."""
    text = text[:MAX_INPUT].encode("utf-8", "replace").decode("utf-8")
    text = _ANSI.sub("", _BREAKS.sub("\n", text))
    text = _TAG.sub(" ", _without_comments(text))
    return _INVISIBLE.sub("", text).replace("\t", "    ")


def plain(line: str) -> str:
    """A line without markdown heading marks, block quotes and emphasis."""
    line = line.strip().lstrip("#>").strip()
    return line.replace("*", "").replace("__", "").strip()


def unquote(text: str) -> str:
    text = text.strip()
    if text[:1] and text[0] in QUOTES_OPEN:
        text = text[1:]
        if text[-1:] and text[-1] in QUOTES_CLOSE:
            text = text[:-1]
    return text.strip()


def balance_quotes(text: str) -> str:
    """Text without a stray opening or closing quote left over from a quote split over lines."""
    text = text.strip()
    for opening, closing in (('"', '"'), ("“", "”"), ("‘", "’")):
        if opening == closing:
            if text.count(opening) % 2:
                text = text[1:] if text.startswith(opening) else text.removesuffix(opening)
        elif text.count(opening) != text.count(closing):
            text = (
                text.removeprefix(opening)
                if text.count(opening) > text.count(closing)
                else text.removesuffix(closing)
            )
    return text.strip()


def has_words(text: str) -> bool:
    return any(ch.isalnum() for ch in text)
