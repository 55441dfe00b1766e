"""Input normalisation: duration, language, aspect ratio, platform and tone for one plan."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from jobs.planner.errors import PlannerInputError
from jobs.planner.hints import duration_from_text, platform_from_text
from jobs.planner.vocabulary import ASPECT_RATIOS

MIN_DURATION = 5
MAX_DURATION = 600
DEFAULTS = {
    "duration_seconds": 60,
    "language": "en",
    "aspect_ratio": "16:9",
    "platform": "web",
    "tone": "professional",
}
SMART_AUTO = "smart auto"

# What "Smart Auto" picks for each platform. Instagram's feed favours 4:5 portrait posts.
PLATFORM_ASPECT = {
    "youtube": "16:9",
    "web": "16:9",
    "linkedin": "16:9",
    "facebook": "16:9",
    "twitter": "16:9",
    "tiktok": "9:16",
    "instagram_reels": "9:16",
    "youtube_shorts": "9:16",
    "instagram_story": "9:16",
    "snapchat": "9:16",
    "instagram": "4:5",
}

RESOLUTIONS = {"16:9": (1280, 720), "9:16": (720, 1280), "1:1": (720, 720), "4:5": (720, 900)}
# "1080p": the short side 1080 pixels instead of 720.
FULL_HD = {"16:9": (1920, 1080), "9:16": (1080, 1920), "1:1": (1080, 1080), "4:5": (1080, 1350)}
QUALITIES = {"720p": RESOLUTIONS, "1080p": FULL_HD}

_LANGUAGE_NAMES = {
    "english": "en",
    "spanish": "es",
    "español": "es",
    "french": "fr",
    "français": "fr",
    "german": "de",
    "deutsch": "de",
    "italian": "it",
    "portuguese": "pt",
    "dutch": "nl",
    "polish": "pl",
    "swedish": "sv",
    "japanese": "ja",
    "chinese": "zh",
    "korean": "ko",
    "hindi": "hi",
    "arabic": "ar",
    "russian": "ru",
    "turkish": "tr",
}
_LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(?:-[a-z0-9]{2,8})?$")
_PLATFORM_SLUG = re.compile(r"^[a-z0-9][a-z0-9 _-]{0,39}$")
_ASPECT_ALIASES = {
    "landscape": "16:9",
    "horizontal": "16:9",
    "widescreen": "16:9",
    "portrait": "9:16",
    "vertical": "9:16",
    "square": "1:1",
}

# Each field can be spelled several ways by the dashboard, the API and the analyzer.
_KEYS = {
    "duration_seconds": ("duration_seconds", "durationSeconds", "duration", "totalDurationSeconds"),
    "aspect_ratio": ("aspect_ratio", "aspectRatio", "aspect"),
    "platform": ("platform",),
    "language": ("language", "lang"),
    "tone": ("tone",),
}


@dataclass(frozen=True)
class PlannerInputs:
    """The settled choices a manifest is built for, and where each one came from."""

    duration_seconds: int = 60
    language: str = "en"
    aspect_ratio: str = "16:9"
    platform: str = "web"
    tone: str = "professional"
    resolution: tuple[int, int] = (1280, 720)
    sources: dict[str, str] = field(default_factory=dict, compare=False)
    warnings: tuple[str, ...] = field(default=(), compare=False)


def _given(data: dict[str, Any] | None, name: str) -> Any:
    if not isinstance(data, dict):
        return None
    for key in _KEYS[name]:
        value = data.get(key)
        if value is not None and not (isinstance(value, str) and not value.strip()):
            return value
    return None


def parse_duration(value: Any) -> int | None:
    """Whole seconds from an int, float or text such as '60', '60s' or '1:30'; None if unusable."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return int(round(value)) if math.isfinite(value) else None
    if isinstance(value, str) and len(value) <= 40:
        text = value.strip().lower()
        if re.fullmatch(
            r"\d{1,2}:\d{2}|~?\d{1,4}(?:\.\d+)?\s*(?:s|secs?|seconds?|m|mins?|minutes?)?", text
        ):
            return duration_from_text(text)
    return None


def parse_aspect(value: Any) -> str | None:
    """One of the four ratios, 'smart auto', or None when the value names neither."""
    if not isinstance(value, str) or len(value) > 40:
        return None
    text = " ".join(value.strip().lower().replace("_", " ").replace("-", " ").split())
    if text in ("smart auto", "auto", "smartauto", "smart"):
        return SMART_AUTO
    if text in _ASPECT_ALIASES:
        return _ASPECT_ALIASES[text]
    compact = re.sub(r"\s+", "", text).replace("x", ":").replace("/", ":").replace("×", ":")
    return compact if compact in ASPECT_RATIOS else None


