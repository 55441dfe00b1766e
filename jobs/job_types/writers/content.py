"""Blog posts, emails, landing pages and case studies, built from the brief in each genre's shape.

The built-in writer does not pad a piece to its word count: it arranges what the brief, the
brand profile and the verified facts say, and leaves a marked note where a section needs
material the brief does not give. `target_words` is recorded for whoever finishes the draft.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from ..brand import BrandProfile
from ..deliverable import Deliverable
from .brief import Brief, brief_setup
from .common import Setup, capitalise, end_sentence, finalise, fit, word_count
from .draft import (
    brand_facts,
    brand_lines,
    extras,
    introduce,
    note,
    say,
    unused,
    website_line,
)

TARGET_WORDS: dict[str, dict[str, int]] = {
    "blog_post": {"short": 400, "medium": 800, "long": 1400},
    "email": {"short": 150, "medium": 250, "long": 400},
    "landing_page": {"short": 300, "medium": 500, "long": 800},
    "case_study": {"short": 400, "medium": 700, "long": 1100},
}
SUBJECT_LIMIT = 60
PREHEADER_LIMIT = 100
ANGLES = ("direct", "from the brand", "key points first")


def target_words(inputs: dict[str, Any], factor: float = 1.0) -> int:
    """The length the finished piece should have: wordCount when given, else the length's size."""
    kind = inputs["contentType"]
    base = inputs.get("wordCount") or TARGET_WORDS[kind][inputs.get("length") or "medium"]
    return max(60, round(base * factor))


def write(
    inputs: dict[str, Any],
    brand: BrandProfile,
    *,
    feedback: Sequence[str] = (),
    revision: int = 1,
    description: str = "",
) -> list[Deliverable]:
    kind = inputs["contentType"]
    s, b = brief_setup(
        f"content:{kind}", inputs, brand, feedback, revision, description=description
    )
    builder = {
        "blog_post": _blog_post,
        "email": _email,
        "landing_page": _landing_page,
        "case_study": _case_study,
    }[kind]
    deliverable = builder(s, b)
    deliverable.metadata.update(
        {
            "target_words": target_words(inputs, s.plan.length_factor),
            "content_type": kind,
            "topic_form": b.form,
        }
    )
    return [finalise(deliverable, s.plan, tone=s.tone, revision=revision, feedback=feedback)]


def _render(blocks: Sequence[str]) -> str:
    return "\n\n".join(x.strip() for x in blocks if x and x.strip()) + "\n"


def _short(s: Setup) -> bool:
    return s.plan.length_factor < 1


def _keep(s: Setup, items: Sequence[str]) -> list[str]:
    """All of the brief's sentences, or the first ones when the reviewer asked for less."""
    items = [i for i in items if s.plan.allows(i)]
    if not _short(s) or len(items) < 2:
        return items
    return items[: max(1, round(len(items) * s.plan.length_factor))]


def _angle(s: Setup) -> str:
    return ANGLES[s.plan.angle_shift % len(ANGLES)]


def _title(s: Setup, b: Brief, angle: str) -> str:
    brand = s.brand.name
    if angle == "from the brand":
        return f"{brand} Answers: {b.title}" if b.is_question else f"{b.title}: A Note from {brand}"
    if angle == "key points first":
        return f"Key Points: {b.title}" if b.is_question else f"{b.title}: The Key Points"
    return b.title


def _bullets(items: Sequence[str]) -> str:
    return "\n".join(f"- {i}" for i in items)


def _numbered(items: Sequence[str]) -> str:
    return "\n".join(f"{n}. {i}" for n, i in enumerate(items, 1))


def _keyword_sections(s: Setup, b: Brief, said: list[str]) -> list[tuple[str, list[str]]]:
    """A section per keyword: the brief's sentences about it, or a note asking for them."""
    sections = []
    for keyword in b.keywords:
        about = unused(b.mentioning(keyword), *said)
        said.extend(about)
        body = (
            [" ".join(about)]
            if about
            else [note(f"say how {keyword} fits in; the brief gives no detail on it yet.")]
        )
        sections.append((capitalise(keyword), body))
    return sections


# --- blog post ---------------------------------------------------------------------------


