"""Social posts per platform, within each platform's character and hashtag limits."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import Any

from ..brand import BrandProfile
from ..deliverable import Deliverable
from .advice import TAKEAWAYS, THEMES_BY_KEY
from .common import (
    Setup,
    end_sentence,
    fact_sentence,
    facts_for,
    finalise,
    fit,
    hashtag,
    inline,
    seeded_rng,
    setup,
    terms,
)

# Hard limits set by the platforms; `target` is the length that reads well on each.
PLATFORMS: dict[str, dict[str, Any]] = {
    "linkedin": {"label": "LinkedIn", "limit": 3000, "target": 1100, "max_hashtags": 30},
    "twitter": {"label": "Twitter/X", "limit": 280, "target": 280, "max_hashtags": 10},
    "facebook": {"label": "Facebook", "limit": 63206, "target": 480, "max_hashtags": 30},
    "instagram": {"label": "Instagram", "limit": 2200, "target": 900, "max_hashtags": 30},
}
FALLBACK_TAGS = (
    "#Tips",
    "#Planning",
    "#HowTo",
    "#Community",
    "#SmallSteps",
    "#Ideas",
    "#Learning",
    "#Progress",
    "#Teamwork",
    "#Insights",
    "#Strategy",
    "#PlainEnglish",
)
EMOJI = {
    "tip": "💡",
    "question": "🤔",
    "checklist": "✅",
    "mistake": "🚧",
    "why": "🎯",
    "fact": "📌",
    "values": "🤝",
    "habit": "🔁",
    "learn": "📝",
    "cta": "👉",
}

# Each angle: hook templates and the theme its supporting sentences come from.
ANGLES: dict[str, tuple[tuple[str, ...], str]] = {
    "tip": (("One practical tip on {topic}:", "A simple tip for {audience} on {topic}:"), "start"),
    "question": (
        ("A question for {audience} about {topic}:", "Quick question about {topic}:"),
        "questions",
    ),
    "checklist": (("A short checklist for {topic}:", "{Topic}, in a few steps:"), "plan"),
    "mistake": (
        ("A few common mistakes with {topic}:", "Watch out for this with {topic}:"),
        "mistakes",
    ),
    "why": (
        (
            "Why {topic} deserves a place on your list this month:",
            "Here is why {topic} matters for {audience}:",
        ),
        "why",
    ),
    "habit": (
        (
            "Make {topic} part of the week, not a one-off project:",
            "Small habits make {topic} easier:",
        ),
        "habits",
    ),
    "learn": (
        ("What trying things teaches you about {topic}:", "Learning as you go with {topic}:"),
        "learn",
    ),
}
QUESTIONS = (
    "What has worked for you?",
    "How are you approaching this?",
    "What would you add?",
    "Where would you start?",
)


def twitter_length(text: str) -> int:
    """Length as Twitter/X counts it: most Latin text counts 1, emoji and CJK count 2."""
    total = 0
    for ch in unicodedata.normalize("NFC", text):
        code = ord(ch)
        light = (
            code <= 0x10FF
            or 0x2000 <= code <= 0x200D
            or 0x2010 <= code <= 0x201F
            or 0x2032 <= code <= 0x2037
        )
        total += 1 if light else 2
    return total


def measure(platform: str, text: str) -> int:
    return twitter_length(text) if platform == "twitter" else len(text)


def _hashtags(inputs: dict[str, Any], s: Setup, count: int) -> list[str]:
    """Exactly `count` distinct hashtags drawn from the topic, the brand and safe fallbacks."""
    requested = inputs.get("hashtags")
    if isinstance(requested, list) and s.plan.hashtags is None:
        return ["#" + tag for tag in requested]
    words = [w for w in terms(s.topic) if len(w) > 3]
    pairs = [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]
    phrases = [s.topic, *pairs, *words, s.audience, s.brand.name, s.brand.industry]
    phrases.append(s.brand.location)
    candidates = [hashtag(p) for p in phrases if p] + list(FALLBACK_TAGS)
    tags: list[str] = []
    for tag in candidates:
        if tag and tag.lower() not in (t.lower() for t in tags) and s.plan.allows(tag[1:]):
            tags.append(tag)
    return tags[:count]


def _requested_count(inputs: dict[str, Any], s: Setup) -> int:
    if s.plan.hashtags is not None:
        return s.plan.hashtags
    value = inputs.get("hashtags", 3)
    return len(value) if isinstance(value, list) else int(value)


def _angles(s: Setup, brand: BrandProfile, count: int) -> list[str]:
    names = list(ANGLES)
    seeded_rng("social-angles", s.topic, s.plan.angle_shift).shuffle(names)
    if brand.verified_facts:
        names.insert(1, "fact")
    if brand.values:
        names.insert(2, "values")
    shift = s.plan.angle_shift % len(names)
    names = names[shift:] + names[:shift]
    return names[:count]


def write(
    inputs: dict[str, Any], brand: BrandProfile, *, feedback: Sequence[str] = (), revision: int = 1
) -> list[Deliverable]:
    s = setup("social", inputs, brand, feedback, revision, default_tone="friendly")
    emoji = s.plan.emoji if s.plan.emoji is not None else bool(inputs.get("includeEmoji"))
    count = _requested_count(inputs, s)
    tags = _hashtags(inputs, s, count)
    per_platform = int(inputs.get("postsPerPlatform") or 1)
    angles = _angles(s, brand, per_platform)
    out: list[Deliverable] = []
    for platform in inputs["platforms"]:
        for number, angle in enumerate(angles, 1):
            post = _post(s, inputs, platform, angle, tags, emoji, number, "fact" not in angles)
            out.append(finalise(post, s.plan, tone=s.tone, revision=revision, feedback=feedback))
    return out


def _angle_copy(s: Setup, angle: str, sentences: int) -> tuple[str, list[str]]:
    """The hook and the supporting sentences for one angle."""
    c = s.composer
    if angle == "fact":
        facts = facts_for(s.brand, s.topic, limit=sentences)
        hook = c.render("Something we can say with confidence at {brand}:")
        return hook, [end_sentence(f) for f in facts]
    if angle == "values":
        value = s.rng.choice(s.brand.values)
        hook = c.render("What we care about at {brand}: {value}.", value=inline(value))
        body = c.fill([THEMES_BY_KEY["people"].sentences], 15 * sentences, minimum=1)
        return hook, [c.render("It shapes how we think about {topic}.")] + body[: sentences - 1]
    hooks, theme_key = ANGLES[angle]
    hook = c.pick(hooks)
    if angle == "checklist":
        items = [t for t in TAKEAWAYS if s.plan.allows(t)]
        seeded_rng(s.topic, angle).shuffle(items)
        return hook, items[: max(2, sentences + 1)]
    body = c.fill(
        [THEMES_BY_KEY[theme_key].sentences], 16 * sentences, minimum=1, focus=inline(s.topic)
    )
    return hook, body[:sentences]


def _post(
    s: Setup,
    inputs: dict[str, Any],
    platform: str,
    angle: str,
    tags: list[str],
    emoji: bool,
    number: int,
    fact_footer: bool,
) -> Deliverable:
    spec = PLATFORMS[platform]
    factor = s.plan.length_factor
    base_sentences = {"linkedin": 4, "twitter": 1, "facebook": 2, "instagram": 3}[platform]
    sentences = max(1, round(base_sentences * factor))
    hook, body = _angle_copy(s, angle, sentences)
    extras = [s.composer.focus_line(f) for f in s.plan.focus]
    extras += [s.composer.mention(m) for m in s.plan.mentions]
    if emoji:
        hook = f"{EMOJI.get(angle, EMOJI['tip'])} {hook}"
    cta = s.cta
    if emoji:
        cta = f"{EMOJI['cta']} {cta}"
    question = s.rng.choice(QUESTIONS) if angle != "question" else ""
    dropped: list[str] = []
    if platform == "twitter":
        text, used_tags, dropped = _tweet(hook, extras, body, cta, tags, factor)
    else:
        bullet = angle == "checklist"
        lines = [f"- {b}" for b in body] if bullet else [" ".join(body)]
        blocks = [hook, "\n".join(lines)]
        if extras:
            blocks.append(" ".join(extras))
        if platform == "linkedin" and question:
            blocks.append(question)
        # A verified fact closes a LinkedIn post, unless another post is built around one.
        if platform == "linkedin" and factor >= 1 and s.brand.verified_facts and fact_footer:
            blocks.append(fact_sentence(s.rng, facts_for(s.brand, s.topic, 1)[0]))
        blocks.append(cta)
        if tags:
            blocks.append(" ".join(tags))
        text = "\n\n".join(b for b in blocks if b)
        text = _within(platform, text, spec["limit"])
        used_tags = tags
    length = measure(platform, text)
    return Deliverable(
        key=f"{platform}_post_{number}",
        kind="text",
        title=f"{spec['label']} post {number}",
        text=text,
        data={
            "platform": platform,
            "text": text,
            "hashtags": used_tags,
            "angle": angle,
            "cta": s.cta,
        },
        metadata={
            "platform": platform,
            "limit": spec["limit"],
            "length": length,
            "hashtag_count": len(used_tags),
            "hashtags_requested": len(tags),
            "hashtags_dropped": dropped,
            "emoji": emoji,
            "angle": angle,
        },
    )


def _within(platform: str, text: str, limit: int) -> str:
    """Keep a long post under its platform's limit by trimming whole paragraphs."""
    blocks = text.split("\n\n")
    while measure(platform, "\n\n".join(blocks)) > limit and len(blocks) > 3:
        blocks.pop(1)
    return "\n\n".join(blocks)


