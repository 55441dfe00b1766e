"""Blog posts, emails, landing pages and case studies, paced to the requested length."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..brand import BrandProfile
from ..deliverable import Deliverable
from .advice import GENERAL, TAKEAWAYS, THEMES_BY_KEY, Theme
from .common import (
    Setup,
    capitalise,
    end_sentence,
    fact_sentence,
    facts_for,
    finalise,
    fit,
    inline,
    join_list,
    paragraphs,
    seeded_paragraphs,
    seeded_rng,
    setup,
    title_case,
    word_count,
)

TARGET_WORDS: dict[str, dict[str, int]] = {
    "blog_post": {"short": 400, "medium": 800, "long": 1400},
    "email": {"short": 150, "medium": 250, "long": 400},
    "landing_page": {"short": 300, "medium": 500, "long": 800},
    "case_study": {"short": 400, "medium": 700, "long": 1100},
}
TOLERANCE = 0.15
SUBJECT_LIMIT = 60
PREHEADER_LIMIT = 100

# An angle is a title and an order of themes; feedback that asks for something new moves on.
ANGLES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "practical guide",
        "{Topic}: A Practical Guide for {Audience}",
        (
            "why",
            "start",
            "plan",
            "mistakes",
            "measure",
            "habits",
            "people",
            "simple",
            "learn",
            "talk",
            "tools",
            "questions",
        ),
    ),
    (
        "first steps",
        "Getting Started with {Topic}",
        (
            "start",
            "questions",
            "plan",
            "tools",
            "mistakes",
            "measure",
            "people",
            "habits",
            "why",
            "learn",
            "simple",
            "talk",
        ),
    ),
    (
        "common questions",
        "{Topic}: Questions Worth Asking",
        (
            "questions",
            "why",
            "mistakes",
            "start",
            "measure",
            "talk",
            "plan",
            "people",
            "habits",
            "tools",
            "learn",
            "simple",
        ),
    ),
    (
        "planning",
        "A Clear Plan for {Topic}",
        (
            "plan",
            "start",
            "measure",
            "people",
            "mistakes",
            "habits",
            "learn",
            "why",
            "simple",
            "questions",
            "tools",
            "talk",
        ),
    ),
    (
        "everyday practice",
        "Making {Topic} Work Day to Day",
        (
            "habits",
            "people",
            "simple",
            "start",
            "talk",
            "measure",
            "mistakes",
            "plan",
            "learn",
            "why",
            "tools",
            "questions",
        ),
    ),
    (
        "lessons",
        "{Topic}: Lessons From Trying Things",
        (
            "learn",
            "mistakes",
            "measure",
            "plan",
            "why",
            "habits",
            "start",
            "questions",
            "people",
            "simple",
            "talk",
            "tools",
        ),
    ),
)
CONCLUSION_HEADINGS = ("Bringing it together", "The short version", "Where to go from here")
KEYWORD_LINES = (
    "This is where {keyword} comes in: it gives {focus} a concrete shape.",
    "Thinking in terms of {keyword} keeps {focus} grounded.",
    "{Keyword} is a useful way into {focus}.",
)


def target_words(inputs: dict[str, Any], factor: float = 1.0) -> int:
    """The word count to aim for: wordCount when given, else the length's typical size."""
    kind = inputs["contentType"]
    base = inputs.get("wordCount") or TARGET_WORDS[kind][inputs.get("length") or "medium"]
    return max(60, round(base * factor))


def write(
    inputs: dict[str, Any], brand: BrandProfile, *, feedback: Sequence[str] = (), revision: int = 1
) -> list[Deliverable]:
    kind = inputs["contentType"]
    s = setup(f"content:{kind}", inputs, brand, feedback, revision)
    target = target_words(inputs, s.plan.length_factor)
    builder = {
        "blog_post": _blog_post,
        "email": _email,
        "landing_page": _landing_page,
        "case_study": _case_study,
    }[kind]
    deliverable = builder(s, inputs, target)
    deliverable.metadata.update({"target_words": target, "content_type": kind})
    return [finalise(deliverable, s.plan, tone=s.tone, revision=revision, feedback=feedback)]


def _angle(s: Setup) -> tuple[str, str, tuple[str, ...]]:
    start = seeded_rng("angle", s.topic).randrange(len(ANGLES))
    return ANGLES[(start + s.plan.angle_shift) % len(ANGLES)]


