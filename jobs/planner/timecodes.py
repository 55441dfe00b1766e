"""Timecodes in treatments: '0:05-0:10', '00:00:05', '(5s)', '0-5 seconds'."""

from __future__ import annotations

import re
from dataclasses import dataclass

CLOCK = r"\d{1,2}(?::\d{2}){1,2}(?:\.\d{1,3})?"
SECS = r"\d{1,4}(?:\.\d{1,3})?"
UNIT = r"(?:seconds|second|secs|sec|s)\b"
_RANGE = re.compile(
    rf"({CLOCK}|{SECS})\s*({UNIT})?\s*(?:-|–|—|to)\s*({CLOCK}|{SECS})\s*({UNIT})?", re.I
)
_BRACKETED_SECONDS = re.compile(rf"[(\[]\s*~?\s*({SECS})\s*{UNIT}\s*[)\]]", re.I)
_TRAILING_SECONDS = re.compile(rf"(?:^|\s)~?({SECS})\s*{UNIT}\s*$", re.I)
_CLOCK_ANYWHERE = re.compile(rf"[(\[]\s*({CLOCK})\s*[)\]]")
BARE_SECONDS = re.compile(rf"^~?({SECS})\s*(?:{UNIT})?\s*$", re.I)  # "Duration: 5"
CLOCK_START = re.compile(rf"^[\[(]?\s*({CLOCK})\s*[\])]?\s*[:\-–—|.]?\s*(.*)$")


def seconds(token: str) -> float:
    parts = [float(p) for p in token.split(":")]
    total = 0.0
    for part in parts:
        total = total * 60 + part
    return total


def find_range(text: str) -> tuple[float, float, int, int] | None:
    """The first timecode range in text as (start, end, span start, span end)."""
    for match in _RANGE.finditer(text):
        first, first_unit, second, second_unit = match.groups()
        # Bare numbers ("3-5 tips") only count as times when a unit says so.
        if ":" not in first and ":" not in second and not (first_unit or second_unit):
            continue
        start, end = seconds(first), seconds(second)
        if end > start:
            return start, end, match.start(), match.end()
    return None


@dataclass
class Timing:
    start: float | None = None
    end: float | None = None
    duration: float | None = None


def take_timing(text: str) -> tuple[str, Timing]:
    """Timing found in a header or label, and the text without it."""
    timing = Timing()
    found = find_range(text)
    if found:
        timing.start, timing.end, a, b = found
        return _drop_span(text, a, b), timing
    for pattern in (_BRACKETED_SECONDS, _TRAILING_SECONDS):
        match = pattern.search(text)
        if match and float(match.group(1)) > 0:
            timing.duration = float(match.group(1))
            return _drop_span(text, match.start(), match.end()), timing
    match = _CLOCK_ANYWHERE.search(text)
    if match:
        timing.start = seconds(match.group(1))
        return _drop_span(text, match.start(), match.end()), timing
    return text, timing


def _drop_span(text: str, a: int, b: int) -> str:
    left, right = text[:a].rstrip(), text[b:].lstrip()
    # Remove the brackets that held the timecode, if any.
    if left.endswith(("(", "[")) and right.startswith((")", "]")):
        left, right = left[:-1], right[1:]
    return f"{left} {right}".strip()
