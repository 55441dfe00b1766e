"""Text QC: what makes a written deliverable unusable however safe its claims are.

Empty or cut-off copy, leftover placeholders, markup or script copied from the inputs,
repeated sentences or paragraphs, the wrong language, a call to action or brief detail
that never made it in, a length far from the target, broken markdown or links, and stage
directions read out in narration.
"""

from __future__ import annotations

import re
from collections import Counter

from approvals.qc.brief import Brief
from approvals.qc.findings import Finding, advisory, blocking
from approvals.safety.flags import quote_excerpt
from approvals.safety.languages import COVERED, NAMES, detect_language, language_counts
from approvals.safety.rules.placeholders import find_placeholders
from approvals.safety.text import Doc, normalise, word_set

# A line or sentence may end with these without being cut off.
_TERMINAL = set(".!?…\"'”’»)]*_:;`>|")
_DANGLING = word_set(
    """the a an and or but to of with for from in on at by as our your their this that
    el la los las y o de del con para por en un una nuestro
    le les et ou des du pour avec sur une notre votre
    der die das und oder mit für von zu ein eine auf unser ihr"""
)
_LIST_OR_HEADING = re.compile(r"^\s*(?:#{1,6}\s|[-*+]\s|\d+[.)]\s|\||>|!\[|\[)")
# Markup that runs code or pulls content in: never acceptable, in HTML deliverables either.
_SCRIPTED_MARKUP = re.compile(
    r"<\s*/?\s*(?:script|iframe|object|embed|frame|frameset|base)\b[^>]*>?"
    r"|<[^<>]*\bon[a-z]{3,}\s*=[^>]*>?"
    r"|\bjavascript\s*:|\bvbscript\s*:|\bdata:text/html",
    re.IGNORECASE,
)
# In prose (text and markdown) any of these tags was copied from an input.
_DANGEROUS_MARKUP = re.compile(
    r"<\s*/?\s*(?:script|style|iframe|object|embed|img|svg|form|input|link|meta|base|video"
    r"|audio|frame|frameset)\b[^>]*>?"
    r"|<[^<>]*\bon[a-z]{3,}\s*=[^>]*>?"
    r"|\bjavascript\s*:|\bvbscript\s*:|\bdata:text/html",
    re.IGNORECASE,
)
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]?")
_FENCE = re.compile(r"^\s*(```|~~~)", re.MULTILINE)
_LINK = re.compile(r"(!?)\[([^\[\]\n]*)\]\(([^()\n]*)\)")
_OPEN_LINK = re.compile(r"\[[^\[\]\n]+\]\((?![^()\n]*\))[^\n]*$", re.MULTILINE)
_EMPTY_HEADING = re.compile(r"^#{1,6}[ \t]*$", re.MULTILINE)
_URL = re.compile(r"https?://[^\s)<>\]\"']*", re.IGNORECASE)
_GOOD_HOST = re.compile(
    r"^https?://[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9-]+)+(?::\d+)?(?:[/?#]|$)", re.I
)
_TARGET = re.compile(r"^(?:https?://|mailto:[^@\s]+@[^@\s]+$|tel:\+?[\d\s-]+$|#[\w-]+$|/[^\s]*$)")
_BOLD = re.compile(r"\*\*")
_STAGE = re.compile(
    r"(?:^|(?<=[.!?]\s)|(?<=\n))\s*(?:on[- ]screen(?:\s+text)?|music|sfx|sound(?:\s+effects?)?"
    r"|visuals?|cut\s+to|fade\s+(?:in|out|to\s+black)|scene\s+\d+|v\.?o\.?|voice[- ]?over"
    r"|narrator|caption|title\s+card|b-roll|graphics?|lower\s+third|super|end\s+card"
    r"|transition|camera|shot)\s*:"
    r"|\[\s*(?:pause|beat|music|sfx|sound|cut|transition|b-roll|visual|logo|applause|laughs?)"
    r"[^\]\n]{0,30}\]"
    r"|\(\s*(?:pause|beat|music|sfx|laughs?|sighs?|applause|cut to|on screen)[^)\n]{0,30}\)"
    r"|\b(?:show|display|zoom in on|pan to|cut to|fade to)\s+(?:the\s+)?(?:logo|product shot"
    r"|end card|title card|website|url|screen|black)\b",
    re.IGNORECASE,
)
MIN_REPEAT_WORDS = 5
MIN_PARAGRAPH_WORDS = 12


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+(?:['’][^\W_]+)?", text.lower())


def check_empty(text: str) -> list[Finding]:
    if len(_words(text)) < 3:
        return [blocking("empty", "The deliverable has no real copy in it.")]
    return []


def check_truncated(text: str) -> list[Finding]:
    stripped = text.rstrip()
    if not stripped:
        return []
    end = len(stripped)
    if len(_FENCE.findall(stripped)) % 2:
        return [blocking("truncated", "A code block is opened and never closed: the text is cut.")]
    last_line = stripped.rsplit("\n", 1)[-1].strip()
    words = _words(last_line)
    if not words:
        return []
    start = end - len(last_line)
    if words[-1] in _DANGLING and len(words) > 3 and stripped[-1] not in _TERMINAL:
        return [
            blocking(
                "truncated",
                f'The text stops mid-sentence after "{quote_excerpt(last_line[-40:])}".',
                start,
                end,
            )
        ]
    if _LIST_OR_HEADING.match(last_line) or len(words) < 8:
        return []
    if stripped[-1] in _TERMINAL or not stripped[-1].isalnum() and stripped[-1] not in ",-–—":
        return []
    return [
        blocking(
            "truncated",
            f'The last sentence is not finished: "{quote_excerpt(last_line[-60:])}".',
            start,
            end,
        )
    ]


def check_placeholders(text: str) -> list[Finding]:
    return [
        blocking(
            "placeholder",
            f'Leftover placeholder "{quote_excerpt(flag.excerpt)}" where real copy belongs.',
            flag.start,
            flag.end,
        )
        for flag in find_placeholders(Doc(text))
    ]


def check_markup(text: str, *, html: bool = False) -> list[Finding]:
    pattern = _SCRIPTED_MARKUP if html else _DANGEROUS_MARKUP
    return [
        blocking(
            "markup",
            f'Markup or script "{quote_excerpt(m.group(0))}" was copied into the copy; '
            "it must not be published.",
            m.start(),
            m.end(),
        )
        for m in pattern.finditer(text)
    ]


def check_repetition(text: str) -> list[Finding]:
    findings: list[Finding] = []
    paragraphs = Counter(
        normalise(p) for p in re.split(r"\n\s*\n", text) if len(_words(p)) >= MIN_PARAGRAPH_WORDS
    )
    repeated_paragraphs = [p for p, n in paragraphs.items() if n > 1]
    if repeated_paragraphs:
        findings.append(
            blocking(
                "repetition",
                f"A paragraph appears {paragraphs[repeated_paragraphs[0]]} times: "
                f'"{quote_excerpt(repeated_paragraphs[0])}".',
            )
        )
        return findings
    sentences = Counter(
        normalise(s) for s in _SENTENCE.findall(text) if len(_words(s)) >= MIN_REPEAT_WORDS
    )
    repeated = [(s, n) for s, n in sentences.items() if n > 1]
    if repeated:
        sentence, times = max(repeated, key=lambda item: item[1])
        message = f'"{quote_excerpt(sentence)}" appears {times} times.'
        if times >= 3 or len(repeated) >= 2:
            findings.append(blocking("repetition", "Sentences repeat: " + message))
        else:
            findings.append(advisory("repetition", "A sentence repeats: " + message))
        return findings
    words = _words(text)
    if len(words) >= 60:
        grams = Counter(zip(words, words[1:], words[2:], words[3:], strict=False))
        repeated_share = sum(n for n in grams.values() if n > 2) / max(1, len(words) - 3)
        if repeated_share > 0.3:
            findings.append(
                blocking(
                    "repetition",
                    f"{repeated_share:.0%} of the text is the same phrases over and over (filler).",
                )
            )
    return findings


def check_language(text: str, brief: Brief) -> list[Finding]:
    wanted = brief.language
    if wanted not in COVERED or len(_words(text)) < 12:
        return []
    found = detect_language(text)
    if not found.covered and found.code not in ("und",):
        what = NAMES.get(found.code, found.code)
        return [blocking("language", f"The brief asks for {NAMES[wanted]}; the text is {what}.")]
    counts = language_counts(text)
    if (
        found.code in COVERED
        and found.code != wanted
        and counts[found.code] >= max(3, 2 * counts[wanted])
    ):
        return [
            blocking(
                "language",
                f"The brief asks for {NAMES[wanted]}; the text is in {NAMES[found.code]}.",
            )
        ]
    return []


def _content_words(text: str) -> list[str]:
    return [w for w in _words(text) if len(w) > 2 or w.isdigit()]


def check_call_to_action(text: str, brief: Brief) -> list[Finding]:
    cta = brief.call_to_action
    if not cta:
        return []
    if normalise(cta) in normalise(text):
        return []
    wanted = _content_words(cta)
    present = set(_words(text))
    if wanted and sum(w in present for w in wanted) / len(wanted) >= 0.75:
        return []
    return [
        blocking(
            "call_to_action",
            f'The brief asks for the call to action "{quote_excerpt(cta)}"; the text never makes it.',
        )
    ]


_TOKEN = re.compile(r"\d[\d.,]*%?|[^\W\d_][\w'’&-]*")
# Capitalised words that open a topic or a sentence without naming anything.
_COMMON_CAPS = word_set(
    """How Why What When Where Which Who The A An And Or For With Our Your Top Best Guide
    Tips New Free Spring Summer Autumn Fall Winter January February March April May June July
    August September October November December Monday Tuesday Wednesday Thursday Friday
    Saturday Sunday I Ein Eine Der Die Das Neue Neuer Neues Wie Warum Was Les Le La Un Une
    Des Comment Pourquoi Nouveau Nouvelle El Los Las Una Cómo Como Por Nuevo Nueva Qué"""
)


def _names(topic: str, language: str) -> list[str]:
    """Runs of capitalised words ("Greenway Nursery"), minus the words that open any phrase.

    German capitalises every noun, so there a name needs two words or a capital inside it;
    so does the topic's first word anywhere.
    """
    names: list[str] = []
    run: list[str] = []
    opening = True  # a lone capitalised first word is only the topic's opening
    for match in [*_TOKEN.finditer(topic), None]:
        word = match.group(0) if match else ""
        if word[:1].isupper():
            run.append(word)
            continue
        while run and run[0] in _COMMON_CAPS:
            run.pop(0)
        inner_capital = bool(run) and any(c.isupper() for c in run[0][1:])
        single = len(run) == 1 and not inner_capital
        if run and not (single and (opening or language == "de")):
            names.append(" ".join(run))
        run, opening = [], False
    return names


def brief_details(topic: str, language: str = "") -> list[str]:
    """The names and numbers of a topic the deliverable must carry."""
    numbers = [m.group(0).rstrip(".,") for m in _TOKEN.finditer(topic) if m.group(0)[0].isdigit()]
    return list(dict.fromkeys(d for d in [*numbers, *_names(topic, language)] if d))


def _mentions(text: str, detail: str) -> bool:
    pattern = r"(?<!\w)" + r"\s+".join(map(re.escape, detail.split())) + r"(?!\w)"
    return re.search(pattern, text, re.IGNORECASE) is not None


def check_brief_details(text: str, brief: Brief) -> list[Finding]:
    missing = [d for d in brief_details(brief.topic, brief.language) if not _mentions(text, d)]
    if not missing:
        return []
    return [
        blocking(
            "brief_details",
            f"The brief names {', '.join(repr(m) for m in missing)}; the text never mentions "
            f"{'it' if len(missing) == 1 else 'them'}.",
        )
    ]


def check_length(text: str, brief: Brief) -> list[Finding]:
    target = brief.target_words
    if not target:
        return []
    count = len(_words(text))
    ratio = count / target
    message = f"{count} words against a target of {target}."
    if ratio < 0.5 or ratio > 2.0:
        return [blocking("length", message)]
    if ratio < 0.7 or ratio > 1.5:
        return [advisory("length", message)]
    return []


def check_markdown(text: str) -> list[Finding]:
    findings = []
    for m in _LINK.finditer(text):
        label, target = m.group(2).strip(), m.group(3).strip()
        bad = not target or not _TARGET.match(target) or " " in target
        if target.lower().startswith("http") and not _GOOD_HOST.match(target):
            bad = True
        if bad or (not label and not m.group(1)):
            findings.append(
                blocking(
                    "broken_markdown",
                    f'Broken link "{quote_excerpt(m.group(0))}".',
                    m.start(),
                    m.end(),
                )
            )
    linked = {m.start(3) for m in _LINK.finditer(text)}
    for m in _URL.finditer(text):
        if m.start() not in linked and not _GOOD_HOST.match(m.group(0)):
            findings.append(
                blocking("broken_markdown", f'Broken address "{m.group(0)}".', m.start(), m.end())
            )
    for m in _OPEN_LINK.finditer(text):
        findings.append(
            blocking(
                "broken_markdown",
                f'Link never closed: "{quote_excerpt(m.group(0))}".',
                m.start(),
                m.end(),
            )
        )
    for m in _EMPTY_HEADING.finditer(text):
        findings.append(blocking("broken_markdown", "A heading has no text.", m.start(), m.end()))
    for paragraph in re.split(r"\n\s*\n", text):
        if len(_BOLD.findall(paragraph)) % 2:
            findings.append(
                blocking(
                    "broken_markdown",
                    f'Bold text is opened and never closed in "{quote_excerpt(paragraph)}".',
                )
            )
    return findings


def check_stage_directions(text: str) -> list[Finding]:
    return [
        blocking(
            "stage_directions",
            f'Narration would read "{quote_excerpt(m.group(0).strip())}" aloud: stage '
            "directions and labels belong in the plan, not the voice-over.",
            m.start(),
            m.end(),
        )
        for m in _STAGE.finditer(text)
    ]


_TAG = re.compile(r"<[^>]*>")
_READ_ATTRIBUTE = re.compile(r"""\b(?:content|alt|title)\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)


def visible_text(html: str) -> str:
    """What a reader of an HTML deliverable sees: the text between tags, and once each the
    attribute values people read (meta content, alt and title)."""
    values = [a or b for a, b in _READ_ATTRIBUTE.findall(html)]
    readable = [v.strip() for v in dict.fromkeys(values) if " " in v.strip()]
    return "\n\n".join([_TAG.sub(" ", html).strip(), *readable]).strip()


def check_text(
    text: str, brief: Brief, *, narration: bool = False, html: bool = False
) -> list[Finding]:
    """Every text check; narration (a script to be spoken) also gets the stage-direction check.

    An HTML deliverable is read for what its reader sees; only its scripting is markup to flag.
    """
    findings = check_markup(text, html=html)
    if html:
        text = visible_text(text)
    empty = check_empty(text)
    if empty:
        return findings + empty
    findings += [
        *check_truncated(text),
        *check_placeholders(text),
        *check_repetition(text),
        *check_language(text, brief),
        *check_call_to_action(text, brief),
        *check_brief_details(text, brief),
        *check_length(text, brief),
    ]
    if narration:
        findings += check_stage_directions(text)
    elif not html:
        findings += check_markdown(text)
    return findings
