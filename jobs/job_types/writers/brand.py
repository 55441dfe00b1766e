"""Brand guidelines, a voice guide and a messaging framework, built from the brand profile."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from ..brand import BrandProfile
from ..deliverable import Deliverable
from .common import (
    Setup,
    capitalise,
    end_sentence,
    finalise,
    inline,
    join_list,
    setup,
)
from .tones import TONES

INK = "#111827"
WHITE = "#FFFFFF"
ROLES = ("Primary", "Secondary", "Accent", "Supporting", "Supporting", "Supporting")

TRAITS: dict[str, tuple[tuple[str, str, str], ...]] = {
    # trait, what it means, what it does not mean
    "professional": (
        ("Clear", "Short sentences, plain words, one idea at a time.", "Dry or robotic."),
        ("Considered", "We explain our reasoning and the trade-offs.", "Hedging every sentence."),
        ("Respectful", "We value the reader's time and intelligence.", "Distant or stiff."),
    ),
    "friendly": (
        ("Warm", "We write the way we would talk to a client we like.", "Over-familiar."),
        ("Plain-spoken", "Everyday words; jargon only when it helps.", "Casual about facts."),
        ("Helpful", "Every message leaves the reader with a next step.", "Pushy."),
    ),
    "playful": (
        ("Light", "A touch of humour where it fits the moment.", "Jokes at anyone's expense."),
        ("Curious", "We ask questions and enjoy the answers.", "Flippant about problems."),
        ("Upbeat", "We look for the useful angle.", "Unrealistic or hyped."),
    ),
    "authoritative": (
        ("Direct", "We lead with the point and support it.", "Blunt or dismissive."),
        ("Precise", "Specific words, careful with claims.", "Full of jargon."),
        ("Assured", "We state what we know and say what we do not.", "Arrogant."),
    ),
    "inspirational": (
        ("Hopeful", "We show what is possible, grounded in real steps.", "Empty slogans."),
        ("Purposeful", "Every message connects to why it matters.", "Preachy."),
        ("Encouraging", "We celebrate progress of every size.", "Unrealistic promises."),
    ),
}
FONTS: dict[str, tuple[str, str]] = {
    "professional": ("Inter", "Inter"),
    "friendly": ("Nunito", "Open Sans"),
    "playful": ("Poppins", "Nunito"),
    "authoritative": ("Merriweather", "Source Sans 3"),
    "inspirational": ("Playfair Display", "Lato"),
}
DOS = (
    "Lead with what the reader gains, then explain how.",
    "Use the brand colours as specified, with the text colours listed for contrast.",
    "Keep sentences short and specific.",
    "Back every claim with a verified fact, or leave the claim out.",
    "Quote customers only from approved testimonials, word for word.",
)
DONTS = (
    "Use superlatives or rankings we cannot prove.",
    "Promise results, timelines or savings that are not in our verified facts.",
    "Stretch, recolour or add effects to the logo.",
    "Put text on a colour that fails the contrast ratios below.",
    "Use jargon when an everyday word will do.",
)


def _rgb(hex_code: str) -> tuple[int, int, int]:
    return int(hex_code[1:3], 16), int(hex_code[3:5], 16), int(hex_code[5:7], 16)


def _luminance(hex_code: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in _rgb(hex_code))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio between two '#RRGGBB' colours."""
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def text_colour_for(background: str) -> tuple[str, float]:
    """White or near-black text, whichever reads better on the background, with its ratio."""
    options = [(WHITE, contrast(WHITE, background)), (INK, contrast(INK, background))]
    return max(options, key=lambda option: option[1])


def _tone(s: Setup) -> str:
    if s.plan.tone:
        return s.plan.tone
    requested = s.brand.tone.lower()
    return next((t for t in TONES if t in requested), "professional")


def _values(s: Setup, inputs: dict[str, Any]) -> list[str]:
    return list(inputs.get("values") or s.brand.values)


