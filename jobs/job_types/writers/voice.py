"""Narration scripts with scene timing marks, paced at about 150 spoken words a minute."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..brand import BrandProfile
from ..deliverable import Deliverable
from .advice import GENERAL, TAKEAWAYS, THEMES_BY_KEY
from .common import Setup, brief, capitalise, end_sentence, finalise, inline, setup, word_count

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
POOLS: dict[str, tuple[str, ...]] = {
    "HOOK": (
        "Ever wondered about {topic}?",
        "Here is something worth a minute: {topic}.",
        "{Topic}. It matters more than you might think.",
        "Got a minute? This is about {topic}.",
        "Time to talk about {topic}.",
    ),
    "INTRO": (
        "Here is what working with {brand} looks like, in a customer's own words.",
        "We asked a customer to tell their story, in their own words.",
        "In their own words.",
        "This is {topic}, told by someone who lived it.",
    ),
    "WHO WE ARE": (
        "We are {brand}.",
        "{Brand} works with {audience}.",
        "We help {audience} with {topic}, one clear step at a time.",
        "Our work starts with listening, and ends with something you can use.",
        "We keep things plain, practical and honest.",
        "Every project begins with a conversation about what you need.",
    ),
    "WHAT WE DO": (
        "We start by understanding what you need.",
        "Then we agree a short, clear plan.",
        "Each step has an owner and a date.",
        "We check in regularly, so nothing drifts.",
        "And when something changes, we adjust together.",
        "The aim is simple: steady progress you can see.",
        "No jargon, no surprises, just clear next steps.",
    ),
    "THE PROBLEM": (
        "{Topic} can feel complicated.",
        "There is a lot to keep track of, and rarely enough time.",
        "Information is scattered, and decisions stall.",
        "And it is hard to know whether anything is working.",
        "Sound familiar? You are not alone.",
        "Most people start with good intentions and a long to-do list.",
    ),
    "HOW IT WORKS": (
        "Here is how it works.",
        "First, tell us what you need.",
        "Next, we agree a short plan with clear steps.",
        "Then the work starts, in small pieces you can see.",
        "Along the way, we check in and adjust.",
        "Finally, we review what worked and plan the next round.",
        "Every step is written down, so everyone knows who is doing what.",
        "You can ask questions at any point, and you will get a straight answer.",
        "We keep the plan on one page, so it is easy to follow.",
        "Small steps make it easy to change course if something is not working.",
        "We agree a few simple signals to watch, so progress is easy to see.",
        "Decisions are made together, with the facts in front of everyone.",
    ),
    "WHY IT HELPS": (
        "It keeps {topic} simple.",
        "You get a plan you understand and steps you can follow.",
        "Nothing is hidden, and nothing is rushed.",
        "So you can spend less time worrying and more time on your work.",
        "It turns {topic} into something you can manage.",
    ),
    "THE OFFER": (
        "Introducing {topic}, from {brand}.",
        "This is {topic}, made for {audience}.",
        "{Brand} brings you {topic}.",
    ),
    "OFFER SUPPORT": (
        "Simple to start, and easy to understand.",
        "Clear steps, plain language and a team that listens.",
        "Everything is explained in plain language.",
        "You decide the pace, and we keep you updated.",
    ),
    "THE DETAILS": (
        "Find out what is included when you get in touch.",
        "Ask us how it works for you.",
        "Tell us what you need, and we will talk you through it.",
        "There is no jargon and no pressure.",
        "Every question gets a clear answer.",
        "It takes a few minutes to get started.",
    ),
    "BRIDGE": (
        "So what changed?",
        "Here is how the work came together.",
        "And then something shifted.",
        "What happened next?",
    ),
    "CLOSE": (
        "Thanks for listening.",
        "That is {brand}.",
        "We would love to hear from you.",
    ),
    "CALL TO ACTION": (
        "It starts with one conversation.",
        "The next step is yours.",
        "We are ready when you are.",
    ),
}
# Scenes that open with exactly one line from their pool.
ONE_LINE = frozenset({"HOOK", "INTRO", "BRIDGE", "THE OFFER"})
# Where longer scripts find more to say: advice themes that suit each scene.
SUPPORT: dict[str, tuple[str, ...]] = {
    "WHO WE ARE": ("people", "talk"),
    "WHAT WE DO": ("plan", "start", "habits"),
    "THE PROBLEM": ("mistakes", "why"),
    "HOW IT WORKS": ("start", "plan", "measure", "learn"),
    "WHY IT HELPS": ("habits", "simple"),
    "HOOK": ("why",),
    "INTRO": ("why", "talk"),
    "BRIDGE": ("plan", "learn", "habits"),
    "THE DETAILS": ("plan", "tools"),
}
FILLERS = (
    "Here is how.",
    "Simple as that.",
    "Take a look.",
    "Stay with us.",
    "That is the idea.",
    "One step at a time.",
    "It starts here.",
    "Really.",
)
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
    inputs: dict[str, Any], brand: BrandProfile, *, feedback: Sequence[str] = (), revision: int = 1
) -> list[Deliverable]:
    kind = inputs["scriptType"]
    s = setup(f"voice:{kind}", inputs, brand, feedback, revision)
    requested = int(inputs.get("durationSeconds") or 60)
    duration = requested
    if s.plan.length_factor != 1:
        duration = max(10, min(300, 5 * round(requested * s.plan.length_factor / 5)))
    short_topic = brief(s.topic, 24 if duration < 20 else 48)  # short scripts, short names
    s.composer.context.update({"topic": inline(short_topic), "Topic": capitalise(short_topic)})
    # A named speaker keeps their name as written; capitals would read as a field to fill.
    speaker = str(inputs.get("speakerName") or "NARRATOR")
    plan = _plan(kind, duration)
    seconds = allocate([w for _, w in plan], duration)
    scenes = [Scene(label, secs, speaker) for (label, _), secs in zip(plan, seconds, strict=True)]
    _write_scenes(s, scenes, kind)
    _pace(s, scenes)
    return [
        finalise(
            _deliverable(s, inputs, kind, scenes, duration, requested),
            s.plan,
            tone=s.tone,
            revision=revision,
            feedback=feedback,
        )
    ]


def _write_scenes(s: Setup, scenes: list[Scene], kind: str) -> None:
    c = s.composer
    quotes = list(s.brand.testimonials)
    extras = [c.mention(m) for m in s.plan.mentions] + [c.focus_line(f) for f in s.plan.focus]
    for index, scene in enumerate(scenes):
        if scene.label.startswith("CUSTOMER"):
            scene.speaker = "CUSTOMER"
            if quotes:
                # Approved testimonials only, word for word.
                scene.lines = [end_sentence(quotes.pop(0))]
                scene.direction = "Approved testimonial, read exactly as written."
            else:
                scene.direction = "Recorded answer in the customer's own words: " + c.render(
                    DIRECTIONS[scene.label]
                )
            scene.spoken = False
            continue
        last = index == len(scenes) - 1
        if last:
            cta = s.cta
            if not s.plan.mentions and word_count(cta) > scene.budget and not s.cta_requested:
                cta = min((c.render(t) for t in c.phrases.ctas), key=word_count) + "."
            scene.closing.append(cta)
            if s.brand.website and scene.seconds >= 8:
                scene.closing.append(f"Visit {s.brand.website}.")
        if index == 1 or (len(scenes) <= 2 and index == 0):
            scene.fixed.extend(extras)
            extras = []
        if scene.label == "WHO WE ARE" and s.brand.verified_facts and scene.seconds >= 8:
            scene.fixed.append(end_sentence(s.brand.verified_facts[0]))
        pool = [c.render(t) for t in POOLS.get(scene.label, POOLS["WHAT WE DO"])]
        pool = [p for p in pool if s.plan.allows(p)]
        scene.lines = _choose(s, pool, scene.budget - scene.words, scene.label in ONE_LINE)
        remaining = scene.budget - scene.words
        support = [THEMES_BY_KEY[k].sentences for k in SUPPORT.get(scene.label, ())]
        if scene.label == "THE OFFER":
            support = [POOLS["OFFER SUPPORT"], THEMES_BY_KEY["why"].sentences]
        if support and remaining > 8:
            scene.lines += c.fill(
                [*support, GENERAL], round(remaining), minimum=0, focus=c.context["topic"]
            )
        elif last and remaining > 8:
            scene.lines += c.fill([TAKEAWAYS], round(remaining), minimum=0)[:3]


def _choose(s: Setup, pool: list[str], budget: float, one: bool) -> list[str]:
    """Sentences in pool order whose words add up close to the budget (or just one)."""
    order = list(range(len(pool)))
    s.rng.shuffle(order)
    if one:
        # The line nearest the budget, in steps of three words so the seed still varies it.
        order.sort(key=lambda i: abs(word_count(pool[i]) - budget) // 3)
        return pool[order[0] : order[0] + 1] if pool else []
    picked: list[int] = []
    total = 0
    for i in order:
        words = word_count(pool[i])
        if total + words <= budget * 1.05 or (not picked and words <= budget * 1.6):
            picked.append(i)
            total += words
    return [pool[i] for i in sorted(picked)]


def _pace(s: Setup, scenes: list[Scene]) -> None:
    """Adjust sentences until the spoken words fit about 150 words a minute overall."""
    spoken = [sc for sc in scenes if sc.spoken]
    if not spoken:
        return
    target = sum(sc.budget for sc in spoken)
    fillers = [s.composer.render(f) for f in FILLERS]
    for _ in range(60):
        total = sum(sc.words for sc in spoken)
        if total > target * 1.1:
            # Every narrated scene keeps at least one line.
            trimmable = [sc for sc in spoken if len(sc.lines) > (0 if sc.fixed else 1)]
            if not trimmable:
                if not _swap_shorter(s, spoken):
                    break
                continue
            scene = max(trimmable, key=lambda sc: sc.words - sc.budget)
            scene.lines.remove(max(scene.lines, key=word_count))
        elif total < target * 0.9:
            scene = max(spoken, key=lambda sc: sc.budget - sc.words)
            own = () if scene.label in ONE_LINE else POOLS.get(scene.label, ())
            themes = [THEMES_BY_KEY[k].sentences for k in SUPPORT.get(scene.label, ("plan",))]
            more = [t for pool in (own, *themes, GENERAL) for t in pool]
            pool = [s.composer.render(t, focus=s.composer.context["topic"]) for t in more]
            used = {line for sc in spoken for line in sc.lines + sc.fixed}
            unused = [p for p in pool + fillers if p not in used and s.plan.allows(p)]
            room = target - total
            fitting = [p for p in unused if word_count(p) <= room * 1.5] or unused
            if not fitting:
                break
            scene.lines.append(min(fitting, key=lambda p: abs(word_count(p) - room)))
        else:
            break


def _swap_shorter(s: Setup, spoken: list[Scene]) -> bool:
    """Replace one single-line opener with the shortest line its pool offers, if shorter."""
    for scene in spoken:
        if scene.label not in ONE_LINE or len(scene.lines) != 1:
            continue
        options = [s.composer.render(t) for t in POOLS[scene.label]]
        shortest = min((o for o in options if s.plan.allows(o)), key=word_count, default=None)
        if shortest and word_count(shortest) < word_count(scene.lines[0]):
            scene.lines = [shortest]
            return True
    return False


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
