"""The planner's controlled vocabularies: scene purposes, music moods, visual kinds, formats."""

from __future__ import annotations

import re

PURPOSES: tuple[str, ...] = (
    "hook",
    "intro",
    "problem",
    "solution",
    "demo",
    "benefit",
    "proof",
    "cta",
    "outro",
    "content",
)

MOODS: tuple[str, ...] = ("upbeat", "calm", "dramatic", "inspiring", "corporate", "neutral")

VISUAL_KINDS: tuple[str, ...] = ("generated_image", "chart", "title_card")

ASPECT_RATIOS: tuple[str, ...] = ("16:9", "9:16", "1:1", "4:5")

TRANSITIONS: tuple[str, ...] = ("cut", "crossfade", "fade", "slide", "wipe")

# Checked in order, so "Closing CTA" is a call to action and not an outro.
_PURPOSE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern, re.IGNORECASE))
    for name, pattern in (
        (
            "cta",
            r"\bcta\b|call[- ]to[- ]action|\bsign[- ]?up\b|get started|buy now|\btry it\b"
            r"|\bdownload\b|\bsubscribe\b|\bbook a\b|order now|\bnext steps?\b",
        ),
        ("hook", r"\bhook\b|cold open|\bopening\b|\bopener\b|attention|\bteaser\b"),
        (
            "problem",
            r"\bproblems?\b|\bpain\b|\bchallenges?\b|\bstruggle|frustrat|status quo|\bthe issue\b",
        ),
        (
            "solution",
            r"\bsolutions?\b|\bintroducing\b|\breveal\b|\bmeet\b|the answer|the fix|enter the",
        ),
        (
            "demo",
            r"\bdemo\b|how it works|walkthrough|walk-through|\bfeatures?\b|\btutorial\b"
            r"|in action|showcase",
        ),
        ("benefit", r"\bbenefits?\b|\bwhy it matters\b|\bvalue\b|\boutcomes?\b|\btransformation\b"),
        (
            "proof",
            r"\bproof\b|\bresults?\b|testimonial|case study|evidence|\bstats?\b|statistics"
            r"|\bnumbers\b|\bdata\b|\breviews?\b|\bimpact\b|\bgrowth\b",
        ),
        ("intro", r"\bintro\b|\bintroduction\b|\bset-?up\b|\bcontext\b|\bwelcome\b"),
        (
            "outro",
            r"\boutro\b|\bclosing\b|\bconclusion\b|\bwrap\b|wrap-up|end card|\bending\b"
            r"|sign[- ]off|\bfinale\b|\brecap\b",
        ),
    )
)

_MOOD_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern, re.IGNORECASE))
    for name, pattern in (
        (
            "inspiring",
            r"inspir|uplift|hopeful|motivat|triumph|emotional|heartfelt",
        ),
        ("dramatic", r"dramatic|epic|cinematic|orchestral|tense|suspense|bold|intense|dark"),
        (
            "upbeat",
            r"upbeat|energetic|energy|\bfun\b|playful|bright|happy|\bpop\b|electronic|driving"
            r"|bouncy|cheerful|quirky|\bhype",
        ),
        ("calm", r"\bcalm|\bsoft|gentle|ambient|chill|lo-?fi|piano|relax|warm|serene|minimal"),
        ("corporate", r"corporate|professional|\bclean\b|modern|business|confident"),
    )
)


def purpose_from_text(text: str) -> str | None:
    """The purpose a scene title or label names, or None when it names none."""
    if not text:
        return None
    sample = text[:200]
    for name, pattern in _PURPOSE_PATTERNS:
        if pattern.search(sample):
            return name
    return None


def purpose_by_position(position: int, count: int, *, has_chart: bool = False) -> str:
    """The purpose a scene most likely serves from where it sits (position is 0-based)."""
    if count > 1 and position == 0:
        return "hook"
    if count > 1 and position == count - 1:
        return "cta"
    if has_chart:
        return "proof"
    return "content"


def mood_from_text(*texts: str) -> str:
    """The music mood the first text that names one asks for; neutral when none does."""
    for text in texts:
        if not text:
            continue
        sample = text[:300]
        for name, pattern in _MOOD_PATTERNS:
            if pattern.search(sample):
                return name
    return "neutral"