def _traits(s: Setup, tone: str) -> list[tuple[str, str, str]]:
    """The tone's traits, led by the words the client uses for its own voice."""
    known = {t.lower(): (t, m, n) for group in TRAITS.values() for t, m, n in group}
    traits: list[tuple[str, str, str]] = []
    for word in re.split(r",|\band\b|/|;", s.brand.voice):
        word = word.strip().rstrip(".")
        if not word or len(word) > 30:
            continue
        traits.append(
            known.get(word.lower())
            or (
                capitalise(word),
                f"Part of how {s.brand.name} describes its own voice; show it through word choice "
                "and rhythm.",
                "Forced or exaggerated.",
            )
        )
    for trait in TRAITS[tone]:
        if trait[0].lower() not in (t[0].lower() for t in traits):
            traits.append(trait)
    return traits[:4]


def write(
    inputs: dict[str, Any],
    brand: BrandProfile,
    *,
    feedback: Sequence[str] = (),
    revision: int = 1,
    description: str = "",
) -> list[Deliverable]:
    kind = inputs["brandType"]
    s = setup(
        f"brand:{kind}",
        inputs,
        brand,
        feedback,
        revision,
        topic=inputs.get("focus") or brand.tagline or brand.industry or brand.name,
    )
    tone = _tone(s)
    builder = {"guidelines": _guidelines, "voice": _voice, "messaging": _messaging}[kind]
    deliverable = builder(s, inputs, tone)
    deliverable.metadata["brand_type"] = kind
    return [finalise(deliverable, s.plan, tone=tone, revision=revision, feedback=feedback)]


def _overview(s: Setup, inputs: dict[str, Any]) -> list[str]:
    b = s.brand
    who = b.name
    if b.industry:
        who += f" works in {inline(b.industry)}"
    if b.location:
        who += f", based in {b.location}"
    lines = [
        f"- **Who we are:** {end_sentence(who)}",
        f"- **Who we serve:** {capitalise(inline(s.audience))}.",
    ]
    if b.tagline:
        lines.append(f"- **Tagline:** {b.tagline}")
    values = _values(s, inputs)
    if values:
        lines.append(f"- **Values:** {join_list([inline(v) for v in values])}.")
    if inputs.get("focus"):
        lines.append(f"- **Current focus:** {end_sentence(capitalise(inputs['focus']))}")
    return lines


def _revision_notes(s: Setup) -> list[str]:
    """The section a revision adds for what the reviewer asked to mention or focus on."""
    if not (s.plan.mentions or s.plan.focus):
        return []
    lines = [
        *(s.composer.mention(m) for m in s.plan.mentions),
        *(s.composer.focus_line(f) for f in s.plan.focus),
    ]
    return ["## Also in this revision", " ".join(lines)]


def _facts_block(s: Setup) -> str:
    if s.brand.verified_facts:
        return "\n".join(f"- {end_sentence(f)}" for f in s.brand.verified_facts)
    return (
        "No verified facts are on file yet, so copy should avoid statistics, rankings and "
        "comparisons until they are added."
    )


