"""Meta tags, content outlines, keyword maps by search intent, and local SEO copy."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Sequence
from typing import Any

from ..brand import BrandProfile
from ..deliverable import Deliverable
from .brief import Brief, brief_setup
from .common import (
    Setup,
    capitalise,
    end_sentence,
    finalise,
    fit,
    inline,
    join_list,
    title_case,
)
from .draft import brand_lines, introduce

TITLE_LIMIT = 60
DESCRIPTION_MIN = 120
DESCRIPTION_MAX = 160
GBP_LIMIT = 750  # Google Business Profile description limit

INTENTS = ("informational", "commercial", "transactional", "navigational")
_INTENT_HINTS = (
    (
        "transactional",
        re.compile(
            r"\b(buy|prices?|pricing|costs?|quotes?|hire|book|order|near me|"
            r"booking|discount|offer)\b",
            re.I,
        ),
    ),
    (
        "commercial",
        re.compile(
            r"\b(vs|versus|review|reviews|compare|comparison|alternative|"
            r"alternatives|services|service|agency|providers?|options|company)\b",
            re.I,
        ),
    ),
    (
        "informational",
        re.compile(
            r"\b(how|what|why|when|guide|tips|ideas|examples|learn|"
            r"explained|checklist)\b",
            re.I,
        ),
    ),
)
MODIFIERS: dict[str, tuple[str, ...]] = {
    "informational": (
        "{t} guide",
        "{t} tips",
        "{t} explained",
        "{t} checklist",
        "{t} examples",
        "how to get started with {t}",
        "{t} for {audience}",
    ),
    "commercial": ("{t} services", "{t} options", "{t} comparison", "{t} providers"),
    "transactional": ("{t} quote", "{t} pricing", "book {t} consultation"),
    "navigational": ("{brand}", "{brand} {t}", "{brand} contact"),
}


def write(
    inputs: dict[str, Any],
    brand: BrandProfile,
    *,
    feedback: Sequence[str] = (),
    revision: int = 1,
    description: str = "",
) -> list[Deliverable]:
    kind = inputs["seoType"]
    s, b = brief_setup(f"seo:{kind}", inputs, brand, feedback, revision, description=description)
    builder = {
        "meta_tags": _meta_tags,
        "outline": _outline,
        "keywords": _keywords,
        "local_seo": _local_seo,
    }[kind]
    deliverable = builder(s, b, inputs)
    deliverable.metadata["seo_type"] = kind
    return [finalise(deliverable, s.plan, tone=s.tone, revision=revision, feedback=feedback)]


# --- titles and descriptions -------------------------------------------------------------


def meta_title(s: Setup, subject: str) -> str:
    """A title of at most 60 characters, with the brand name when there is room."""
    subject = title_case(subject)
    options = [f"{subject} | {s.brand.name}", f"{subject} – {s.brand.name}", subject]
    for option in options:
        if len(option) <= TITLE_LIMIT and s.plan.allows(option):
            return option
    return fit(subject, TITLE_LIMIT)


def meta_description(s: Setup, b: Brief, lead: str, extra: Sequence[str] = ()) -> str:
    """A description of 120 to 160 characters built from whole sentences of the brief."""
    pool = [
        lead,
        *extra,
        # The sentences with the brief's names and numbers say most in a search result.
        *[x for x in b.richest() if x in b.sentences],
        *(s.composer.mention(m) for m in s.plan.mentions),
        *brand_lines(s, b, 2),
        s.cta,
    ]
    pool = [end_sentence(p) for p in pool if p and s.plan.allows(p)]
    text = ""
    for sentence in pool:
        candidate = f"{text} {sentence}".strip()
        if len(candidate) <= DESCRIPTION_MAX:
            text = candidate
        if len(text) >= DESCRIPTION_MIN + 20:
            break
    if len(text) < DESCRIPTION_MIN:
        # Only reachable with very long sentences: cut the joined text at a word boundary.
        text = fit(" ".join(pool), DESCRIPTION_MAX - 1).rstrip(".,;:") + "."
    return text


def _lead(s: Setup, b: Brief) -> str:
    """The topic as a description's first sentence: as written, or credited to the brand."""
    if b.form in ("statement", "question"):
        return b.sentence
    return f"{b.title}, from {s.brand.name}."