def parse_platform(value: Any) -> str | None:
    """A platform slug: a known name normalised ('Instagram Reels' -> instagram_reels) or a slug."""
    if not isinstance(value, str) or len(value) > 40:
        return None
    known = platform_from_text(value)
    if known:
        return known
    text = value.strip().lower()
    return re.sub(r"[\s-]+", "_", text) if _PLATFORM_SLUG.match(text) else None


def parse_language(value: Any) -> str | None:
    """A language code ('en', 'pt-br') from a code or an English name; None if unrecognised."""
    if not isinstance(value, str) or len(value) > 40:
        return None
    text = value.strip().lower().replace("_", "-")
    if text in _LANGUAGE_NAMES:
        return _LANGUAGE_NAMES[text]
    return text if _LANGUAGE_CODE.match(text) else None


def parse_tone(value: Any) -> str | None:
    """A short lower-case tone ('playful', 'warm and direct'); None for non-text or essays."""
    if not isinstance(value, str):
        return None
    text = " ".join(value.strip().lower().split())
    return text if 0 < len(text) <= 60 else None


_PARSERS = {
    "duration_seconds": parse_duration,
    "aspect_ratio": parse_aspect,
    "platform": parse_platform,
    "language": parse_language,
    "tone": parse_tone,
}
_USER_ERRORS = {
    "duration_seconds": f"must be a number of seconds between {MIN_DURATION} and {MAX_DURATION}",
    "aspect_ratio": "must be one of 16:9, 9:16, 1:1, 4:5 or Smart Auto",
    "platform": "must be a platform name such as youtube, tiktok, instagram or web",
    "language": "must be a language code such as en or pt-BR",
    "tone": "must be a short description of at most 60 characters",
}


def _in_range(name: str, value: Any) -> bool:
    return name != "duration_seconds" or MIN_DURATION <= value <= MAX_DURATION


def _quality(user: dict[str, Any] | None) -> dict[str, tuple[int, int]]:
    """The frame sizes for the user's "resolution" choice (720p unless 1080p is asked for)."""
    raw = user.get("resolution") if isinstance(user, dict) else None
    if raw in (None, ""):
        return RESOLUTIONS
    key = str(raw).strip().lower()
    if key not in QUALITIES:
        raise PlannerInputError("resolution", f"must be 720p or 1080p (got {str(raw)[:40]!r})")
    return QUALITIES[key]


def normalise_inputs(
    user: dict[str, Any] | None,
    analyzer: dict[str, Any] | None = None,
    treatment_hints: dict[str, Any] | None = None,
) -> PlannerInputs:
    """The plan's settings: the user's choice, else the analyzer's, else the treatment's, else
    a default. Bad user values raise PlannerInputError; bad analyzer or hint values are skipped.
    "Smart Auto" leaves the ratio open and it is then resolved from the platform."""
    if user is not None and not isinstance(user, dict):
        raise PlannerInputError("user", "must be an object of choices")
    hints = dict(treatment_hints or {})
    if "duration_seconds" not in hints and isinstance(hints.get("timecode_total"), int | float):
        hints["duration_seconds"] = hints["timecode_total"]
    chosen: dict[str, Any] = {}
    sources: dict[str, str] = {}
    warnings: list[str] = []
    for name, parse in _PARSERS.items():
        raw = _given(user, name)
        if raw is not None:
            value = parse(raw)
            if value is None or not _in_range(name, value):
                raise PlannerInputError(name, f"{_USER_ERRORS[name]} (got {str(raw)[:40]!r})")
            if value != SMART_AUTO:
                chosen[name], sources[name] = value, "user"
                continue
        for source, data in (("analyzer", analyzer), ("treatment", hints)):
            raw = _given(data, name)
            if raw is None:
                continue
            value = parse(raw)
            if value is None or value == SMART_AUTO:
                continue
            if not _in_range(name, value):
                clamped = min(max(value, MIN_DURATION), MAX_DURATION)
                warnings.append(f"The {source} asked for {value}s; using {clamped}s")
                value = clamped
            chosen[name], sources[name] = value, source
            break
        else:
            chosen[name], sources[name] = DEFAULTS[name], "default"
    if sources["aspect_ratio"] == "default":
        chosen["aspect_ratio"] = PLATFORM_ASPECT.get(chosen["platform"], DEFAULTS["aspect_ratio"])
        sources["aspect_ratio"] = "platform" if chosen["platform"] in PLATFORM_ASPECT else "default"
    return PlannerInputs(
        duration_seconds=int(chosen["duration_seconds"]),
        language=chosen["language"],
        aspect_ratio=chosen["aspect_ratio"],
        platform=chosen["platform"],
        tone=chosen["tone"],
        resolution=_quality(user)[chosen["aspect_ratio"]],
        sources=sources,
        warnings=tuple(warnings),
    )
