"""Sentences every built-in draft shares: the topic introduced in the tone's words, the brand's
own facts, the reviewer's extras, and honest notes where the brief leaves a gap."""

from __future__ import annotations

from .brief import Brief
from .common import Setup, end_sentence, facts_for


def say(s: Setup, template: str, **extra: str) -> str:
    """A tone phrase with the brand and topic filled in, contracted for relaxed tones."""
    return s.composer.render(template, **extra)


def introduce(s: Setup, b: Brief, medium: str = "article") -> str:
    """One sentence that names the topic grammatically, whatever form it was written in."""
    words = s.composer.phrases
    if b.form == "statement":
        return b.sentence
    template = {"question": words.asks, "howto": words.about}.get(b.form, words.on)
    return say(s, template, subject=b.inline, medium=medium)


def same(a: str, b: str) -> bool:
    """True when two sentences say the same: equal but for case and punctuation, or one held
    whole in the other ("Cold brew is back" and "Our cold brew is back")."""

    def bare(text: str) -> str:
        return "".join(ch for ch in text.lower() if ch.isalnum())

    short, long = sorted((bare(a), bare(b)), key=len)
    # A short fragment ("cans") inside a long sentence is not a repeat; most of it must be.
    return short == long or (bool(short) and len(short) >= 0.7 * len(long) and short in long)


def unused(sentences: list[str] | tuple[str, ...], *used: str) -> list[str]:
    """`sentences` without any already said."""
    return [x for x in sentences if not any(same(x, u) for u in used)]


def brand_facts(s: Setup, b: Brief, limit: int = 2) -> list[str]:
    """The verified facts that bear on the topic, word for word (the first when none does)."""
    if not s.brand.verified_facts:
        return []
    facts = facts_for(s.brand, " ".join([b.topic, *b.copy, *b.keywords]), limit)
    return [end_sentence(f) for f in facts if s.plan.allows(f)]


def brand_lines(s: Setup, b: Brief, limit: int = 2) -> list[str]:
    """What the brand profile says about the brand: where it is, and verified facts."""
    lines = brand_facts(s, b, limit)
    if s.brand.location and not any(s.brand.location in line for line in lines):
        lines.append(f"{s.brand.name} is based in {s.brand.location}.")
    return lines


def extras(s: Setup) -> list[str]:
    """What the reviewer asked to be mentioned or looked at more closely."""
    lines = [s.composer.focus_line(f) for f in s.plan.focus]
    return lines + [s.composer.mention(m) for m in s.plan.mentions]


def note(text: str) -> str:
    """A note to whoever finishes the draft, marked so that nobody mistakes it for copy."""
    return f"_Draft note: {text}_"


def website_line(s: Setup) -> str:
    return f"You can also find {s.brand.name} at {s.brand.website}." if s.brand.website else ""
