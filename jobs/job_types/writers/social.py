"""Social posts per platform, within each platform's character and hashtag limits."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import Any

from ..brand import BrandProfile
from ..deliverable import Deliverable
from .brief import Brief, brief_setup
from .common import Setup, end_sentence, finalise, fit, hashtag, terms
from .draft import brand_lines, extras, introduce, say, unused

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

# Each post on a platform leads with a different part of the brief; the names say which.
ANGLES = ("lead", "detail", "proof", "question", "reminder", "next", "recap")
# How many lines of the brief each platform's post carries, and whether it invites replies.
SHAPES: dict[str, tuple[int, bool]] = {
    "linkedin": (4, True),
    "facebook": (2, True),
    "instagram": (3, False),
    "twitter": (1, False),
}


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


def _hashtags(inputs: dict[str, Any], s: Setup, b: Brief, count: int) -> list[str]:
    """Exactly `count` distinct hashtags from the brief's names, the topic, the brand, then
    neutral fallbacks."""
    requested = inputs.get("hashtags")
    if isinstance(requested, list) and s.plan.hashtags is None:
        return ["#" + tag for tag in requested]
    words = [w for w in terms(b.topic) if len(w) > 3]
    pairs = [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]
    names = [n for n in b.names if n.lower() not in _CALENDAR]
    phrases = [*b.keywords, *names, s.brand.name, *pairs, *words, s.brand.industry]
    phrases.append(s.brand.location)
    candidates = [hashtag(p) for p in phrases if p] + list(FALLBACK_TAGS)
    tags: list[str] = []
    for tag in candidates:
        # "#Opening" adds nothing after "#OpeningHours".
        taken = any(t.lower().startswith(tag.lower()) for t in tags) if tag else True
        if tag and not taken and s.plan.allows(tag[1:]):
            tags.append(tag)
    return tags[:count]


# Dates make poor hashtags.
_CALENDAR = frozenset(
    {
        *("january", "february", "march", "april", "may", "june", "july", "august"),
        *("september", "october", "november", "december", "monday", "tuesday", "wednesday"),
        *("thursday", "friday", "saturday", "sunday", "saturdays", "sundays"),
    }
)


def _requested_count(inputs: dict[str, Any], s: Setup) -> int:
    if s.plan.hashtags is not None:
        return s.plan.hashtags
    value = inputs.get("hashtags", 3)
    return len(value) if isinstance(value, list) else int(value)


def write(
    inputs: dict[str, Any],
    brand: BrandProfile,
    *,
    feedback: Sequence[str] = (),
    revision: int = 1,
    description: str = "",
) -> list[Deliverable]:
    s, b = brief_setup(
        "social",
        inputs,
        brand,
        feedback,
        revision,
        description=description,
        default_tone="friendly",
    )
    emoji = s.plan.emoji if s.plan.emoji is not None else bool(inputs.get("includeEmoji"))
    tags = _hashtags(inputs, s, b, _requested_count(inputs, s))
    per_platform = int(inputs.get("postsPerPlatform") or 1)
    pool = _pool(s, b)
    out: list[Deliverable] = []
    for platform in inputs["platforms"]:
        for number in range(1, per_platform + 1):
            post = _post(s, b, pool, platform, number, tags, emoji)
            out.append(finalise(post, s.plan, tone=s.tone, revision=revision, feedback=feedback))
    return out


def _pool(s: Setup, b: Brief) -> list[str]:
    """Every line a post may use, the topic first: the brief, then the brand's facts."""
    opening = introduce(s, b, "post")
    lines = [opening, *unused(b.copy, opening)]
    lines += [end_sentence(p) for p in b.points]
    lines += unused(brand_lines(s, b, 2), *lines)
    return [line for line in lines if s.plan.allows(line)] or [opening]


def _post(
    s: Setup,
    b: Brief,
    pool: list[str],
    platform: str,
    number: int,
    tags: list[str],
    emoji: bool,
) -> Deliverable:
    spec = PLATFORMS[platform]
    words = s.composer.phrases
    count, invites = SHAPES[platform]
    count = max(1, round(count * s.plan.length_factor))
    index = number - 1
    angle = ANGLES[index % len(ANGLES)]
    # Post n leads with the n-th line of the pool; odd posts also ask the reader a question.
    start = index % len(pool)
    lines = (pool[start:] + pool[:start])[:count]
    if platform == "twitter":
        # A tweet carries the line with the most names and numbers, unless it is not the first.
        richest = b.richest(1)
        if number == 1 and richest and s.plan.allows(richest[0]):
            lines = [richest[0]]
    prompt = invites or index % 2 == 1
    # Once every line has led a post, later posts reorder them, then open with the action.
    variant = index // len(pool)
    if variant % 2 == 1:
        lines = list(reversed(lines))
    if emoji:
        lines[0] = f"{EMOJI.get(angle, EMOJI['tip'])} {lines[0]}"
    cta = f"{EMOJI['cta']} {s.cta}" if emoji else s.cta
    extra = extras(s)
    dropped: list[str] = []
    if platform == "twitter":
        text, used_tags, dropped = _tweet(
            lines[0], extra, lines[1:], cta, tags, s.plan.length_factor
        )
    else:
        # A shorter revision drops the question to the reader first.
        ask = say(s, words.prompt) if prompt and s.plan.length_factor >= 1 else ""
        blocks = _blocks(platform, lines, extra, ask, cta, tags)
        if variant >= 2:
            blocks.insert(0, blocks.pop(-2))
        text = _within(platform, "\n\n".join(b for b in blocks if b), spec["limit"])
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


def _blocks(
    platform: str, lines: list[str], extra: list[str], prompt: str, cta: str, tags: list[str]
) -> list[str]:
    """A post laid out the way each platform reads: LinkedIn in short paragraphs with a
    question for comments, Facebook as one conversational paragraph, Instagram as short
    lines with the hashtags set apart at the end."""
    tag_line = " ".join(tags)
    if platform == "linkedin":
        return [lines[0], *lines[1:], " ".join(extra), prompt, cta, tag_line]
    if platform == "facebook":
        return [" ".join([*lines, *extra]), prompt, cta, tag_line]
    return ["\n".join([*lines, *extra]), prompt, cta, tag_line]


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
