"""What a treatment says about the whole video: length, format, platform, tone, title."""

from __future__ import annotations

import re

from jobs.planner.text import BULLET, plain, unquote
from jobs.planner.treatment import clip

HINT_WINDOW = 20_000  # hints about the whole video live near the top

HINT_LABEL = re.compile(
    r"^(video title|working title|title|project|total duration|total length|duration|length"
    r"|run ?time|platforms?|channel|placement|format|aspect ratio|aspect|orientation|ratio"
    r"|language|lang|tone of voice|tone|voice|style|mood|music|audience|target audience"
    r"|brand|client|product|goal|objective|deliverable|logline)\s*:\s*(.*)$",
    re.IGNORECASE,
)

_PLATFORM_NAMES = (
    ("youtube shorts", "youtube_shorts"),
    ("youtube short", "youtube_shorts"),
    ("instagram reels", "instagram_reels"),
    ("instagram reel", "instagram_reels"),
    ("instagram stories", "instagram_story"),
    ("instagram story", "instagram_story"),
    ("tiktok", "tiktok"),
    ("tik tok", "tiktok"),
    ("youtube", "youtube"),
    ("instagram", "instagram"),
    ("reels", "instagram_reels"),
    ("shorts", "youtube_shorts"),
    ("linkedin", "linkedin"),
    ("facebook", "facebook"),
    ("snapchat", "snapchat"),
    ("twitter", "twitter"),
    ("website", "web"),
    ("the web", "web"),
    ("web", "web"),
)
_PLATFORM_ALTERNATION = "|".join(re.escape(name) for name, _ in _PLATFORM_NAMES)
_PLATFORM_FOR = re.compile(rf"\b(?:for|on)\s+(?:the\s+)?({_PLATFORM_ALTERNATION})\b", re.I)
_PLATFORM_NOUN = re.compile(
    rf"\b({_PLATFORM_ALTERNATION})\s+(?:video|ad|spot|reel|short|story|post|clip|campaign"
    r"|explainer|promo|version|cut|edit)\b",
    re.IGNORECASE,
)
_VIDEO_NOUNS = (
    r"(?:video|spot|ad|advert|explainer|clip|promo|reel|short|teaser|cut|version|film"
    r"|commercial|trailer|story|piece|animation|sizzle|edit|social|launch|tiktok|youtube"
    r"|pre-?roll|bumper)"
)
_DURATION_FREE = re.compile(
    rf"\b(\d{{1,3}})\s*-?\s*(seconds?|secs?|s|minutes?|mins?)\b\s*-?\s*(?:\w+\s+)?{_VIDEO_NOUNS}",
    re.IGNORECASE,
)
_SECONDS_ANYWHERE = re.compile(
    r"\b\d{1,3}(?:\.\d+)?\s*-?\s*(?:seconds?|secs?|s|minutes?|mins?)\b", re.I
)
_ASPECT_EXACT = re.compile(r"(?<![\d:])(16|9|1|4)\s*[:x×/]\s*(9|16|1|5)(?![\d:])")
_ASPECT_WORDS = re.compile(
    r"\b(vertical|portrait|horizontal|landscape|widescreen|square)\b\s*(?:\w+\s+)?"
    r"(?:video|format|cut|version|clip|edit|orientation|frame|ratio|aspect|post|\()",
    re.IGNORECASE,
)
_ASPECT_FROM_WORD = {
    "vertical": "9:16",
    "portrait": "9:16",
    "horizontal": "16:9",
    "landscape": "16:9",
    "widescreen": "16:9",
    "square": "1:1",
}


def platform_from_text(text: str) -> str | None:
    """The platform a phrase names (known names only), e.g. 'Instagram Reels' -> reels."""
    lowered = " ".join(text.lower().split())
    for name, platform in _PLATFORM_NAMES:
        if re.search(rf"\b{re.escape(name)}\b", lowered):
            return platform
    return None