def _blog_post(s: Setup, b: Brief) -> Deliverable:
    words = s.composer.phrases
    angle = _angle(s)
    title = _title(s, b, angle)
    sentences = _keep(s, b.sentences)
    opening = introduce(s, b)
    lead = unused(sentences[:2], opening)
    intro = [opening, *lead, *[s.composer.focus_line(f) for f in s.plan.focus]]
    said = [opening, *lead]
    sections: list[tuple[str, list[str]]] = []
    if b.form == "howto" or b.steps:
        steps = _keep(s, b.steps)
        body = (
            [_numbered(steps)]
            if steps
            else [note("list the steps in order; the brief does not give them yet.")]
        )
        sections.append((say(s, words.steps), body))
    points = unused([*sentences[2:], *_keep(s, b.points)], *said)
    if points:
        sections.append((say(s, words.points), [_bullets(points)]))
        said.extend(points)
    sections += _keyword_sections(s, b, said)
    if not sections:
        sections.append(
            (
                say(s, words.points),
                [
                    note(
                        "add the points this article should make; the brief "
                        "gives a topic but no detail yet."
                    )
                ],
            )
        )
    if angle == "key points first":
        sections.sort(key=lambda sec: sec[0] != say(s, words.points))
    about = [] if _short(s) else brand_lines(s, b)
    if about:
        sections.append((say(s, words.about_us, brand=s.brand.name), [" ".join(about)]))
    mentions = [s.composer.mention(m) for m in s.plan.mentions]
    closing = [*mentions, s.cta, website_line(s)]
    if not _short(s):
        closing.append(say(s, words.thanks))
    blocks = [f"# {title}", " ".join(intro)]
    for heading, body in sections:
        blocks += [f"## {heading}", *body]
    next_heading = say(s, words.next)
    blocks += [f"## {next_heading}", " ".join(x for x in closing if x)]
    text = _render(blocks)
    headings = [h for h, _ in sections] + [next_heading]
    return Deliverable(
        key="blog_post",
        kind="markdown",
        title=title,
        text=text,
        data={"title": title, "headings": headings, "cta": s.cta, "keywords": list(b.keywords)},
        metadata={
            "angle": angle,
            "facts_used": [f for f in brand_facts(s, b) if f in text],
            "draft_notes": text.count("_Draft note:"),
        },
    )


# --- email -------------------------------------------------------------------------------


def _subject(s: Setup, b: Brief) -> str:
    subject = b.subject_line()
    if b.form == "statement" and s.composer.phrases.exclaim:
        subject = subject.rstrip(".") + "!"
    elif b.form == "phrase":
        framed = f"{subject}: news from {s.brand.name}"
        if len(framed) <= SUBJECT_LIMIT:
            subject = framed
    if len(subject) > SUBJECT_LIMIT:
        subject = fit(subject, SUBJECT_LIMIT)
    return subject


def _preheader(s: Setup, b: Brief, subject: str) -> str:
    for sentence in unused(b.sentences, subject, b.sentence):
        if len(sentence) <= PREHEADER_LIMIT and s.plan.allows(sentence):
            return sentence
    return f"A short note from {s.brand.name}."


def _email(s: Setup, b: Brief) -> Deliverable:
    words = s.composer.phrases
    subject = _subject(s, b)
    preheader = _preheader(s, b, subject)
    sentences = _keep(s, b.sentences)
    opening = introduce(s, b, "email")
    first = [opening, *unused(sentences[:2], opening)]
    if b.form == "statement" and b.sentences:
        first.insert(0, say(s, words.lead, brand=s.brand.name))
    rest = unused(sentences[2:], *first)
    paragraphs = [" ".join([*first, *[s.composer.focus_line(f) for f in s.plan.focus]])]
    if rest:
        paragraphs.append(" ".join(rest))
    if b.steps:
        paragraphs.append(_numbered(_keep(s, b.steps)))
    points = _keep(s, b.points)
    if points:
        paragraphs.append(_bullets(points))
    if not b.copy and not points:
        paragraphs.append(
            note(
                "add the news or detail this email is about; the brief "
                "gives a topic but no detail yet."
            )
        )
    closing = [*[s.composer.mention(m) for m in s.plan.mentions]]
    if not _short(s):
        closing += brand_facts(s, b, 1)
    closing.append(s.cta)
    signoff = f"{words.signoff},\nThe {s.brand.name} team"
    body = _render([words.greeting, *paragraphs, " ".join(closing), signoff])
    text = _render(
        [
            f"**Subject:** {subject}",
            f"**Preheader:** {preheader}",
            "---",
            body,
            f"**Button:** {button(s)}",
        ]
    )
    return Deliverable(
        key="email",
        kind="markdown",
        title=subject,
        text=text,
        data={"subject": subject, "preheader": preheader, "body": body, "cta": s.cta},
        metadata={
            "subject_chars": len(subject),
            "preheader_chars": len(preheader),
            "body_word_count": word_count(body),
            "limits": {"subject": SUBJECT_LIMIT, "preheader": PREHEADER_LIMIT},
            "facts_used": [f for f in brand_facts(s, b, 1) if f in text],
        },
    )


def button(s: Setup) -> str:
    """The call to action on a button: whole, or a plain fallback when it is too long."""
    text = s.cta.rstrip(".!")
    return text if len(text) <= 40 else "Get in touch"


# --- landing page ------------------------------------------------------------------------