def _guidelines(s: Setup, inputs: dict[str, Any], tone: str) -> Deliverable:
    b = s.brand
    detail = s.plan.length_factor >= 1
    traits = _traits(s, tone)
    heading_font, body_font = FONTS[tone]
    colour_rows = []
    palette = []
    for index, hex_code in enumerate(b.colors):
        ink, ratio = text_colour_for(hex_code)
        role = ROLES[min(index, len(ROLES) - 1)]
        verdict = "passes AA" if ratio >= 4.5 else "large text only" if ratio >= 3 else "avoid text"
        colour_rows.append(f"| {role} | {hex_code} | {ink} | {ratio:.1f}:1 ({verdict}) |")
        palette.append(
            {"role": role.lower(), "hex": hex_code, "text": ink, "contrast": round(ratio, 2)}
        )
    colour_note = (
        "These are the brand colours on file."
        if b.colors_from_client
        else "No brand colours are on file yet, so this starter palette is used until they are."
    )
    blocks = [
        f"# {b.name} brand guidelines",
        *([f"_{b.tagline}_"] if b.tagline else []),
        "## Brand overview",
        "\n".join(_overview(s, inputs)),
        "## Voice",
        s.composer.render("Our voice stays the same wherever {brand} speaks. It is:"),
        "\n".join(f"- **{t}.** {m} Not: {n.lower()}" for t, m, n in traits),
        "## Tone",
        f"Our default tone is {tone}. It flexes with the moment:",
        "\n".join(
            [
                "| Context | Tone | Example |",
                "|---|---|---|",
                f"| Website and sales pages | {tone}, confident | "
                f"{s.composer.render('Here is how {brand} can help {audience}.')} |",
                "| Social media | lighter, conversational | "
                f"{s.composer.render('A quick idea for {audience} this week.')} |",
                "| Support and complaints | calm, patient | "
                "Thanks for telling us. Here is what happens next. |",
            ]
        ),
        "## Colours",
        colour_note,
        "\n".join(["| Role | Hex | Text colour | Contrast |", "|---|---|---|---|", *colour_rows]),
        f"Body text is {INK} on {WHITE}. Contrast ratios follow WCAG 2; 4.5:1 is the minimum "
        "for body text.",
        "## Typography",
        "\n".join(
            [
                f"- **Headings:** {heading_font}, bold; fall back to system-ui, sans-serif.",
                f"- **Body:** {body_font}, regular, 16px with 1.5 line height.",
                "- **Scale:** H1 40px, H2 28px, H3 22px, body 16px, small print 13px.",
                "- **Generated images:** DejaVu Sans, bundled with the production engine, so "
                "rendered text looks the same on every machine.",
            ]
        ),
    ]
    if detail:
        blocks += [
            "## Logo and imagery",
            "\n".join(
                [
                    "- Keep clear space around the logo equal to the height of its first letter.",
                    "- Minimum width: 120px on screen, 30mm in print.",
                    f"- Place the logo on {b.colors[0]} or white only.",
                    "- Use real photographs of real work; avoid stock images that show people "
                    "who are not customers as if they were.",
                ]
            ),
        ]
    blocks += [
        "## Do",
        "\n".join(f"- {d}" for d in DOS),
        "## Don't",
        "\n".join(f"- {d}" for d in DONTS),
        "## Verified facts we can use",
        _facts_block(s),
    ]
    blocks += _revision_notes(s)
    text = "\n\n".join(blocks) + "\n"
    return Deliverable(
        key="guidelines",
        kind="markdown",
        title=f"{b.name} brand guidelines",
        text=text,
        data={
            "name": b.name,
            "tagline": b.tagline,
            "colors": palette,
            "typography": {"headings": heading_font, "body": body_font},
            "voice_traits": [t for t, _, _ in traits],
            "tone": tone,
            "do": list(DOS),
            "dont": list(DONTS),
        },
        metadata={"colors_from_client": b.colors_from_client},
    )


PREFER = (
    ("help", "facilitate"),
    ("use", "utilise"),
    ("start", "commence"),
    ("about", "in relation to"),
    ("now", "at this point in time"),
)
REWRITES = (
    (
        "We leverage cross-functional synergies to deliver transformational outcomes.",
        "We bring the right people together and agree what good looks like.",
    ),
    (
        "Our solution will transform your business overnight.",
        "Here is what we will do, and how we will measure it.",
    ),
    (
        "Please be advised that your request has been received.",
        "Thanks, we have your request. Here is what happens next.",
    ),
)


