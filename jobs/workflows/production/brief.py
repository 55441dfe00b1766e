"""What a client's brief says, read without a model: durations, audience, tone, places, claims."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

TONES = (
    "warm", "playful", "bold", "premium", "cinematic", "documentary", "energetic", "calm",
    "humorous", "emotional", "minimal", "optimistic", "nostalgic", "urgent", "honest", "quiet",
)  # fmt: skip
PLACES = (
    "kitchen", "office", "street", "city", "beach", "forest", "mountain", "studio", "cafe",
    "park", "home", "garden", "workshop", "gym", "car", "station", "rooftop", "market",
    "field", "lake", "river", "trail", "warehouse", "classroom", "shop", "bakery", "farm",
)  # fmt: skip
PLATFORMS = ("instagram", "tiktok", "youtube", "linkedin", "facebook", "x")
_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*[- ]?\s*(seconds?|secs?|s\b|minutes?|mins?)", re.I)
_MONEY = re.compile(r"\$\s?(\d[\d,]*(?:\.\d+)?)\s*(k\b)?", re.I)
_AUDIENCE = re.compile(
    r"(?:target audience(?: is)?:?|audience(?: is)?:|aimed at|targeting|for)\s+"
    r"((?:[\w-]+\s+){0,4}?[\w-]+\s+aged\s+\d+\s*(?:-|–|to)\s*\d+\+?|(?<=:\s)[^.]+)",
    re.I,
)


@dataclass
class Brief:
    """The facts of a brief every step builds on."""

    text: str
    title: str
    brand: str
    duration: int
    audience: str
    tones: list[str]
    places: list[str]
    messages: list[str]
    budget: Decimal | None
    product: str = "the product"
    directions: list[str] = field(default_factory=list)
    platforms: list[str] = field(default_factory=list)
    attachments: list[dict[str, Any]] = field(default_factory=list)

    @property
    def tone(self) -> str:
        return ", ".join(self.tones)

    @property
    def subject(self) -> str:
        """What the piece is about, for headings: the title without the format words."""
        return self.title


_PRODUCT = re.compile(
    r"\b(?:for|of|introducing|launch(?:ing)?|meet)\s+(the\s+[A-Z0-9][\w-]*(?:\s+[\w-]+){0,3}?)"
    r"(?=[:,.;]|\s+(?:to|for|with|that|which|in|on)\b|$)"
)


def _is_direction(sentence: str) -> bool:
    """Style and shooting directions ("Warm, cinematic; shot at dawn") are not messages."""
    lowered = sentence.lower()
    tones = sum(1 for t in TONES if re.search(rf"\b{t}\b", lowered))
    return (
        tones >= 2
        or lowered.startswith(("budget", "deadline", "deliver"))
        or bool(re.search(r"\b(shot|filmed|set) (on|in|at)\b", lowered))
    )


def _names_platform(sentence: str) -> bool:
    lowered = sentence.lower()
    return any(re.search(rf"\b{p}\b", lowered) for p in PLATFORMS if p != "x")


def sentences(text: str) -> list[str]:
    parts = re.split(r"(?<=[.!?])\s+|\n+", text.strip())
    return [p.strip().rstrip(".") for p in parts if len(p.strip()) > 3]


def duration_seconds(text: str, default: int) -> int:
    match = _DURATION.search(text)
    if not match:
        return default
    value = float(match.group(1))
    if match.group(2).lower().startswith("m"):
        value *= 60
    return max(6, min(int(round(value)), 600))


def money(text: str) -> Decimal | None:
    match = _MONEY.search(text)
    if not match:
        return None
    value = Decimal(match.group(1).replace(",", ""))
    return value * 1000 if match.group(2) else value


def read_brief(
    inputs: dict[str, Any], *, brand: dict[str, Any], title: str, default_duration: int = 60
) -> Brief:
    text = str(inputs.get("brief", "")).strip()
    attachments = [a for a in inputs.get("attachments") or [] if isinstance(a, dict)]
    # The client's documents are part of the brief: their text is read like the brief's.
    attached = "\n".join(str(a.get("text", "")) for a in attachments if a.get("text"))
    whole = f"{text}\n{attached}".strip()
    lowered = whole.lower()
    audience_match = _AUDIENCE.search(whole)
    plain = [
        s
        for s in sentences(whole)
        if not _DURATION.search(s) and not _MONEY.search(s) and not _AUDIENCE.search(s)
    ]
    product = _PRODUCT.search(whole)
    # The sentence that frames the job ("Autumn posts for the X on Instagram") is a direction.
    framing = [s for s in plain if (product and product.group(0) in s) or _names_platform(s)]
    messages = [s for s in plain if not _is_direction(s) and s not in framing] or [
        s for s in plain if not _is_direction(s)
    ]
    budget = inputs.get("budget_usd")
    return Brief(
        text=text,
        title=title,
        brand=str(brand.get("name") or "The brand"),
        duration=int(inputs.get("duration_seconds") or duration_seconds(whole, default_duration)),
        audience=(audience_match.group(1).strip() if audience_match else "")
        or str(brand.get("audience") or "the brand's existing customers"),
        tones=[t for t in TONES if re.search(rf"\b{t}\b", lowered)] or ["warm", "honest"],
        places=[p for p in PLACES if re.search(rf"\b{p}s?\b", lowered)] or ["studio"],
        messages=messages[:6] or [title],
        budget=Decimal(str(budget)) if budget not in (None, "") else money(whole),
        product=product.group(1).strip() if product else "the product",
        directions=[s for s in plain if _is_direction(s) or (s in framing and s not in messages)],
        platforms=[p for p in PLATFORMS if re.search(rf"\b{p}\b", lowered)],
        attachments=attachments,
    )
