"""Edits that never break a sentence: whole sentences, list items and title clauses go, or stay.

A phrase cut out of the middle of a sentence leaves "Why Northwind Is the and Cures Fatigue";
these edits drop the sentence (or the title's clause) that carries it instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache

from .claims import has_claim
from .instructions import Instruction

Hit = Callable[[str], bool]

_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"“(\[#*_])")
_ITEM = re.compile(r"^(?P<lead>\s*(?:[-*+>]|\d+[.)])\s+)(?P<body>.*)$")
_HEADING = re.compile(r"^(?P<marks>#{1,6})\s+(?P<body>.*)$")
# Title clauses: "A: B", "A, B", "A and B", "A - B".
_TITLE_PARTS = re.compile(r"(\s*[:,;|]\s*|\s+[-–—]\s+|\s+(?:and|or|but|&)\s+)", re.I)
_BLANKS = re.compile(r"\n{3,}")


@lru_cache(maxsize=512)
def phrase_pattern(phrase: str) -> re.Pattern[str]:
    """`phrase` as a whole word or words, any case."""
    return re.compile(rf"(?<!\w){re.escape(phrase.strip())}(?!\w)", re.I)


def phrase_hit(phrases: Sequence[str]) -> Hit:
    patterns = [phrase_pattern(p) for p in phrases if p.strip()]
    return lambda text: any(p.search(text) for p in patterns)


def clean_title(title: str, hit: Hit, fallback: str = "") -> str:
    """The title without the clauses `hit` finds; `fallback` when no whole clause is left."""
    if not hit(title):
        return title
    pieces = _TITLE_PARTS.split(title)
    clauses, separators = pieces[0::2], [""] + pieces[1::2]
    kept = [(sep, c) for sep, c in zip(separators, clauses, strict=True) if c and not hit(c)]
    if not kept or len(" ".join(c for _, c in kept).split()) < 2:
        return fallback
    text = kept[0][1] + "".join(sep + clause for sep, clause in kept[1:])
    return text[:1].upper() + text[1:]


def remove_matching(text: str, hit: Hit) -> str:
    """`text` (plain or markdown) without the sentences, items and heading clauses `hit` finds.

    A section left with no content loses its heading; the text is otherwise untouched.
    """
    if not hit(text):
        return text
    out: list[str] = []
    for line in text.split("\n"):
        if not hit(line):
            out.append(line)
        elif heading := _HEADING.match(line):
            kept = clean_title(heading.group("body"), hit)
            if kept:
                out.append(f"{heading.group('marks')} {kept}")
        elif line.lstrip().startswith("|"):
            continue  # a table row goes whole
        else:
            item = _ITEM.match(line)
            lead, body = (item.group("lead"), item.group("body")) if item else ("", line)
            indent = "" if item else body[: len(body) - len(body.lstrip())]
            sentences = [s for s in _SENTENCE.split(body.strip()) if not hit(s)]
            if sentences:
                out.append(lead + indent + " ".join(sentences))
    tail = "\n" if text.endswith("\n") else ""
    return _drop_empty_sections(out).strip("\n") + tail


def _drop_empty_sections(lines: list[str]) -> str:
    kept: list[str] = []
    for index, line in enumerate(lines):
        heading = _HEADING.match(line)
        if heading and len(heading.group("marks")) > 1:
            rest = lines[index + 1 :]
            body: list[str] = []
            for after in rest:
                following = _HEADING.match(after)
                if following and len(following.group("marks")) <= len(heading.group("marks")):
                    break
                body.append(after)
            if not any(b.strip() for b in body):
                continue
        kept.append(line)
    return _BLANKS.sub("\n\n", "\n".join(kept))


def replace_phrase(text: str, old: str, new: str) -> str:
    """Every `old` becomes `new`, capitalised where `old` began a sentence."""

    def swap(match: re.Match[str]) -> str:
        found = match.group(0)
        return new[:1].upper() + new[1:] if found[:1].isupper() else new

    return phrase_pattern(old).sub(swap, text)


def contains(text: str, phrase: str) -> bool:
    """Whether `phrase` is in `text`, ignoring case, spacing and closing punctuation."""
    return _bare(phrase) in _bare(text) if _bare(phrase) else False


def _bare(text: str) -> str:
    return " ".join(re.sub(r"[^\w#%$€£&]+", " ", text.lower()).split())


def hit_for(instruction: Instruction, facts: Sequence[str] = ()) -> Hit | None:
    """What a removal instruction removes, or None for other kinds."""
    if instruction.kind == "remove":
        return phrase_hit([instruction.target])
    if instruction.kind == "remove_claims":
        kind, backed = instruction.target, tuple(facts)
        return lambda text: has_claim(text, kind, backed)
    return None


def apply_instructions(
    text: str, instructions: Sequence[Instruction], facts: Sequence[str] = ()
) -> tuple[str, list[str]]:
    """Apply removals, replacements, facts and calls to action; what was done, in words.

    Tone, length and notes change how a writer drafts, so they are the writer's to apply.
    """
    done: list[str] = []
    for instruction in instructions:
        before = text
        if (hit := hit_for(instruction, facts)) is not None:
            text = remove_matching(text, hit)
        elif instruction.kind == "replace":
            text = replace_phrase(text, instruction.target, instruction.value)
        elif instruction.kind in ("fact", "cta") and not contains(text, instruction.value):
            text = add_sentence(text, instruction.value, at_end=instruction.kind == "cta")
        if text != before:
            done.append(instruction.label)
    return text, done


def add_sentence(text: str, sentence: str, *, at_end: bool) -> str:
    """`sentence` after the first paragraph of prose, or at the end."""
    sentence = sentence.strip()
    if sentence and sentence[-1] not in ".!?":
        sentence += "."
    sentence = sentence[:1].upper() + sentence[1:]
    trailing = "\n" if text.endswith("\n") else ""
    body = text.rstrip("\n")
    if at_end or "\n" not in body:
        joiner = "\n\n" if "\n" in body else " "
        return f"{body}{joiner}{sentence}{trailing}" if body else sentence
    lines = body.split("\n")
    for index, line in enumerate(lines):
        if line.strip() and not _HEADING.match(line) and not _ITEM.match(line):
            lines[index] = f"{line.rstrip()} {sentence}"
            return "\n".join(lines) + trailing
    return f"{body}\n\n{sentence}{trailing}"
