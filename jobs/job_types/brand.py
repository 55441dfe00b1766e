"""The client's brand profile as the writers see it, with safe defaults for missing fields."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

# A neutral starter palette, used only when the client has not given valid colours.
DEFAULT_COLORS = ("#1F4E79", "#2E86AB", "#F18F01")
DEFAULT_NAME = "Our team"
DEFAULT_AUDIENCE = "your customers"

_HEX = re.compile(r"^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")


def normalise_hex(value: Any) -> str | None:
    """'#abc', 'abc123' or '#AbC123' as '#AABBCC'; None when it is not a hex colour."""
    if not isinstance(value, str):
        return None
    match = _HEX.match(value.strip())
    if not match:
        return None
    digits = match.group(1)
    if len(digits) == 3:
        digits = "".join(ch * 2 for ch in digits)
    return "#" + digits.upper()


def _text(value: Any) -> str:
    return " ".join(str(value).split()) if value is not None else ""


def _texts(values: Any) -> list[str]:
    if isinstance(values, str):
        values = [values]
    if not isinstance(values, Iterable):
        return []
    seen: list[str] = []
    for value in values:
        cleaned = _text(value)
        if cleaned and cleaned.lower() not in (s.lower() for s in seen):
            seen.append(cleaned)
    return seen


@dataclass
class BrandProfile:
    """Who is speaking: name, voice, colours, audience and the facts we may state."""

    name: str = DEFAULT_NAME
    voice: str = ""
    tone: str = ""
    colors: list[str] = field(default_factory=lambda: list(DEFAULT_COLORS))
    audience: str = ""
    tagline: str = ""
    values: list[str] = field(default_factory=list)
    website: str = ""
    industry: str = ""
    location: str = ""
    phone: str = ""
    email: str = ""
    verified_facts: list[str] = field(default_factory=list)
    testimonials: list[str] = field(default_factory=list)
    colors_from_client: bool = False

    @classmethod
    def from_dict(
        cls,
        data: Mapping[str, Any] | None,
        verified_facts: Iterable[str] | None = None,
        testimonials: Iterable[str] | None = None,
    ) -> BrandProfile:
        """Parse a stored brand profile; facts and testimonials may come from elsewhere."""
        data = dict(data or {})
        colors = [c for c in (normalise_hex(v) for v in _texts(data.get("colors"))) if c]
        facts = _texts(verified_facts if verified_facts is not None else data.get("verified_facts"))
        quotes = _texts(testimonials if testimonials is not None else data.get("testimonials"))
        return cls(
            name=_text(data.get("name")) or DEFAULT_NAME,
            voice=_text(data.get("voice")),
            tone=_text(data.get("tone")),
            colors=colors or list(DEFAULT_COLORS),
            audience=_text(data.get("audience")),
            tagline=_text(data.get("tagline")),
            values=_texts(data.get("values")),
            website=_text(data.get("website")),
            industry=_text(data.get("industry")),
            location=_text(data.get("location")),
            phone=_text(data.get("phone")),
            email=_text(data.get("email")),
            verified_facts=facts,
            testimonials=quotes,
            colors_from_client=bool(colors),
        )

    @property
    def audience_or_default(self) -> str:
        return self.audience or DEFAULT_AUDIENCE
