"""Copy and layout specs for banners, social images, infographics and logo marks."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from ..brand import BrandProfile
from ..deliverable import Deliverable
from .common import Setup, capitalise, finalise, fit, setup, word_count

# How much copy each canvas can carry legibly: headline, subline and button characters.
LAYOUTS: dict[str, tuple[str, int, int, int]] = {
    "728x90": ("leaderboard", 38, 0, 14),
    "300x250": ("rectangle", 32, 60, 16),
    "1500x500": ("header", 48, 80, 20),
    "1200x628": ("landscape", 52, 90, 22),
    "1080x1080": ("square", 52, 100, 22),
    "1080x1350": ("portrait", 56, 110, 22),
    "1080x1920": ("story", 56, 120, 22),
    "512x512": ("mark", 28, 48, 0),
    "1024x1024": ("mark", 28, 48, 0),
}
HEADLINES = (
    "{Topic}",
    "{Topic}, made simple",
    "Ready for {topic}?",
    "Discover {topic}",
    "{Topic} starts here",
)
SHORT_CTAS = {
    "professional": ("Find out more", "Learn more", "Get in touch"),
    "friendly": ("Say hello", "Come and see", "Find out more"),
    "playful": ("Take a peek", "Come and see", "Say hi"),
    "authoritative": ("Learn more", "Book a call", "Read the guide"),
    "inspirational": ("Start today", "Take the first step", "Begin here"),
}


def _initials(name: str) -> str:
    words = re.findall(r"[A-Za-z0-9]+", name)
    return "".join(w[0] for w in words[:2]).upper() or name[:1].upper()


def write(
    inputs: dict[str, Any],
    brand: BrandProfile,
    *,
    feedback: Sequence[str] = (),
    revision: int = 1,
    description: str = "",
) -> list[Deliverable]:
    kind = inputs["visualType"]
    s = setup(
        f"visual:{kind}",
        inputs,
        brand,
        feedback,
        revision,
        topic=inputs.get("topic") or inputs.get("headline") or brand.tagline or brand.name,
    )
    # One headline and button for the whole set, so every size reads as the same campaign.
    options = [o for o in (s.composer.render(t) for t in HEADLINES) if s.plan.allows(o)]
    if s.plan.length_factor < 1:
        options.sort(key=len)
        preferred = options[0] if options else capitalise(s.topic)
    else:
        preferred = s.rng.choice(options) if options else capitalise(s.topic)
    headline = str(inputs.get("headline") or preferred)
    cta = str(inputs.get("callToAction") or s.rng.choice(SHORT_CTAS[s.tone]))
    out = []
    for size in inputs["sizes"]:
        spec = _spec(s, inputs, kind, size, _fallbacks(headline, options), cta)
        done = finalise(spec, s.plan, tone=s.tone, revision=revision, feedback=feedback)
        # The specification is downloaded as JSON and read by the renderer: write it from the
        # data once the feedback has been applied there.
        done.text = json.dumps(done.data, indent=2, ensure_ascii=False)
        done.metadata["word_count"] = word_count(done.text)
        done.metadata["char_count"] = len(done.text)
        out.append(done)
    return out


def _logo_name(inputs: dict[str, Any], brand_name: str) -> str:
    # The headline is the line of text on the image; a topic says what a logo is about.
    given = inputs.get("headline") or brand_name
    return " ".join(str(given).split())


def _fallbacks(headline: str, options: list[str]) -> list[str]:
    """The campaign headline first, then shorter alternatives for small canvases."""
    return [headline, *sorted((o for o in options if o != headline), key=len, reverse=True)]


def _headline(choices: list[str], limit: int) -> str:
    for choice in choices:
        if len(choice) <= limit:
            return choice
    return fit(choices[0], limit)


def _subline(s: Setup, inputs: dict[str, Any], limit: int) -> str:
    if limit == 0:
        return ""
    extra = [*s.plan.mentions, *s.plan.focus]
    if extra:
        return fit(capitalise("; ".join(extra)), limit)
    if s.plan.length_factor < 1:
        return ""
    text = (
        inputs.get("subline")
        or s.brand.tagline
        or s.composer.render("From {brand}, for {audience}.")
    )
    return fit(str(text), limit)


def _spec(
    s: Setup, inputs: dict[str, Any], kind: str, size: str, headlines: list[str], button: str
) -> Deliverable:
    width, height = (int(v) for v in size.split("x"))
    layout, head_limit, sub_limit, cta_limit = LAYOUTS[size]
    head_limit = round(head_limit * min(1.0, s.plan.length_factor))
    if kind == "logo":
        # The mark carries the name the job was given, whole; the brand's name is the default.
        headline = _logo_name(inputs, s.brand.name)
        subline = fit(s.brand.tagline, sub_limit) if s.plan.length_factor >= 1 else ""
        cta = ""
    else:
        headline = _headline(headlines, head_limit)
        subline = _subline(s, inputs, sub_limit)
        cta = fit(button, cta_limit) if cta_limit else ""
    chart = [dict(point) for point in inputs.get("data") or []] if kind == "infographic" else []
    source = f"Figures supplied by {s.brand.name}." if chart else ""
    lines = [f"Headline: {headline}"]
    if subline:
        lines.append(f"Subline: {subline}")
    if cta:
        lines.append(f"Call to action: {cta}")
    for point in chart:
        lines.append(f"{point['label']}: {_number(point['value'])}")
    if source:
        lines.append(source)
    lines.append(f"Size: {width}x{height} ({layout})")
    data: dict[str, Any] = {
        "headline": headline,
        "subline": subline,
        "cta": cta,
        "width": width,
        "height": height,
        "visualType": kind,
        "data": chart,
        "style": inputs.get("style", "modern"),
        "layout": layout,
        "colors": list(s.brand.colors),
        "brand_name": s.brand.name,
        "source_note": source,
    }
    if kind == "logo":
        data["initials"] = _initials(headline)
    if kind == "infographic":
        data["chart"] = {"type": "bar", "title": headline}
    return Deliverable(
        key=f"{kind}_{width}x{height}",
        kind="image_spec",
        title=f"{kind.replace('_', ' ').capitalize()} {width}x{height}",
        text="\n".join(lines),
        data=data,
        metadata={
            "width": width,
            "height": height,
            "layout": layout,
            "limits": {"headline": head_limit, "subline": sub_limit, "cta": cta_limit},
        },
    )


def _number(value: float) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)