def _extras(s: Setup) -> list[str]:
    """Sentences the reviewer asked for: things to mention."""
    return [s.composer.mention(phrase) for phrase in s.plan.mentions]


def _facts(s: Setup, keywords: Sequence[str] = ()) -> list[str]:
    return facts_for(s.brand, " ".join([s.topic, *keywords]))


def _render(blocks: Sequence[str]) -> str:
    return "\n\n".join(b.strip() for b in blocks if b and b.strip()) + "\n"


# --- blog post ---------------------------------------------------------------------------


def _blog_post(s: Setup, inputs: dict[str, Any], target: int) -> Deliverable:
    c = s.composer
    keywords: list[str] = list(inputs.get("keywords") or [])
    angle, title_template, order = _angle(s)
    title = title_case(c.render(title_template))
    if len(title) > 90:
        title = title_case(fit(s.topic, 90))
    # Roughly one section per 180 words keeps sections readable at every length.
    count = max(2, min(len(order), round(target / 180)))
    themes = [THEMES_BY_KEY[key] for key in order[:count]]
    facts = _facts(s, keywords)

    compact = target < 300  # short pieces keep the frame light so the sections have room
    intro = [c.pick(c.phrases.openers)]
    covers = join_list([inline(t.short) for t in themes[:4]])
    intro.append(c.render("This guide from {brand} covers {covers}.", covers=covers))
    if not compact:
        intro.append(c.render("It is written for {audience} who want practical steps, not theory."))
    if s.plan.focus:
        intro.append(c.focus_line(s.plan.focus[0]))
    if facts:
        intro.append(fact_sentence(s.rng, facts[0]))

    sections: list[tuple[str, list[str]]] = []
    for index, theme in enumerate(themes):
        heading = capitalise(theme.short) if compact else c.render(theme.heading)
        lead: list[str] = []
        if index < len(keywords):
            keyword = keywords[index]
            heading = capitalise(f"{keyword}: {theme.short}")
            lead.append(c.pick(KEYWORD_LINES, keyword=keyword, focus=theme.focus))
        if index == 0 and len(s.plan.focus) > 1:
            lead.extend(c.focus_line(f) for f in s.plan.focus[1:])
        sections.append((heading, lead))

    closing = [c.pick(c.phrases.closers)]
    takeaways = [t for t in TAKEAWAYS if s.plan.allows(t)]
    s.rng.shuffle(takeaways)
    takeaways = takeaways[: 2 if compact else 3 if target < 700 else 4]
    closing_extra = _extras(s) + [fact_sentence(s.rng, f) for f in facts[1:]]
    conclusion_heading = s.rng.choice(CONCLUSION_HEADINGS)

    def assemble() -> str:
        blocks = [f"# {title}", " ".join(intro)]
        for heading, sentences in sections:
            blocks.append(f"## {heading}")
            blocks.extend(seeded_paragraphs(sentences, 2, 4, heading, s.topic))
        blocks.append(f"## {conclusion_heading}")
        blocks.append(" ".join(closing))
        blocks.append("\n".join(f"- {t}" for t in takeaways))
        if closing_extra:
            blocks.append(" ".join(closing_extra))
        blocks.append(f"**Next step:** {s.cta}" + ("" if compact else _website_line(s)))
        return _render(blocks)

    fixed = word_count(assemble())
    budget = max(25, (target - fixed) // max(1, len(sections)))
    for (_heading, sentences), theme in zip(sections, themes, strict=True):
        sentences.extend(
            c.fill(
                [theme.sentences, GENERAL],
                budget - word_count(" ".join(sentences)),
                minimum=1 if compact else 2,
                focus=theme.focus,
            )
        )
        if c.phrases.asides and s.rng.random() < 0.5:
            sentences.insert(s.rng.randrange(1, len(sentences) + 1), s.rng.choice(c.phrases.asides))
    text = _balance(assemble, sections, themes, target, s, floor=1 if compact else 2)
    headings = [h for h, _ in sections] + [conclusion_heading]
    return Deliverable(
        key="blog_post",
        kind="markdown",
        title=title,
        text=text,
        data={"title": title, "headings": headings, "cta": s.cta, "keywords": keywords},
        metadata={"angle": angle, "tolerance": TOLERANCE, "facts_used": facts},
    )


def _balance(
    assemble: Any,
    sections: list[tuple[str, list[str]]],
    themes: Sequence[Theme],
    target: int,
    s: Setup,
    floor: int = 2,
) -> str:
    """Trim or extend sections until the piece is close to its target word count."""
    text = assemble()
    for _ in range(200):
        words = word_count(text)
        if words > target * 1.05:
            longest = max(sections, key=lambda sec: word_count(" ".join(sec[1])))[1]
            if len(longest) <= floor:
                break
            longest.pop()
        elif words < target * 0.95:
            index = min(range(len(sections)), key=lambda i: word_count(" ".join(sections[i][1])))
            existing = set(sections[index][1])
            theme = themes[index]
            more = [
                x
                for x in s.composer.fill([GENERAL, theme.sentences], 40, focus=theme.focus)
                if x not in existing
            ]
            if not more:
                break
            sections[index][1].append(more[0])
        else:
            break
        text = assemble()
    return text


def _website_line(s: Setup) -> str:
    if s.brand.website:
        return f" You can also find {s.brand.name} at {s.brand.website}."
    return ""


# --- email -------------------------------------------------------------------------------

SUBJECTS = (
    "{Topic}: a quick guide",
    "A few ideas on {topic}",
    "{Topic}, made simpler",
    "Your next step with {topic}",
    "Thinking about {topic}?",
    "What {audience} should know about {topic}",
)
PREHEADERS = (
    "A short read on {topic} for {audience}, with one clear next step.",
    "Practical ideas on {topic}, and how {brand} can help.",
    "A few ideas you can use this week, in a few minutes of reading.",
)
GREETINGS = {
    "professional": "Hello,",
    "friendly": "Hi there,",
    "playful": "Hey there,",
    "authoritative": "Hello,",
    "inspirational": "Hello,",
}
SIGNOFFS = {
    "professional": "Kind regards",
    "friendly": "Warm wishes",
    "playful": "Cheers",
    "authoritative": "Regards",
    "inspirational": "With warm regards",
}


def _subject(s: Setup) -> str:
    options = list(SUBJECTS)
    s.rng.shuffle(options)
    for template in options:
        subject = s.composer.render(template)
        if len(subject) <= SUBJECT_LIMIT and s.plan.allows(subject):
            return subject
    return capitalise(fit(s.topic, SUBJECT_LIMIT))


def _email(s: Setup, inputs: dict[str, Any], target: int) -> Deliverable:
    c = s.composer
    subject = _subject(s)
    preheader = fit(c.pick(PREHEADERS), PREHEADER_LIMIT)
    _, _, order = _angle(s)
    themes = [THEMES_BY_KEY[key] for key in order[: 2 if target < 300 else 3]]
    facts = _facts(s, inputs.get("keywords") or ())
    greeting = GREETINGS.get(s.tone, "Hello,")
    signoff = f"{SIGNOFFS.get(s.tone, 'Kind regards')},\nThe {s.brand.name} team"
    opening = [c.pick(c.phrases.openers)]
    if s.plan.focus:
        opening.append(c.focus_line(s.plan.focus[0]))
    closing = _extras(s) + [fact_sentence(s.rng, f) for f in facts[:1]]
    closing.append(s.cta)
    body_parts: list[list[str]] = [[] for _ in themes]

    def body() -> str:
        blocks = [greeting, " ".join(opening)]
        blocks.extend(" ".join(part) for part in body_parts if part)
        blocks.extend([" ".join(closing), signoff])
        return _render(blocks)

    budget = max(15, (target - word_count(body())) // len(themes))
    for part, theme in zip(body_parts, themes, strict=True):
        part.extend(c.fill([theme.sentences, GENERAL], budget, minimum=1, focus=theme.focus))
    while word_count(body()) > target * 1.1 and max(len(p) for p in body_parts) > 1:
        max(body_parts, key=len).pop()
    text_body = body()
    text = _render(
        [
            f"**Subject:** {subject}",
            f"**Preheader:** {preheader}",
            "---",
            text_body,
            f"**Button:** {fit(s.cta.rstrip('.!'), 40)}",
        ]
    )
    return Deliverable(
        key="email",
        kind="markdown",
        title=subject,
        text=text,
        data={"subject": subject, "preheader": preheader, "body": text_body, "cta": s.cta},
        metadata={
            "subject_chars": len(subject),
            "preheader_chars": len(preheader),
            "body_word_count": word_count(text_body),
            "limits": {"subject": SUBJECT_LIMIT, "preheader": PREHEADER_LIMIT},
            "facts_used": facts[:1],
        },
    )


# --- landing page ------------------------------------------------------------------------

BENEFITS = (
    (
        "Clarity from the start",
        "A plain-language view of {topic}, so {audience} know what to "
        "expect before anything begins.",
    ),
    ("A plan that fits", "Work is shaped around your goals and the time you really have."),
    ("One point of contact", "Questions go to one person at {brand}, who keeps things moving."),
    ("Steady progress", "Work is broken into small steps, each with an owner and a date."),
    ("Honest advice", "You hear what we think, including when a simpler option would do."),
    ("Room to adjust", "Regular check-ins leave space to change course as you learn."),
)
STEPS = (
    ("Tell us what you need", "Share your goals for {topic} and what has been tried so far."),
    ("Agree a plan", "{Brand} proposes a short, clear plan with owners and review dates."),
    ("Get going", "Work starts in small steps, with regular check-ins along the way."),
    ("Review and refine", "Together we look at what is working and adjust the next round."),
)
FAQ = (
    (
        "Who is this for?",
        "It is designed for {audience} who want a clear, practical approach to {topic}.",
    ),
    (
        "How do I get started?",
        "Get in touch and tell us a little about where you are now. We "
        "will suggest a sensible first step.",
    ),
    (
        "How long does it take?",
        "That depends on the scope. We agree a timeline with you before any work starts.",
    ),
    (
        "What does it cost?",
        "Pricing depends on what you need. Ask for a quote based on your situation.",
    ),
    (
        "Can we start small?",
        "Yes. Many projects begin with a single, well-defined step and grow from there.",
    ),
    (
        "What do you need from us?",
        "A short conversation about your goals, and someone on your side who can make decisions.",
    ),
)
HEROES = (
    "{Topic}, made clear",
    "A practical approach to {topic}",
    "{Topic} for {audience}",
    "Make progress with {topic}",
)


def _landing_page(s: Setup, inputs: dict[str, Any], target: int) -> Deliverable:
    c = s.composer
    headline = capitalise(fit(c.pick(HEROES), 70))
    subheadline = c.render(
        "{Brand} helps {audience} approach {topic} with a clear plan and steady follow-through."
    )
    benefit_count = 3 if target < 400 else 4 if target < 700 else 6
    faq_count = 3 if target < 400 else 4 if target < 700 else 6
    benefits = [(c.render(t), c.render(d)) for t, d in BENEFITS]
    benefits = [b for b in benefits if s.plan.allows(" ".join(b))][:benefit_count]
    steps = [(c.render(t), c.render(d)) for t, d in STEPS][: 3 if target < 700 else 4]
    faq = [(c.render(q), c.render(a)) for q, a in FAQ]
    faq = [f for f in faq if s.plan.allows(" ".join(f))][:faq_count]
    facts = _facts(s, inputs.get("keywords") or ())
    about: list[str] = []
    if s.plan.focus:
        about.append(c.focus_line(s.plan.focus[0]))

    def assemble() -> str:
        blocks = [
            f"# {headline}",
            subheadline,
            f"**{s.cta.rstrip('.')}**",
            "## Why it matters",
            " ".join(about),
            "## What you get",
            "\n".join(f"- **{t}.** {d}" for t, d in benefits),
            "## How it works",
            "\n".join(f"{i}. **{t}.** {d}" for i, (t, d) in enumerate(steps, 1)),
        ]
        if facts:
            blocks += ["## Good to know", "\n".join(f"- {end_sentence(f)}" for f in facts)]
        blocks += ["## Frequently asked questions"]
        blocks += [f"### {q}\n\n{a}" for q, a in faq]
        blocks += ["## Ready when you are", " ".join([*_extras(s), s.cta]) + _website_line(s)]
        return _render(blocks)

    theme = THEMES_BY_KEY["why"]
    about.extend(
        c.fill([theme.sentences, GENERAL], max(20, target - word_count(assemble())), minimum=2)
    )
    text = assemble()
    return Deliverable(
        key="landing_page",
        kind="markdown",
        title=headline,
        text=text,
        data={
            "hero": {"headline": headline, "subheadline": subheadline, "cta": s.cta},
            "benefits": [{"title": t, "text": d} for t, d in benefits],
            "steps": [{"title": t, "text": d} for t, d in steps],
            "faq": [{"question": q, "answer": a} for q, a in faq],
            "cta": s.cta,
        },
        metadata={"facts_used": facts},
    )


# --- case study --------------------------------------------------------------------------

CHALLENGE = (
    "The starting point was familiar: {topic} mattered, but nobody had the time to own it.",
    "Work on {topic} had grown piece by piece, and the pieces no longer fitted together.",
    "Decisions about {topic} were being made case by case, without a shared plan.",
    "The team knew what good looked like, but not how to get there from where they were.",
    "Information lived in several places, which made it slow to answer simple questions.",
    "There was no agreed way to tell whether changes were helping.",
)
SOLUTION = (
    "{Brand} started by listening: short conversations with the people closest to the work.",
    "Together we wrote a one-page plan with a clear goal, named owners and review dates.",
    "The first changes were deliberately small, so they could be tested and undone if needed.",
    "We agreed a handful of signals to watch, and recorded a starting point for each.",
    "Regular check-ins kept the plan honest and gave the team room to adjust.",
    "Everything was documented in plain language, so it would outlast the project.",
)
QUALITATIVE_RESULTS = (
    "The team now has a shared plan for {topic} and a regular rhythm for reviewing it.",
    "Decisions that used to wait for a meeting can be made with the plan in hand.",
    "Ownership is clear, and the next steps are written down.",
    "No figures are quoted here, because only verified results are published.",
)
LESSONS = (
    "Start with the people doing the work; they know where the friction is.",
    "Small, reversible steps build confidence faster than one big launch.",
    "Writing the plan down matters as much as the plan itself.",
    "Agreeing how to measure progress early avoids arguments later.",
)


def _case_study(s: Setup, inputs: dict[str, Any], target: int) -> Deliverable:
    c = s.composer
    title = title_case(f"Case study: {fit(s.topic, 80)}")
    facts = _facts(s, inputs.get("keywords") or ())
    results_source = "verified_facts" if facts else "qualitative"
    client = f"a {inline(s.brand.industry)} organisation" if s.brand.industry else "a client"
    glance = [
        f"- **Client:** {capitalise(client)}",
        f"- **Focus:** {capitalise(inline(s.topic))}",
        f"- **Delivered by:** {s.brand.name}",
    ]
    challenge: list[str] = []
    solution: list[str] = []
    if s.plan.focus:
        solution.append(c.focus_line(s.plan.focus[0]))
    if facts:
        results = [f"- {end_sentence(f)}" for f in facts]
        results_note = [c.render("These results are taken from {brand}'s verified facts.")]
    else:
        results = []
        results_note = [c.render(t) for t in QUALITATIVE_RESULTS]
    lessons = [c.render(t) for t in LESSONS]

    def assemble() -> str:
        blocks = [
            f"# {title}",
            "\n".join(glance),
            "## The challenge",
            *paragraphs(s.rng, challenge, 2, 3),
            "## The solution",
            *paragraphs(s.rng, solution, 2, 3),
            "## The results",
        ]
        if results:
            blocks.append("\n".join(results))
        blocks.append(" ".join(results_note))
        blocks += ["## What we learned", "\n".join(f"- {x}" for x in lessons)]
        blocks += ["## Next steps", " ".join([*_extras(s), s.cta]) + _website_line(s)]
        return _render(blocks)

    budget = max(60, target - word_count(assemble()))
    challenge.extend(
        c.fill(
            [CHALLENGE, *(THEMES_BY_KEY[k].sentences for k in ("mistakes", "why"))],
            budget * 2 // 5,
            minimum=2,
            focus="the starting point",
        )
    )
    solution.extend(
        c.fill(
            [SOLUTION, *(THEMES_BY_KEY[k].sentences for k in ("plan", "start", "habits")), GENERAL],
            budget * 3 // 5,
            minimum=3,
            focus="the plan",
        )
    )
    text = assemble()
    return Deliverable(
        key="case_study",
        kind="markdown",
        title=title,
        text=text,
        data={
            "title": title,
            "challenge": " ".join(challenge),
            "solution": " ".join(solution),
            "results": facts or [" ".join(results_note)],
            "cta": s.cta,
        },
        metadata={"results_source": results_source, "facts_used": facts},
    )