def _tweet(
    hook: str, extras: list[str], body: list[str], cta: str, tags: list[str], factor: float
) -> tuple[str, list[str], list[str]]:
    """The longest tweet that fits in 280 weighted characters with every hashtag kept."""
    limit = PLATFORMS["twitter"]["limit"]
    kept = list(tags)
    dropped: list[str] = []
    lead = " ".join([hook, *extras])
    options = [
        " ".join([hook, *body, *extras, cta]),
        " ".join([hook, *body, *extras]),
        " ".join([lead, cta]),
        lead,
    ]
    if factor < 1:
        options = options[1:]  # a shorter revision leaves the call to action for the reply
    while True:
        room = limit - (twitter_length(" ".join(kept)) + 2 if kept else 0)
        for option in options:
            if twitter_length(option) <= room:
                return _join_tweet(option, kept), kept, dropped
        if room >= 60 or not kept:
            return _join_tweet(_fit_weighted(lead, room), kept), kept, dropped
        dropped.insert(0, kept.pop())


def _fit_weighted(text: str, room: int) -> str:
    cut = fit(text, room)
    while twitter_length(cut) > room:
        cut = fit(cut, len(cut) - 2)
    return cut


def _join_tweet(text: str, tags: list[str]) -> str:
    return f"{text}\n\n{' '.join(tags)}" if tags else text
