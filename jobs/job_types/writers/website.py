"""Copy for a home, about, services or contact page, section by requested section."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from ..brand import BrandProfile
from ..deliverable import Deliverable
from ..schemas import DEFAULT_WEBSITE_SECTIONS
from .advice import GENERAL, THEMES_BY_KEY
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
    setup,
)
from .content import BENEFITS, FAQ, STEPS

HEADLINES = {
    "home": ("{Brand}: {what} for {audience}", "{What}, made clear", "Welcome to {brand}"),
    "about": ("About {brand}", "Meet {brand}", "Who we are at {brand}"),
    "services": ("Services from {brand}", "How {brand} can help", "What we do at {brand}"),
    "contact": ("Contact {brand}", "Get in touch with {brand}", "Talk to {brand}"),
}
SUBHEADLINES = {
    "home": "We help {audience} with {what}, with a clear plan and steady follow-through.",
    "about": "The people, principles and way of working behind {brand}.",
    "services": "What we offer {audience}, and how each service works.",
    "contact": "Questions, quotes or a quick hello: here is how to reach us.",
}
SECTION_TITLES = {
    "hero": "",
    "intro": "Welcome",
    "benefits": "What you can expect",
    "services": "Our services",
    "process": "How we work",
    "story": "Our story",
    "mission": "Our mission",
    "values": "What we value",
    "approach": "Our approach",
    "faq": "Frequently asked questions",
    "contact_details": "Contact details",
    "contact_form": "Send us a message",
    "location": "Where to find us",
    "cta": "Ready to talk?",
}
SERVICE_LINES = (
    "{Service} from {brand}, shaped around what you need and the time you have.",
    "Tell us about your situation and we will explain how we approach {service}, step by step.",
    "Every {service} project starts with a short conversation and a clear plan.",
    "We keep {service} simple: agreed steps, named owners and regular updates.",
)
VALUE_LINES = (
    "{Value} guides how we plan, how we communicate and how we finish work.",
    "We practise {value} in the everyday details, not just the big moments.",
    "{Value} is something you should notice in every conversation with us.",
)
APPROACH = (
    ("Listen first", "We start by understanding your goals and constraints."),
    ("Plan clearly", "You get a short written plan with owners and dates."),
    ("Work in steps", "Small, visible steps, each one reviewed with you."),
    ("Stay in touch", "Regular updates, so nothing comes as a surprise."),
)
STORY_LINES = (
    "We believe good work starts with listening.",
    "Plain language, clear plans and honest updates are at the heart of how we work.",
    "We would rather do fewer things well than many things in a hurry.",
    "Every project is a partnership, and we treat it that way.",
)
FORM_FIELDS = (
    ("Name", True),
    ("Email", True),
    ("Phone", False),
    ("How can we help?", True),
)


def write(
    inputs: dict[str, Any], brand: BrandProfile, *, feedback: Sequence[str] = (), revision: int = 1
) -> list[Deliverable]:
    page = inputs["pageType"]
    what = inline(brand.industry) if brand.industry else "practical help"
    s = setup(
        f"website:{page}",
        inputs,
        brand,
        feedback,
        revision,
        topic=brand.industry or brand.tagline or brand.name,
    )
    s.composer.context.update({"what": what, "What": capitalise(what)})
    sections = list(inputs.get("sections") or DEFAULT_WEBSITE_SECTIONS[page])
    blocks: list[str] = []
    data_sections: list[dict[str, Any]] = []
    for key in sections:
        title, body, data = SECTIONS[key](s, inputs, page)
        heading = f"# {title}" if key == "hero" else f"## {title}"
        blocks += [heading, body]
        data_sections.append({"key": key, "title": title, "body": body, **data})
    if s.plan.mentions or s.plan.focus:
        extra = [s.composer.mention(m) for m in s.plan.mentions]
        extra += [s.composer.focus_line(f) for f in s.plan.focus]
        blocks.insert(2, " ".join(extra))  # right under the hero, where it will be read
    text = "\n\n".join(b for b in blocks if b) + "\n"
    deliverable = Deliverable(
        key=f"{page}_page",
        kind="markdown",
        title=data_sections[0]["title"] if data_sections else f"{page.title()} page",
        text=text,
        data={"page": page, "sections": data_sections, "cta": s.cta},
        metadata={"page": page, "sections": sections},
    )
    return [finalise(deliverable, s.plan, tone=s.tone, revision=revision, feedback=feedback)]


Section = tuple[str, str, dict[str, Any]]


def _count(s: Setup, base: int) -> int:
    return max(1, round(base * s.plan.length_factor))


def _hero(s: Setup, inputs: dict[str, Any], page: str) -> Section:
    c = s.composer
    headline = fit(c.pick(HEADLINES[page]), 70)
    if page == "home" and s.brand.tagline:
        headline = s.brand.tagline
    sub = c.render(SUBHEADLINES[page])
    return headline, f"{sub}\n\n**{s.cta.rstrip('.')}**", {"subheadline": sub, "cta": s.cta}


def _intro(s: Setup, inputs: dict[str, Any], page: str) -> Section:
    c = s.composer
    sentences = [c.render("{Brand} works with {audience} on {what}.")]
    sentences += c.fill([THEMES_BY_KEY["why"].sentences], 12 * _count(s, 3), minimum=1)
    return SECTION_TITLES["intro"], " ".join(sentences), {}


def _benefits(s: Setup, inputs: dict[str, Any], page: str) -> Section:
    c = s.composer
    items = [(c.render(t), c.render(d, topic=s.composer.context["what"])) for t, d in BENEFITS]
    items = [i for i in items if s.plan.allows(" ".join(i))][: _count(s, 4)]
    body = "\n".join(f"- **{t}.** {d}" for t, d in items)
    return SECTION_TITLES["benefits"], body, {"items": [t for t, _ in items]}


def _services(s: Setup, inputs: dict[str, Any], page: str) -> Section:
    c = s.composer
    names = list(inputs.get("services") or [])
    if not names:
        what = c.context["what"]
        body = c.render(
            "{Brand} offers {what} for {audience}. Tell us what you need and we "
            "will explain how we would approach it.",
            what=what,
        )
        return SECTION_TITLES["services"], body, {"services": []}
    parts = []
    for name in names:
        lines = c.fill([SERVICE_LINES], 12 * _count(s, 2), minimum=1, service=inline(name))
        parts.append(f"### {capitalise(name)}\n\n{' '.join(lines)}")
    intro = c.render("{Brand} offers {services}.", services=join_list([inline(n) for n in names]))
    return SECTION_TITLES["services"], intro + "\n\n" + "\n\n".join(parts), {"services": names}


def _process(s: Setup, inputs: dict[str, Any], page: str) -> Section:
    c = s.composer
    steps = [(c.render(t), c.render(d, topic=c.context["what"])) for t, d in STEPS]
    steps = steps[: max(3, _count(s, 4))]
    body = "\n".join(f"{i}. **{t}.** {d}" for i, (t, d) in enumerate(steps, 1))
    return SECTION_TITLES["process"], body, {"steps": [t for t, _ in steps]}


def _story(s: Setup, inputs: dict[str, Any], page: str) -> Section:
    c = s.composer
    # A story told only from what is on file: no invented founding myths.
    sentences = [c.render("{Brand} exists to help {audience} with {what}.")]
    sentences += [end_sentence(f) for f in s.brand.verified_facts[: _count(s, 2)]]
    if s.brand.location:
        sentences.append(c.render("We are based in {place}.", place=s.brand.location))
    sentences += c.fill([STORY_LINES], 10 * _count(s, 2), minimum=1)
    return SECTION_TITLES["story"], " ".join(sentences), {}


def _mission(s: Setup, inputs: dict[str, Any], page: str) -> Section:
    c = s.composer
    values = s.brand.values[:2]
    how = f", guided by {join_list([inline(v) for v in values])}" if values else ""
    body = c.render("To help {audience} make steady progress with {what}{how}.", how=how)
    return SECTION_TITLES["mission"], body, {}


def _values(s: Setup, inputs: dict[str, Any], page: str) -> Section:
    c = s.composer
    values = s.brand.values or ["clarity", "care", "follow-through"]
    body = "\n".join(
        f"- **{capitalise(v)}.** {c.pick(VALUE_LINES, value=inline(v))}"
        for v in values[: _count(s, 4)]
    )
    return SECTION_TITLES["values"], body, {"values": values}


def _approach(s: Setup, inputs: dict[str, Any], page: str) -> Section:
    items = APPROACH[: max(2, _count(s, 4))]
    body = "\n".join(f"- **{t}.** {d}" for t, d in items)
    return SECTION_TITLES["approach"], body, {}


def _faq(s: Setup, inputs: dict[str, Any], page: str) -> Section:
    c = s.composer
    items = [(c.render(q), c.render(a, topic=c.context["what"])) for q, a in FAQ]
    items = [i for i in items if s.plan.allows(" ".join(i))][: _count(s, 4)]
    body = "\n\n".join(f"### {q}\n\n{a}" for q, a in items)
    return SECTION_TITLES["faq"], body, {"questions": [q for q, _ in items]}


def _contact_details(s: Setup, inputs: dict[str, Any], page: str) -> Section:
    b = s.brand
    lines = []
    if b.phone:
        lines.append(f"- **Phone:** {b.phone}")
    if b.email:
        lines.append(f"- **Email:** {b.email}")
    if b.website:
        lines.append(f"- **Website:** {b.website}")
    if b.location:
        lines.append(f"- **Location:** {b.location}")
    body = "\n".join(lines) if lines else "The quickest way to reach us is the form below."
    known = {"phone": b.phone, "email": b.email, "website": b.website, "location": b.location}
    return SECTION_TITLES["contact_details"], body, {"details": known}


def _contact_form(s: Setup, inputs: dict[str, Any], page: str) -> Section:
    fields = "\n".join(f"- {name}{'' if needed else ' (optional)'}" for name, needed in FORM_FIELDS)
    note = "We use your details only to reply to your message.\n\n**Send message**"
    return (
        SECTION_TITLES["contact_form"],
        f"{fields}\n\n{note}",
        {"fields": [{"label": n, "required": r} for n, r in FORM_FIELDS]},
    )


def _location(s: Setup, inputs: dict[str, Any], page: str) -> Section:
    c = s.composer
    if s.brand.location:
        body = c.render(
            "{Brand} is based in {place}. Tell us where you are and we will let you "
            "know how we can help.",
            place=s.brand.location,
        )
    else:
        body = c.render("Tell us where you are and we will let you know how we can help.")
    return SECTION_TITLES["location"], body, {"location": s.brand.location}


def _cta(s: Setup, inputs: dict[str, Any], page: str) -> Section:
    c = s.composer
    sentences = [c.pick(c.phrases.closers, topic=c.context["what"]), s.cta]
    facts = facts_for(s.brand, c.context["what"], 1)
    if facts and s.plan.length_factor >= 1 and page != "about":
        sentences.insert(1, fact_sentence(s.rng, facts[0]))
    if s.plan.length_factor > 1:
        sentences.insert(1, c.pick(GENERAL))
    return SECTION_TITLES["cta"], " ".join(sentences), {"cta": s.cta}


SECTIONS: dict[str, Callable[[Setup, dict[str, Any], str], Section]] = {
    "hero": _hero,
    "intro": _intro,
    "benefits": _benefits,
    "services": _services,
    "process": _process,
    "story": _story,
    "mission": _mission,
    "values": _values,
    "approach": _approach,
    "faq": _faq,
    "contact_details": _contact_details,
    "contact_form": _contact_form,
    "location": _location,
    "cta": _cta,
}