def _meta_html(title: str, description: str, url: str) -> str:
    e = html.escape
    lines = [f"<title>{e(title)}</title>", f'<meta name="description" content="{e(description)}">']
    if url:
        lines.append(f'<link rel="canonical" href="{e(url)}">')
    lines += [
        f'<meta property="og:title" content="{e(title)}">',
        f'<meta property="og:description" content="{e(description)}">',
        '<meta property="og:type" content="website">',
    ]
    if url:
        lines.append(f'<meta property="og:url" content="{e(url)}">')
    lines += [
        '<meta name="twitter:card" content="summary_large_image">',
        f'<meta name="twitter:title" content="{e(title)}">',
        f'<meta name="twitter:description" content="{e(description)}">',
    ]
    return "\n".join(lines) + "\n"


def _meta_tags(s: Setup, b: Brief, inputs: dict[str, Any]) -> Deliverable:
    keywords = list(inputs.get("keywords") or [])
    url = str(inputs.get("url") or "")
    title = meta_title(s, b.title)
    lead = _lead(s, b)
    extra = [f"Covers {join_list(keywords[:2])}." if keywords else ""]
    if inputs.get("location"):
        extra.append(f"For {inputs['location']} and nearby.")
    description = meta_description(s, b, lead, extra)
    return Deliverable(
        key="meta_tags",
        kind="html",
        title=f"Meta tags: {s.topic}",
        text=_meta_html(title, description, url),
        data={
            "title": title,
            "description": description,
            "canonical": url,
            "og": {"title": title, "description": description, "type": "website", "url": url},
            "twitter": {"card": "summary_large_image", "title": title, "description": description},
            "keywords": keywords,
        },
        metadata={
            "title_chars": len(title),
            "description_chars": len(description),
            "limits": {
                "title_max": TITLE_LIMIT,
                "description_min": DESCRIPTION_MIN,
                "description_max": DESCRIPTION_MAX,
            },
        },
    )


# --- outline -----------------------------------------------------------------------------