def _voice(s: Setup, inputs: dict[str, Any], tone: str) -> Deliverable:
    b = s.brand
    traits = _traits(s, tone)
    rewrites = REWRITES if s.plan.length_factor >= 1 else REWRITES[:2]
    blocks = [
        f"# {b.name} voice guide",
        s.composer.render(
            "This guide describes how {brand} sounds, so that everyone who writes for us "
            "sounds like the same organisation."
        ),
        "## Who we are talking to",
        s.composer.render(
            "We write for {audience}. Assume they are busy, capable and sceptical of hype."
        ),
        "## Our voice",
        "| Trait | What it means | What it does not mean |\n|---|---|---|\n"
        + "\n".join(f"| {t} | {m} | {n} |" for t, m, n in traits),
        "## We are / we are not",
        "\n".join(f"- We are {t.lower()}, not {n.lower().rstrip('.')}." for t, _, n in traits),
        "## Words we prefer",
        "\n".join(f"- Say **{p}**, not *{a}*." for p, a in PREFER),
        "## Before and after",
        "\n".join(
            ["| Instead of | Write |", "|---|---|"]
            + [f"| {before} | {after} |" for before, after in rewrites]
        ),
        "## Tone by channel",
        "\n".join(
            [
                f"- **Website:** {tone}, clear and specific.",
                "- **Email:** personal, one message per email, one call to action.",
                "- **Social:** lighter and shorter; questions welcome.",
                "- **Support:** calm and patient; acknowledge, explain, resolve.",
            ]
        ),
        "## Claims and proof",
        "Only state facts we can back. These are the verified facts on file:",
        _facts_block(s),
    ]
    values = _values(s, inputs)
    if values:
        blocks += [
            "## Values in the voice",
            "\n".join(
                f"- **{capitalise(v)}:** let it show in what we do, not in "
                "adjectives about ourselves."
                for v in values
            ),
        ]
    blocks += _revision_notes(s)
    text = "\n\n".join(blocks) + "\n"
    return Deliverable(
        key="voice",
        kind="markdown",
        title=f"{b.name} voice guide",
        text=text,
        data={
            "traits": [{"trait": t, "means": m, "not": n} for t, m, n in traits],
            "tone": tone,
            "prefer": [{"say": p, "avoid": a} for p, a in PREFER],
        },
    )


KEY_MESSAGES = (
    "We show {value} in how we work: clear plans, honest updates and no surprises.",
    "{Value} means we explain what we are doing and why, before we do it.",
    "For us, {value} shows up in the small things: replies, follow-ups and finished work.",
    "We hold ourselves to {value} in every conversation with {audience}.",
)


def _messaging(s: Setup, inputs: dict[str, Any], tone: str) -> Deliverable:
    b = s.brand
    c = s.composer
    values = _values(s, inputs) or ["clarity", "care", "follow-through"]
    what = inline(b.industry) if b.industry else "practical help"
    focus = inline(str(inputs.get("focus") or ""))
    positioning = c.render(
        "For {audience} who want {what} without the jargon, {brand} offers a clear, "
        "step-by-step way of working.",
        what=what,
    )
    one_liner = b.tagline or c.render(
        "{Brand}: {what} for {audience}, explained plainly.", what=what
    )
    pitch = " ".join(
        [
            c.render("{Brand} works with {audience} on {what}.", what=what),
            c.render(
                "We start by listening, agree a short plan, and keep you updated at every step."
            ),
            *(end_sentence(f) for f in b.verified_facts[:1]),
            c.render("If that sounds useful, let us talk."),
        ]
    )
    messages = [
        (capitalise(v), c.pick(KEY_MESSAGES, value=inline(v)))
        for v in values[: 4 if s.plan.length_factor >= 1 else 2]
    ]
    blocks = [
        f"# {b.name} messaging framework",
        "## Positioning statement",
        positioning,
        "## One-line description",
        one_liner,
        "## Elevator pitch",
        pitch,
        "## Key messages",
        "\n".join(f"- **{title}.** {text}" for title, text in messages),
        "## Proof points",
        _facts_block(s),
        "## Messages by audience",
        "\n".join(
            [
                c.render(
                    "- **{Audience}:** what changes for you, in plain terms, and the first step."
                ),
                "- **Partners:** how working together makes the work simpler for both sides.",
                "- **New team members:** what we value and how we make decisions.",
            ]
        ),
    ]
    if focus:
        blocks += [
            "## Current focus",
            c.render("Right now, messages should connect back to {focus}.", focus=focus),
        ]
    blocks += _revision_notes(s)
    blocks += ["## Call to action", s.cta]
    text = "\n\n".join(blocks) + "\n"
    return Deliverable(
        key="messaging",
        kind="markdown",
        title=f"{b.name} messaging framework",
        text=text,
        data={
            "positioning": positioning,
            "one_liner": one_liner,
            "elevator_pitch": pitch,
            "key_messages": [{"title": t, "text": x} for t, x in messages],
            "proof_points": list(b.verified_facts),
        },
    )
