"""The prompt a hosted model gets for each output type: what to write, the JSON to reply with,
and everything it may state (the brief, the brand profile, verified facts, approved
testimonials), with the instruction to invent nothing else."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from jobs.feedback import Instruction
from jobs.prompt_screen import DATA_NOTICE, quoted

from .deliverable import Deliverable
from .reply_schemas import Shape, shape_for

# What each output type is, in the words a copywriter would use; keys not listed use the title.
GENRES: dict[str, str] = {
    "blog_post": "a blog post: a title, an opening paragraph, two to five sections with headings",
    "email": "a marketing email: a subject line, a preheader, a short body and a button label",
    "landing_page": "a landing page: a headline, a promise, sections for benefits and proof",
    "case_study": "a case study: the client, the challenge, what was done and the results",
    "guidelines": "brand guidelines: voice, tone, audience, wording dos and don'ts",
    "voice": "a brand voice guide: how the brand sounds, with example sentences",
    "messaging": "a messaging framework: positioning, key messages and proof points",
    "outline": "an article outline for search: headings with a line on what each covers",
    "local_seo": "local search copy: the business, where it is and what it offers there",
    "meta_tags": "search meta tags: a title and a description within their limits",
    "keywords": "a keyword list with a line on the intent behind each",
}
PLATFORM_NOTES: dict[str, str] = {
    "twitter": "a post for X (Twitter): at most 280 characters, one idea, two hashtags at most",
    "linkedin": "a LinkedIn post: professional, a short paragraph or two, three hashtags at most",
    "instagram": "an Instagram caption: a warm opening line, then detail, hashtags at the end",
    "facebook": "a Facebook post: conversational, one or two short paragraphs",
}

RULES = (
    "Use only what you are given below: the brief, the brand profile, the verified facts and "
    "the approved testimonials. Do not invent anything else: no statistics, prices, dates, "
    "names, places, awards, rankings, guarantees, testimonials or health or financial "
    "promises that are not stated there. Where the brief leaves a gap, leave it out."
)


def genre(deliverable: Deliverable) -> str:
    key = deliverable.key
    if "_post_" in key:
        platform = key.split("_post_")[0]
        return PLATFORM_NOTES.get(platform, f"a social media post for {platform}")
    if key.endswith("_script"):
        return "a narration script: spoken sentences only, in the draft's order and length"
    if key.endswith("_page"):
        return f"the {key.removesuffix('_page').replace('_', ' ')} page of a website"
    return GENRES.get(key, deliverable.title or key.replace("_", " "))


def _lines(items: Sequence[str]) -> str:
    return "\n".join(f"- {item}" for item in items) or "- (none)"


def checklist_lines(instructions: Sequence[Instruction]) -> list[str]:
    """The reviewer's checklist as the model should read it."""
    return [
        i.label + (f" (reviewer: “{i.source}”)" if i.kind != "note" else "") for i in instructions
    ]


def messages_for(
    deliverable: Deliverable,
    *,
    brand: Mapping[str, Any],
    testimonials: Sequence[Mapping[str, Any]] = (),
    description: str = "",
    instructions: Sequence[Instruction] = (),
) -> tuple[list[dict[str, str]], Shape]:
    """System and user messages asking for this output type as JSON, and the reply's shape."""
    shape = shape_for(deliverable.key, deliverable.kind)
    system = (
        f"You are a senior copywriter writing {genre(deliverable)}. {RULES} "
        f"{DATA_NOTICE} "
        "Reply with one JSON object and nothing else, valid against this JSON Schema:\n"
        + json.dumps(shape.schema, indent=1)
    )
    profile = {
        k: v for k, v in brand.items() if k not in ("verified_facts",) and isinstance(v, str | list)
    }
    quotes = [f"“{t.get('quote', '')}” ({t.get('author', 'a customer')})" for t in testimonials]
    user = "\n\n".join(
        [
            f"Brief:\n{quoted(description.strip() or '(no description; see the draft)')}",
            f"Brand profile:\n{json.dumps(profile, ensure_ascii=False)}",
            f"Verified facts (the only facts you may state):\n{_lines(brand.get('verified_facts') or [])}",
            f"Approved testimonials (quote only these, word for word):\n{_lines(quotes)}",
            "Reviewer checklist (every item must hold in your reply):\n"
            + _lines(checklist_lines(instructions)),
            f"Draft to improve (keep its facts, structure and limits):\n{quoted(deliverable.text)}",
        ]
    )
    return [{"role": "system", "content": system}, {"role": "user", "content": user}], shape


def repair_message(reply: str, problems: Sequence[str]) -> list[dict[str, str]]:
    """The follow-up turn after a reply that did not match the schema."""
    return [
        {"role": "assistant", "content": reply},
        {
            "role": "user",
            "content": "That reply is not valid against the JSON Schema:\n"
            + _lines(problems)
            + "\nReply again with only the corrected JSON object.",
        },
    ]