def _outline(s: Setup, b: Brief, inputs: dict[str, Any]) -> Deliverable:
    keywords = list(inputs.get("keywords") or [])
    primary = keywords[0] if keywords else b.inline
    # Suggested variations only make sense on a noun phrase ("bookkeeping tips").
    suggested = [f"{b.inline} {m}" for m in ("tips", "checklist")] if b.form == "phrase" else []
    secondary = keywords[1:] or suggested
    factor = s.plan.length_factor
    title = fit(b.title, 70)
    words_low, words_high = round(1000 * factor / 100) * 100, round(1500 * factor / 100) * 100
    description = meta_description(s, b, _lead(s, b), [])
    intent = "informational" if b.form in ("howto", "question") else intent_of(primary, "")
    blocks = [
        f"# Content outline: {b.title}",
        "\n".join(
            [
                f"- **Working title (H1):** {title}",
                f"- **Primary keyword:** {primary}",
                f"- **Secondary keywords:** {join_list(secondary) or 'none given'}",
                f"- **Search intent:** {intent}",
                f"- **Audience:** {inline(s.audience)}",
                f"- **Suggested length:** {words_low}–{words_high} words",
                f"- **Meta title:** {meta_title(s, b.title)}",
                f"- **Meta description:** {description}",
            ]
        ),
        "## Introduction",
        "\n".join(
            [
                f"- Open with: {introduce(s, b)}",
                f"- Use “{primary}” in the first 100 words.",
                "- Say what the article covers and who it is for.",
            ]
        ),
    ]
    for f in s.plan.focus:
        blocks += [f"## {capitalise(f)}", f"- {s.composer.focus_line(f)}"]
    sections: list[tuple[str, list[str]]] = []
    if b.form == "howto" or b.steps:
        steps = list(b.steps) or ["List the steps in order; the brief does not give them yet."]
        sections.append(("The steps", steps))
    points = [*b.sentences, *b.points]
    if factor < 1:
        points = points[: max(1, len(points) // 2)]
    if points:
        sections.append(("What the brief says", points))
    for keyword in [primary, *secondary][: max(1, round(4 * factor))]:
        about = b.mentioning(keyword) or [
            f"Explain {keyword} in the reader's terms; the brief gives no detail yet."
        ]
        sections.append((capitalise(keyword), about))
    about_brand = brand_lines(s, b, 2)
    if about_brand and factor >= 1:
        sections.append((f"About {s.brand.name}", about_brand))
    headings = [h for h, _ in sections]
    for heading, bullets in sections:
        blocks += [f"## {heading}", "\n".join(f"- {p}" for p in bullets)]
    blocks += [
        "## Frequently asked questions",
        f"- List the questions searchers ask about {primary}, each answered in two or three "
        "sentences.",
        "## Conclusion and call to action",
        f"- Summarise the main points.\n- Close with: {s.cta}",
    ]
    if factor >= 1:
        blocks += [
            "## On-page checklist",
            "\n".join(
                [
                    "- Primary keyword in the H1, the first paragraph and one H2.",
                    "- One idea per H2; keep paragraphs to three or four sentences.",
                    "- Descriptive alt text on every image.",
                    "- A clear call to action at the end.",
                ]
            ),
        ]
    if s.plan.mentions:
        blocks.append("## Also cover\n" + "\n".join(f"- {m}" for m in s.plan.mentions))
    return Deliverable(
        key="outline",
        kind="markdown",
        title=f"Content outline: {b.title}",
        text="\n\n".join(blocks) + "\n",
        data={
            "title": title,
            "primary_keyword": primary,
            "secondary_keywords": secondary,
            "headings": headings,
            "suggested_words": [words_low, words_high],
        },
        metadata={"section_count": len(headings)},
    )


# --- keyword map -------------------------------------------------------------------------


def intent_of(keyword: str, brand_name: str) -> str:
    """A simple, explainable intent guess from the words in a keyword."""
    if brand_name and brand_name.lower() in keyword.lower():
        return "navigational"
    for intent, pattern in _INTENT_HINTS:
        if pattern.search(keyword):
            return intent
    return "informational"


def _keyword_type(keyword: str, seeds: Sequence[str]) -> str:
    if keyword.lower() in (k.lower() for k in seeds):
        return "primary"
    return "long-tail" if len(keyword.split()) >= 4 else "secondary"


PAGES = {
    "informational": "blog post or guide",
    "commercial": "service or comparison page",
    "transactional": "pricing or booking page",
    "navigational": "home or contact page",
}


def keyword_groups(
    s: Setup,
    seeds: Sequence[str],
    location: str = "",
) -> dict[str, list[dict[str, str]]]:
    """Seed keywords plus modifier variations, grouped by search intent, without repeats."""
    base = s.composer.context["topic"].lower().rstrip("?")
    context = {"t": base, "audience": inline(s.audience).lower(), "brand": s.brand.name}
    found: list[str] = [base, *(k.lower() for k in seeds)]
    for templates in MODIFIERS.values():
        found += [t.format(**context) for t in templates]
    if location:
        found += [f"{base} {location.lower()}", f"{base} near me", f"{base} in {location.lower()}"]
    groups: dict[str, list[dict[str, str]]] = {intent: [] for intent in INTENTS}
    seen: set[str] = set()
    for keyword in found:
        keyword = " ".join(keyword.split())
        if keyword in seen or not s.plan.allows(keyword):
            continue
        seen.add(keyword)
        intent = intent_of(keyword, s.brand.name)
        groups[intent].append(
            {
                "keyword": keyword,
                "type": _keyword_type(keyword, [base, *seeds]),
                "page": PAGES[intent],
            }
        )
    return groups


def _keywords(s: Setup, b: Brief, inputs: dict[str, Any]) -> Deliverable:
    seeds = list(inputs.get("keywords") or []) + [m.lower() for m in s.plan.mentions]
    groups = keyword_groups(s, seeds, str(inputs.get("location") or ""))
    blocks = [
        f"# Keyword map: {b.title}",
        "Keywords grouped by what the searcher is trying to do. Search volumes are not "
        "estimated here; check them in your keyword tool before prioritising.",
    ]
    for intent in INTENTS:
        rows = groups[intent]
        if not rows:
            continue
        blocks.append(f"## {capitalise(intent)} intent")
        table = ["| Keyword | Type | Suggested page |", "|---|---|---|"]
        table += [f"| {r['keyword']} | {r['type']} | {r['page']} |" for r in rows]
        blocks.append("\n".join(table))
    return Deliverable(
        key="keywords",
        kind="markdown",
        title=f"Keyword map: {b.title}",
        text="\n\n".join(blocks) + "\n",
        data={"groups": groups, "seeds": seeds},
        metadata={"keyword_count": sum(len(v) for v in groups.values())},
    )


# --- local SEO ---------------------------------------------------------------------------

CITATIONS = (
    "Google Business Profile",
    "Bing Places for Business",
    "Apple Business Connect",
    "Facebook page",
    "Local chamber of commerce or business directory",
    "Industry directories relevant to your trade",
)


def _local_seo(s: Setup, b: Brief, inputs: dict[str, Any]) -> Deliverable:
    c = s.composer
    location = str(inputs["location"])
    category = str(inputs.get("businessCategory") or s.brand.industry or s.topic)
    cat = inline(category)
    area = s.brand.location or location
    phone = s.brand.phone
    nap = {"name": s.brand.name, "address": area, "phone": phone, "website": s.brand.website}
    nap_lines = [f"- **Name:** {s.brand.name}", f"- **Address or area served:** {area}"]
    nap_lines.append(
        f"- **Phone:** {phone}"
        if phone
        else "- **Phone:** not on file yet; publish one number, written the same way everywhere."
    )
    if s.brand.website:
        nap_lines.append(f"- **Website:** {s.brand.website}")
    title = meta_title(s, f"{category} in {location}")
    description = meta_description(
        s,
        b,
        c.render("{Brand}: {cat} in {location}.", cat=cat, location=location),
        [f"Serving {location} and the surrounding area."],
    )
    gbp = " ".join(
        [
            c.render("{Brand}: {cat} serving {location}.", cat=cat, location=location),
            *b.sentences[:4],
            *(c.mention(m) for m in s.plan.mentions),
            *(end_sentence(f) for f in s.brand.verified_facts[:2]),
            c.render("Get in touch to talk about what you need in {location}.", location=location),
        ]
    )
    gbp = fit(gbp, GBP_LIMIT)
    groups = keyword_groups(s, [f"{cat} {location}".lower(), f"{cat} near me".lower()], location)
    local_keywords = [
        row["keyword"]
        for rows in groups.values()
        for row in rows
        if location.lower() in row["keyword"] or "near me" in row["keyword"]
    ]
    page_copy = [
        c.render(
            "Looking for {cat} in {location}? {Brand} works with {audience} across "
            "{location} and nearby.",
            cat=cat,
            location=location,
        ),
        *b.sentences,
        c.render(
            "When you contact us, tell us where in {location} you are and what you need.",
            location=location,
        ),
    ]
    json_ld: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "LocalBusiness",
        "name": s.brand.name,
        "areaServed": location,
        "address": {"@type": "PostalAddress", "addressLocality": area},
    }
    if phone:
        json_ld["telephone"] = phone
    if s.brand.website:
        json_ld["url"] = s.brand.website
    if s.brand.verified_facts:
        json_ld["description"] = gbp
    blocks = [
        f"# Local SEO: {title_case(cat)} in {location}",
        "## Business details (NAP)",
        "\n".join(nap_lines),
        "Use exactly these details on your website, your Google Business Profile and every "
        "directory listing; consistent name, address and phone details help search engines "
        "match them up.",
        "## Location page title and description",
        f"- **Title:** {title}\n- **Description:** {description}",
        "## Google Business Profile description",
        gbp,
        "## Local keywords",
        "\n".join(f"- {k}" for k in local_keywords),
        "## Location page copy",
        " ".join(page_copy),
        "## Citation checklist",
        "\n".join(f"- {name}" for name in CITATIONS),
        "## Structured data (JSON-LD)",
        "```json\n" + json.dumps(json_ld, indent=2, ensure_ascii=False) + "\n```",
    ]
    text = "\n\n".join(blocks) + "\n"
    return Deliverable(
        key="local_seo",
        kind="markdown",
        title=f"Local SEO: {category} in {location}",
        text=text,
        data={
            "nap": nap,
            "title": title,
            "description": description,
            "gbp_description": gbp,
            "keywords": local_keywords,
            "json_ld": json_ld,
        },
        metadata={
            "location": location,
            "location_mentions": text.lower().count(location.lower()),
            "title_chars": len(title),
            "description_chars": len(description),
            "missing_nap_fields": [k for k, v in nap.items() if not v],
        },
    )
