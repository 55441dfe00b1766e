"""Copy for a home, about, services or contact page, section by requested section."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from ..brand import BrandProfile
from ..deliverable import Deliverable
from ..schemas import DEFAULT_WEBSITE_SECTIONS
from .brief import Brief, brief_setup
from .common import Setup, capitalise, finalise, fit, inline, join_list
from .draft import brand_lines, extras, note, unused, website_line

HEADLINES = {
    "home": ("{Brand}: {what} for {audience}", "{Brand}: {what}", "Welcome to {brand}"),
    "about": ("About {brand}", "Meet {brand}", "Who we are at {brand}"),
    "services": ("Services from {brand}", "How {brand} can help", "What we do at {brand}"),
    "contact": ("Contact {brand}", "Get in touch with {brand}", "Talk to {brand}"),
}
SUBHEADLINES = {
    "home": "{Brand}: {what} for {audience}.",
    "about": "The people behind {brand}.",
    "services": "What {brand} offers {audience}.",
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
FORM_FIELDS = (
    ("Name", True),
    ("Email", True),
    ("Phone", False),
    ("How can we help?", True),
)


def write(
    inputs: dict[str, Any],
    brand: BrandProfile,
    *,
    feedback: Sequence[str] = (),
    revision: int = 1,
    description: str = "",
) -> list[Deliverable]:
    page = inputs["pageType"]
    what = inline(brand.industry) if brand.industry else "what we do"
    topic = brand.industry or brand.tagline or brand.name
    s, b = brief_setup(
        f"website:{page}",
        {**inputs, "topic": topic},
        brand,
        feedback,
        revision,
        description=description,
    )
    s.composer.context.update({"what": what, "What": capitalise(what)})
    sections = list(inputs.get("sections") or DEFAULT_WEBSITE_SECTIONS[page])
    blocks: list[str] = []
    data_sections: list[dict[str, Any]] = []
    said: list[str] = []
    for key in sections:
        title, body, data = SECTIONS[key](s, b, inputs, page, said)
        heading = f"# {title}" if key == "hero" else f"## {title}"
        blocks += [heading, body]
        data_sections.append({"key": key, "title": title, "body": body, **data})
    if s.plan.mentions or s.plan.focus:
        blocks.insert(2, " ".join(extras(s)))  # right under the hero, where it will be read
    text = "\n\n".join(x for x in blocks if x) + "\n"
    deliverable = Deliverable(
        key=f"{page}_page",
        kind="markdown",
        title=data_sections[0]["title"] if data_sections else f"{page.title()} page",
        text=text,
        data={"page": page, "sections": data_sections, "cta": s.cta},
        metadata={"page": page, "sections": sections, "draft_notes": text.count("_Draft note:")},
    )
    return [finalise(deliverable, s.plan, tone=s.tone, revision=revision, feedback=feedback)]


Section = tuple[str, str, dict[str, Any]]


def _short(s: Setup) -> bool:
    return s.plan.length_factor < 1


def _fresh(s: Setup, items: Sequence[str], said: list[str], limit: int | None = None) -> list[str]:
    """Sentences not yet used on the page; remembered as used once returned."""
    items = [i for i in unused(list(items), *said) if s.plan.allows(i)]
    if _short(s):
        items = items[: max(1, len(items) // 2)]
    items = items[:limit]
    said.extend(items)
    return items


def _hero(s: Setup, b: Brief, inputs: dict[str, Any], page: str, said: list[str]) -> Section:
    c = s.composer
    headline = fit(c.pick(HEADLINES[page]), 70)
    if page == "home" and s.brand.tagline:
        headline = s.brand.tagline
    lead = _fresh(s, b.sentences, said, 1)
    sub = lead[0] if lead and page != "contact" else c.render(SUBHEADLINES[page])
    return headline, f"{sub}\n\n**{s.cta.rstrip('.')}**", {"subheadline": sub, "cta": s.cta}


def _intro(s: Setup, b: Brief, inputs: dict[str, Any], page: str, said: list[str]) -> Section:
    sentences = _fresh(s, b.sentences, said, 3) or [
        note("introduce the business in two or three sentences; the brief does not yet.")
    ]
    return SECTION_TITLES["intro"], " ".join(sentences), {}


def _benefits(s: Setup, b: Brief, inputs: dict[str, Any], page: str, said: list[str]) -> Section:
    items = _fresh(s, [*b.points, *b.sentences], said, 6)
    body = (
        "\n".join(f"- {i}" for i in items)
        if items
        else note("list what a customer can expect, in their words; the brief does not say yet.")
    )
    return SECTION_TITLES["benefits"], body, {"items": items}


def _services(s: Setup, b: Brief, inputs: dict[str, Any], page: str, said: list[str]) -> Section:
    names = list(inputs.get("services") or [])
    if not names:
        about = _fresh(s, b.sentences, said, 2)
        body = (
            " ".join(about)
            if about
            else note("name each service and say who it is for; the brief lists none yet.")
        )
        return SECTION_TITLES["services"], body, {"services": []}
    parts = []
    for name in names:
        lines = _fresh(s, b.mentioning(name, *name.lower().split()[:1]), said, 2)
        text = (
            " ".join(lines)
            if lines
            else note(
                f"say what {inline(name)} includes and who it is for; the brief gives no detail yet."
            )
        )
        parts.append(f"### {capitalise(name)}\n\n{text}")
    intro = s.composer.render(
        "{Brand} offers {services}.", services=join_list([inline(n) for n in names])
    )
    return SECTION_TITLES["services"], intro + "\n\n" + "\n\n".join(parts), {"services": names}


def _process(s: Setup, b: Brief, inputs: dict[str, Any], page: str, said: list[str]) -> Section:
    steps = _fresh(s, b.steps, said)
    body = (
        "\n".join(f"{i}. {t}" for i, t in enumerate(steps, 1))
        if steps
        else note("set out how working together goes, step by step; the brief does not say yet.")
    )
    return SECTION_TITLES["process"], body, {"steps": steps}


def _story(s: Setup, b: Brief, inputs: dict[str, Any], page: str, said: list[str]) -> Section:
    # A story told only from what is on file: no invented founding myths.
    sentences = _fresh(s, [*b.sentences, *brand_lines(s, b, 3)], said, 4)
    body = (
        " ".join(sentences)
        if sentences
        else note("tell how the business began and who runs it; nothing is on file yet.")
    )
    return SECTION_TITLES["story"], body, {}


def _mission(s: Setup, b: Brief, inputs: dict[str, Any], page: str, said: list[str]) -> Section:
    values = s.brand.values[:3]
    body = (
        s.composer.render(
            "Our work is guided by {values}.", values=join_list([inline(v) for v in values])
        )
        if values
        else note("state the mission in one sentence; none is on file yet.")
    )
    return SECTION_TITLES["mission"], body, {}


def _values(s: Setup, b: Brief, inputs: dict[str, Any], page: str, said: list[str]) -> Section:
    values = s.brand.values[: 2 if _short(s) else 6]
    if not values:
        return (
            SECTION_TITLES["values"],
            note("list the values the business works by."),
            {"values": []},
        )
    body = "\n".join(f"- **{capitalise(v)}**" for v in values)
    if not _short(s):
        body += "\n\n" + note("add a sentence on what each value means in practice.")
    return SECTION_TITLES["values"], body, {"values": values}


def _approach(s: Setup, b: Brief, inputs: dict[str, Any], page: str, said: list[str]) -> Section:
    steps = _fresh(s, b.steps, said)
    body = (
        "\n".join(f"- {t}" for t in steps)
        if steps
        else note("describe how the team works with a customer; the brief does not say yet.")
    )
    return SECTION_TITLES["approach"], body, {}


def _faq(s: Setup, b: Brief, inputs: dict[str, Any], page: str, said: list[str]) -> Section:
    body = note("add the questions customers ask most, each with the answer you give.")
    return SECTION_TITLES["faq"], body, {"questions": []}


def _contact_details(
    s: Setup, b: Brief, inputs: dict[str, Any], page: str, said: list[str]
) -> Section:
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


def _contact_form(
    s: Setup, b: Brief, inputs: dict[str, Any], page: str, said: list[str]
) -> Section:
    fields = "\n".join(f"- {name}{'' if needed else ' (optional)'}" for name, needed in FORM_FIELDS)
    note = "We use your details only to reply to your message.\n\n**Send message**"
    return (
        SECTION_TITLES["contact_form"],
        f"{fields}\n\n{note}",
        {"fields": [{"label": n, "required": r} for n, r in FORM_FIELDS]},
    )


def _location(s: Setup, b: Brief, inputs: dict[str, Any], page: str, said: list[str]) -> Section:
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


def _cta(s: Setup, b: Brief, inputs: dict[str, Any], page: str, said: list[str]) -> Section:
    sentences = [s.cta, website_line(s)]
    return SECTION_TITLES["cta"], " ".join(x for x in sentences if x), {"cta": s.cta}


SECTIONS: dict[str, Callable[[Setup, Brief, dict[str, Any], str, list[str]], Section]] = {
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