def _landing_page(s: Setup, b: Brief) -> Deliverable:
    words = s.composer.phrases
    headline = fit(b.title, 90)
    sentences = _keep(s, b.sentences)
    if sentences:
        subheadline = sentences[0]
    elif s.brand.tagline:
        subheadline = end_sentence(s.brand.tagline)
    else:
        subheadline = introduce(s, b, "page")
    said = [subheadline, b.sentence]
    points = unused([*sentences[1:], *_keep(s, b.points)], *said)
    said += points
    sections: list[tuple[str, str]] = []
    if points:
        sections.append((say(s, words.points), _bullets(points)))
    if b.steps:
        sections.append((say(s, words.steps), _numbered(_keep(s, b.steps))))
    for heading, body in _keyword_sections(s, b, said):
        sections.append((heading, "\n\n".join(body)))
    if not sections:
        sections.append(
            (say(s, words.points), note("list what the visitor gets; the brief does not say yet."))
        )
    about = [] if _short(s) else brand_lines(s, b)
    if about:
        sections.append((say(s, words.about_us, brand=s.brand.name), " ".join(about)))
    next_heading = say(s, words.next)
    closing = [*extras(s), s.cta, website_line(s)]
    blocks = [f"# {headline}", subheadline, f"**{s.cta.rstrip('.')}**"]
    for heading, body in sections:
        blocks += [f"## {heading}", body]
    blocks += [f"## {next_heading}", " ".join(x for x in closing if x)]
    text = _render(blocks)
    return Deliverable(
        key="landing_page",
        kind="markdown",
        title=headline,
        text=text,
        data={
            "hero": {"headline": headline, "subheadline": subheadline, "cta": s.cta},
            "sections": [{"title": h, "text": t} for h, t in sections],
            "points": points,
            "steps": list(b.steps),
            "cta": s.cta,
        },
        metadata={"facts_used": [f for f in brand_facts(s, b) if f in text]},
    )


# --- case study --------------------------------------------------------------------------

# Words that mark a sentence as an outcome, or as what was done, in a case study's brief.
_RESULT = re.compile(
    r"\b(?:cut|cuts|reduced|increased|raised|grew|saved|now|since|result|results|from \S+ "
    r"(?:\w+ )?to|doubled|halved|fell|rose|dropped|faster|fewer|more than)\b",
    re.I,
)
_CHALLENGE = re.compile(
    r"\b(?:before|used to|struggled|struggling|problem|problems|manual|manually|by hand|late|"
    r"slow|took|spent|challenge|difficult|hard to|could not|couldn't|backlog|errors?)\b",
    re.I,
)


def _case_study(s: Setup, b: Brief) -> Deliverable:
    client = b.client
    title = f"Case Study: {client}" if client else f"Case Study: {b.title}"
    challenge: list[str] = []
    solution: list[str] = []
    outcomes: list[str] = []
    for sentence in _keep(s, b.copy):
        if _RESULT.search(sentence):
            outcomes.append(sentence)
        elif _CHALLENGE.search(sentence):
            challenge.append(sentence)
        else:
            solution.append(sentence)
    facts = brand_facts(s, b, 1 if _short(s) else 2)
    results_source = "brief" if outcomes else "verified_facts" if facts else "qualitative"
    who = client or "the client"
    glance = [
        f"- **Client:** {client}" if client else "- **Client:** not named in the brief",
        f"- **Subject:** {capitalise(b.topic)}",
        f"- **Delivered by:** {s.brand.name}",
    ]
    glance += [f"- **Key point:** {p}" for p in _keep(s, b.points)]
    blocks = [f"# {title}", "\n".join(glance)]
    blocks += [
        "## The challenge",
        " ".join(challenge)
        or note(
            f"describe what {who} faced before working with {s.brand.name}; the brief does not "
            "say yet."
        ),
    ]
    blocks += [
        "## The solution",
        " ".join([*solution, *extras(s)])
        or note(f"describe what {s.brand.name} did; the brief does not say yet."),
    ]
    blocks.append("## The results")
    if outcomes or facts:
        blocks.append(_bullets([*outcomes, *facts]))
    else:
        blocks.append(
            "No results are quoted here: the brief gives none, and only figures the client "
            "has confirmed are published."
        )
    site = "" if _short(s) else website_line(s)
    blocks += ["## Next steps", " ".join(x for x in (s.cta, site) if x)]
    text = _render(blocks)
    return Deliverable(
        key="case_study",
        kind="markdown",
        title=title,
        text=text,
        data={
            "title": title,
            "client": client,
            "challenge": " ".join(challenge),
            "solution": " ".join(solution),
            "results": outcomes + facts,
            "cta": s.cta,
        },
        metadata={"results_source": results_source, "facts_used": facts},
    )
