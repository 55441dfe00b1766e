"""Narration scripts with scene timing marks, paced at about 150 spoken words a minute."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..brand import BrandProfile
from ..deliverable import Deliverable
from .brief import Brief, brief_setup
from .common import Setup, end_sentence, finalise, word_count
from .draft import brand_lines, extras, introduce, unused

WORDS_PER_MINUTE = 150
MIN_SCENE_SECONDS = 3

# Scene plans: label and share of the running time. Testimonial scenes marked CUSTOMER are
# recorded by a real customer, so the script never puts words in their mouth.
PLANS: dict[str, tuple[tuple[str, float], ...]] = {
    "intro": (("HOOK", 0.15), ("WHO WE ARE", 0.35), ("WHAT WE DO", 0.30), ("CLOSE", 0.20)),
    "explainer": (
        ("HOOK", 0.10),
        ("THE PROBLEM", 0.20),
        ("HOW IT WORKS", 0.40),
        ("WHY IT HELPS", 0.15),
        ("CALL TO ACTION", 0.15),
    ),
    "promo": (("HOOK", 0.15), ("THE OFFER", 0.35), ("THE DETAILS", 0.30), ("CALL TO ACTION", 0.20)),
    "testimonial": (
        ("INTRO", 0.15),
        ("CUSTOMER: BEFORE", 0.25),
        ("BRIDGE", 0.15),
        ("CUSTOMER: AFTER", 0.25),
        ("CLOSE", 0.20),
    ),
}
# Scenes that introduce the topic, and scenes that close with the call to action.
OPENERS = frozenset({"HOOK", "INTRO", "THE OFFER"})
DIRECTIONS = {
    "CUSTOMER: BEFORE": "What did you need before working with {brand}?",
    "CUSTOMER: AFTER": "What is different now that the work is done?",
}
DELIVERY = {
    "warm": "warm and unhurried",
    "energetic": "bright and upbeat",
    "calm": "calm and measured",
    "authoritative": "confident and steady",
}


@dataclass
class Scene:
    """One timed part of the script."""

    label: str
    seconds: int
    speaker: str = "NARRATOR"
    lines: list[str] = field(default_factory=list)
    direction: str = ""
    spoken: bool = True
    fixed: list[str] = field(default_factory=list)
    closing: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(self.fixed + self.lines + self.closing)

    @property
    def words(self) -> int:
        return word_count(self.text) if self.spoken else 0

    @property
    def budget(self) -> float:
        return self.seconds * WORDS_PER_MINUTE / 60 if self.spoken else 0


def clock(seconds: int) -> str:
    return f"{seconds // 60}:{seconds % 60:02d}"


def allocate(weights: Sequence[float], total: int, minimum: int = MIN_SCENE_SECONDS) -> list[int]:
    """Whole seconds per scene, each at least `minimum`, summing exactly to `total`."""
    spare = total - minimum * len(weights)
    share = sum(weights)
    raw = [spare * w / share for w in weights]
    seconds = [minimum + int(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: raw[i] - int(raw[i]), reverse=True)
    for i in order[: total - sum(seconds)]:
        seconds[i] += 1
    return seconds


def _plan(script_type: str, duration: int) -> list[tuple[str, float]]:
    plan = list(PLANS[script_type])
    # Too many scenes for a short script: drop the lightest middle scenes first.
    while len(plan) > 2 and len(plan) * MIN_SCENE_SECONDS > duration:
        middle = min(range(1, len(plan) - 1), key=lambda i: plan[i][1])
        plan.pop(middle)
    return plan


def write(
    inputs: dict[str, Any],
    brand: BrandProfile,
    *,
    feedback: Sequence[str] = (),
    revision: int = 1,
    description: str = "",
) -> list[Deliverable]:
    kind = inputs["scriptType"]
    s, b = brief_setup(f"voice:{kind}", inputs, brand, feedback, revision, description=description)
    requested = int(inputs.get("durationSeconds") or 60)
    duration = requested
    if s.plan.length_factor != 1:
        duration = max(10, min(300, 5 * round(requested * s.plan.length_factor / 5)))
    # A named speaker keeps their name as written; capitals would read as a field to fill.
    speaker = str(inputs.get("speakerName") or "NARRATOR")
    plan = _plan(kind, duration)
    seconds = allocate([w for _, w in plan], duration)
    scenes = [Scene(label, secs, speaker) for (label, _), secs in zip(plan, seconds, strict=True)]
    _write_scenes(s, b, scenes)
    _trim(scenes)
    return [
        finalise(
            _deliverable(s, inputs, kind, scenes, duration, requested),
            s.plan,
            tone=s.tone,
            revision=revision,
            feedback=feedback,
        )
    ]


def _write_scenes(s: Setup, b: Brief, scenes: list[Scene]) -> None:
    """The brief's sentences in order across the scenes; a scene the brief cannot fill is
    left to the visuals rather than filled with words nobody asked for."""
    quotes = list(s.brand.testimonials)
    opening = introduce(s, b, "video")
    story = [line for line in unused(b.copy, opening) if s.plan.allows(line)]
    about = [line for line in brand_lines(s, b, 1) if s.plan.allows(line)]
    spoken = [sc for sc in scenes if not sc.label.startswith("CUSTOMER")]
    middle = [sc for sc in spoken[1:-1]] or spoken[:1]
    extra = extras(s)
    for scene in scenes:
        if scene.label.startswith("CUSTOMER"):
            scene.speaker = "CUSTOMER"
            if quotes:
                # Approved testimonials only, word for word.
                scene.lines = [end_sentence(quotes.pop(0))]
                scene.direction = "Approved testimonial, read exactly as written."
            else:
                scene.direction = "Recorded answer in the customer's own words: " + (
                    s.composer.render(DIRECTIONS[scene.label])
                )
            scene.spoken = False
    if spoken:
        spoken[0].fixed = [opening, *extra]
        last = spoken[-1]
        last.closing.append(s.cta)
        if s.brand.website and last.seconds >= 8 and s.plan.length_factor >= 1:
            last.closing.append(f"Visit {s.brand.website}.")
    # Share the brief's sentences out over the middle scenes, each up to its time budget.
    queue = story + unused(about, *story)
    for scene in middle:
        while queue and (
            scene.words + word_count(queue[0]) <= scene.budget * 1.2
            or not (scene.lines or scene.fixed or scene.closing)
        ):
            scene.lines.append(queue.pop(0))
    for scene in spoken:
        if not scene.text:
            scene.spoken = False
            scene.direction = "No narration: visuals of the product or place, with music."


def _trim(scenes: list[Scene]) -> None:
    """Drop the longest lines until no more than about 150 words a minute are spoken."""
    for _ in range(60):
        spoken = [sc for sc in scenes if sc.spoken]
        target = sum(sc.budget for sc in spoken)
        if not spoken or sum(sc.words for sc in spoken) <= target * 1.2:
            return
        trimmable = [sc for sc in spoken if sc.lines]
        if not trimmable:
            _shorten_fixed(spoken)
            return
        scene = max(trimmable, key=lambda sc: sc.words - sc.budget)
        scene.lines.remove(max(scene.lines, key=word_count))
        if not scene.text:
            scene.spoken = False
            scene.direction = "No narration: visuals of the product or place, with music."


def _shorten_fixed(spoken: list[Scene]) -> None:
    """A very short script keeps only the opening line and the call to action."""
    for scene in spoken:
        scene.fixed = scene.fixed[:1]
        scene.closing = scene.closing[:1]


def _deliverable(
    s: Setup, inputs: dict[str, Any], kind: str, scenes: list[Scene], duration: int, requested: int
) -> Deliverable:
    voice = inputs.get("voice") or "warm"
    title = f"{kind.capitalize()} script: {s.topic}"
    blocks = [
        f"# {title}",
        f"Voice: {DELIVERY.get(voice, voice)} · Pace: about {WORDS_PER_MINUTE} words a minute · "
        f"Running time: {clock(duration)}",
    ]
    data_scenes = []
    start = 0
    for scene in scenes:
        end = start + scene.seconds
        text = scene.text
        mark = f"[{clock(start)}-{clock(end)}] {scene.label}"
        body = f"{scene.speaker}: {text}" if text else ""
        if scene.direction:
            body = (body + "\n" if body else "") + f"({scene.direction})"
        blocks.append(f"{mark}\n{body}")
        data_scenes.append(
            {
                "label": scene.label,
                "start": start,
                "end": end,
                "seconds": scene.seconds,
                "speaker": scene.speaker,
                "text": text,
                "direction": scene.direction,
                "narrated": scene.spoken,
            }
        )
        start = end
    narrated = [sc for sc in data_scenes if sc["narrated"]]
    narration = " ".join(sc["text"] for sc in narrated)
    narration_seconds = sum(sc["seconds"] for sc in narrated)
    spoken_words = word_count(narration)
    return Deliverable(
        key=f"{kind}_script",
        kind="text",
        title=title,
        text="\n\n".join(blocks) + "\n",
        data={
            "duration_seconds": duration,
            "scenes": data_scenes,
            "narration": narration,
            "voice": voice,
            "speaker": scenes[0].speaker if scenes else "NARRATOR",
            "words_per_minute_target": WORDS_PER_MINUTE,
        },
        metadata={
            "duration_seconds": duration,
            "requested_duration_seconds": requested,
            "scene_count": len(scenes),
            "spoken_word_count": spoken_words,
            "narration_seconds": narration_seconds,
            "reserved_seconds": duration - narration_seconds,
            "words_per_minute": round(spoken_words * 60 / narration_seconds, 1)
            if narration_seconds
            else 0,
        },
    )