def aspect_from_text(text: str) -> str | None:
    """The aspect ratio a phrase names, as one of the four supported ratios."""
    for match in _ASPECT_EXACT.finditer(text):
        ratio = f"{match.group(1)}:{match.group(2)}"
        if ratio in ("16:9", "9:16", "1:1", "4:5"):
            return ratio
    words = re.search(r"\b(vertical|portrait|horizontal|landscape|widescreen|square)\b", text, re.I)
    return _ASPECT_FROM_WORD[words.group(1).lower()] if words else None


def duration_from_text(text: str) -> int | None:
    """Seconds from '60 seconds', '60s', '1:30', '1 minute', '1.5 min' or a bare number."""
    text = text.strip().lower()
    clock = re.match(r"^(\d{1,2}):(\d{2})\b", text)
    if clock:
        return int(clock.group(1)) * 60 + int(clock.group(2))
    match = re.match(r"^~?(\d{1,4}(?:\.\d+)?)\s*-?\s*(seconds?|secs?|s|minutes?|mins?|m)?\b", text)
    if not match:
        return None
    number = float(match.group(1))
    if (match.group(2) or "").startswith("m"):
        number *= 60
    return int(round(number))


def hints_from_labels(lines: list[str], hints: dict[str, object]) -> None:
    for raw in lines:
        text = plain(raw)
        bullet = BULLET.match(text)
        if bullet:
            text = text[bullet.end() :]
        match = HINT_LABEL.match(text[:300])
        if not match:
            continue
        key, value = match.group(1).lower(), unquote(match.group(2))
        if not value:
            continue
        if key in ("title", "video title", "working title", "project"):
            hints.setdefault("title", clip(value, 200))
        elif key in ("duration", "length", "total duration", "total length", "runtime", "run time"):
            seconds = duration_from_text(value)
            if seconds:
                hints.setdefault("duration_seconds", seconds)
        elif key in ("platform", "platforms", "channel", "placement"):
            hints.setdefault("platform", platform_from_text(value) or clip(value, 40).lower())
        elif key in ("aspect ratio", "aspect", "orientation", "ratio"):
            ratio = aspect_from_text(value)
            if ratio:
                hints.setdefault("aspect_ratio", ratio)
        elif key == "format":
            hints_from_prose(value, hints)
            seconds = _SECONDS_ANYWHERE.search(value)
            if seconds and "duration_seconds" not in hints:
                hints["duration_seconds"] = duration_from_text(seconds.group(0))
            ratio = aspect_from_text(value)
            if ratio:
                hints.setdefault("aspect_ratio", ratio)
        elif key in ("language", "lang"):
            hints.setdefault("language", clip(value, 40))
        elif key in ("tone", "tone of voice", "voice"):
            hints.setdefault("tone", clip(value, 60))
        elif key in ("music", "mood"):
            hints.setdefault("music", clip(value, 200))
        elif key in ("audience", "target audience"):
            hints.setdefault("audience", clip(value, 200))
        elif key == "style":
            hints.setdefault("style", clip(value, 200))


def hints_from_prose(text: str, hints: dict[str, object]) -> None:
    if "duration_seconds" not in hints:
        match = _DURATION_FREE.search(text)
        if match:
            number = int(match.group(1)) * (60 if match.group(2).lower().startswith("m") else 1)
            hints["duration_seconds"] = number
    if "platform" not in hints:
        candidates = [m for m in (_PLATFORM_FOR.search(text), _PLATFORM_NOUN.search(text)) if m]
        if candidates:
            first = min(candidates, key=lambda m: m.start())
            hints["platform"] = platform_from_text(first.group(1))
    if "aspect_ratio" not in hints:
        exact = aspect_from_text(" ".join(m.group(0) for m in _ASPECT_EXACT.finditer(text)))
        words = _ASPECT_WORDS.search(text)
        if exact:
            hints["aspect_ratio"] = exact
        elif words:
            hints["aspect_ratio"] = _ASPECT_FROM_WORD[words.group(1).lower()]
