"""A reviewer's feedback text turned into a list of instructions a writer can act on."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

# remove: a phrase or a named thing (target); remove_claims: every claim of a kind (target is
# health, financial or unbacked); replace: target -> value; shorter, longer; tone: target is
# the tone; cta: value is the new call to action; fact: value is the sentence to use;
# note: anything else, for a person to judge.
KINDS = ("remove", "remove_claims", "replace", "shorter", "longer", "tone", "cta", "fact", "note")


@dataclass(frozen=True)
class Instruction:
    kind: str
    source: str
    target: str = ""
    value: str = ""

    @property
    def label(self) -> str:
        """The instruction in a few words, as the checklist shows it."""
        return {
            "remove": f"Remove “{self.target}”",
            "remove_claims": f"Remove every {CLAIM_NAMES.get(self.target, self.target)}",
            "replace": f"Replace “{self.target}” with “{self.value}”",
            "shorter": "Make it shorter",
            "longer": "Make it longer",
            "tone": f"Change the tone to {self.target}",
            "cta": f"Call to action: “{self.value}”",
            "fact": f"Use the fact: “{self.value}”",
        }.get(self.kind, f"Note: “{self.source}”")

    def as_dict(self) -> dict[str, str]:
        return {**asdict(self), "label": self.label}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Instruction:
        return cls(
            kind=str(data.get("kind", "note")),
            source=str(data.get("source", "")),
            target=str(data.get("target", "")),
            value=str(data.get("value", "")),
        )


CLAIM_NAMES = {
    "health": "health claim",
    "financial": "financial promise",
    "unbacked": "unbacked claim (superlatives, rankings, statistics)",
}

_VERB = (
    r"(?:please\s+)?(?:make|mention|remove|add|include|drop|delete|use|cite|be|focus|cut|keep|"
    r"avoid|don't|do not|change|replace|swap|write|end|close|finish|get rid|leave|take|lose|"
    r"shorten|lengthen|expand|trim)\b"
)
# Clauses: sentences, and "and"/"then"/", " only where a new instruction verb follows.
_CLAUSES = re.compile(
    rf"[.;!?\n]+(?=\s|$)|,?\s+(?:and|but|also|then)\s+(?={_VERB})|,\s+(?={_VERB})", re.I
)
_QUOTE = "\"“”'‘’"
_QUOTED = re.compile(r"[\"“‘](?P<q>[^\"”’]{1,120})[\"”’]|(?<!\w)'(?P<s>[^']{1,120})'(?!\w)")

_CTA = re.compile(r"\b(?:call[- ]to[- ]action|cta)\b", re.I)
_CTA_VALUE = re.compile(
    r"\b(?:call[- ]to[- ]action|cta)\b\s*(?:to\s+(?:say|read)\s*|to\b|:|should\s+(?:say|be)|"
    r"saying|that says|reading|with)\s*(?P<v>.+)$",
    re.I,
)
_END_WITH = re.compile(
    r"\b(?:end|close|finish)\s+(?:it\s+|the\s+\w+\s+)?(?:with|on)\s+(?P<v>.+)$", re.I
)
_REPLACE = (
    re.compile(r"\b(?:replace|swap)\s+(?P<a>.+?)\s+(?:with|for|by)\s+(?P<b>.+)$", re.I),
    re.compile(r"\bchange\s+(?P<a>.+?)\s+(?:to|into)\s+(?P<b>.+)$", re.I),
    re.compile(r"\b(?:say|use|write)\s+(?P<b>.+?)\s+instead\s+of\s+(?P<a>.+)$", re.I),
)
_REMOVE = re.compile(
    r"\b(?:remove|drop|delete|cut out|cut|leave out|get rid of|take out|lose|strip out|"
    r"don't mention|do not mention|stop mentioning|don't (?:use|say)|do not (?:use|say)|"
    r"never (?:use|say)|no more|avoid (?:mentioning|using|saying)|avoid)\s+(?P<rest>.+)$",
    re.I,
)
_CLAIMS = re.compile(
    r"^(?:every|all|any|the|each|those|these)?\s*(?:of\s+the\s+)?"
    r"(?P<kind>health|medical|wellness|financial|money|income|investment|unbacked|"
    r"unsubstantiated|unsupported|superlative|ranking)\s*"
    r"(?:claims?|promises?|statements?|superlatives?)?$",
    re.I,
)
_CLAIM_KINDS = {
    "health": "health",
    "medical": "health",
    "wellness": "health",
    "financial": "financial",
    "money": "financial",
    "income": "financial",
    "investment": "financial",
}
# "the Starbucks jab" names a thing by what it is about: remove what mentions Starbucks.
_ABOUT = re.compile(
    r"\s+(?:jab|jabs|dig|digs|swipe|swipes|comparison|comparisons|reference|references|mention|"
    r"mentions|line|lines|sentence|sentences|bit|part|joke|jokes|claim|claims|comment|comments|"
    r"stuff|remark|remarks)$",
    re.I,
)
# "the bit about parking" names a thing by what it is about too.
_ABOUT_LEAD = re.compile(
    r"^(?:bit|part|line|sentence|paragraph|section|stuff|mention|reference|claim)s?\s+"
    r"(?:about|on|mentioning|that mentions|with|to)\s+(?:the\s+|our\s+)?",
    re.I,
)
_LEAD = re.compile(
    r"^(?:the|any|all|every|our|that|this|those|these)\s+(?:(?:word|phrase|term)s?\s+)?", re.I
)
_TRAIL = re.compile(
    r"\s+(?:please|too|as well|entirely|completely|altogether|everywhere|from\s+(?:the\s+)?"
    r"(?:copy|text|post|posts|page|email|title|headline|draft|piece))$",
    re.I,
)
_SHORTER = re.compile(
    r"\b(?:shorter|shorten|too long|more concise|concise|trim|condense|tighten|cut (?:it )?down|"
    r"less wordy|too wordy|fewer words|briefer|less text)\b",
    re.I,
)
_LONGER = re.compile(
    r"\b(?:longer|lengthen|too short|more detail|more depth|expand|elaborate|flesh (?:it )?out|"
    r"more words|go deeper)\b",
    re.I,
)
TONES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "playful",
        re.compile(
            r"\b(?:playful|fun|funnier|funny|light-?hearted|humou?r\w*|witty|cheeky)\b", re.I
        ),
    ),
    (
        "friendly",
        re.compile(
            r"\b(?:casual|friendl\w*|relaxed|warm(?:er)?|conversational|less formal|informal|chatty)\b",
            re.I,
        ),
    ),
    ("inspirational", re.compile(r"\b(?:inspir\w*|motivat\w*|uplifting|aspirational)\b", re.I)),
    ("authoritative", re.compile(r"\b(?:authoritative|expert|confident|assertive|firmer)\b", re.I)),
    (
        "professional",
        re.compile(r"\b(?:professional|formal|businesslike|serious|less casual)\b", re.I),
    ),
)
_FACT = re.compile(
    r"\b(?:use|include|mention|add|cite|state|quote)\s+(?:the\s+|our\s+|a\s+)?(?:verified\s+)?"
    r"fact\s*(?:that|:|about|on)?\s*(?P<f>.*)$",
    re.I,
)
_MENTION = re.compile(
    r"\b(?:mention|include|add|say|note|tell (?:them|readers|people))\s+(?:that\s+)?(?P<f>.+)$",
    re.I,
)
_WORD = re.compile(r"[a-z0-9]+")
_STOP = frozenset(
    [
        "the",
        "a",
        "an",
        "and",
        "or",
        "of",
        "to",
        "in",
        "on",
        "at",
        "for",
        "is",
        "are",
        "was",
        "we",
        "our",
        "you",
        "your",
        "it",
        "that",
        "this",
        "with",
    ]
)


def parse_feedback(feedback: Iterable[str], facts: Sequence[str] = ()) -> list[Instruction]:
    """Every instruction in the reviewer's words, in order, without repeats.

    `facts` are the client's verified facts: "use the fact about our cafes" becomes the fact
    itself, word for word.
    """
    found: list[Instruction] = []
    for text in feedback:
        for clause in _split(text or ""):
            for instruction in _parse_clause(clause, facts):
                if instruction not in found:
                    found.append(instruction)
    return found


def _split(text: str) -> list[str]:
    # Quoted phrases may hold "." or "and"; shield them from the clause split.
    shielded: list[str] = []

    def shield(match: re.Match[str]) -> str:
        shielded.append(match.group(0))
        return f"\x00{len(shielded) - 1}\x00"

    masked = _QUOTED.sub(shield, text)
    clauses = []
    for part in _CLAUSES.split(masked):
        part = re.sub(r"\x00(\d+)\x00", lambda m: shielded[int(m.group(1))], part or "")
        part = " ".join(part.split()).strip(" ,")
        if part:
            clauses.append(part)
    return clauses


def _unquote(text: str) -> str:
    match = _QUOTED.fullmatch(text.strip(" ,.:"))
    if match:
        return (match.group("q") or match.group("s") or "").strip()
    return text.strip(" ,.:" + _QUOTE)


def _phrase(raw: str) -> str:
    """A target as the text would contain it: quotes, 'the', 'jab' and 'please' dropped."""
    raw = raw.strip(" ,.:")
    if _QUOTED.fullmatch(raw):
        return _unquote(raw)
    phrase = raw
    for _ in range(3):
        phrase = _TRAIL.sub("", phrase).strip(" ,.:")
    phrase = _LEAD.sub("", phrase)
    phrase = _ABOUT.sub("", phrase)
    phrase = _ABOUT_LEAD.sub("", phrase)
    return _unquote(phrase)[:120].strip()


def _targets(rest: str) -> list[str]:
    """'X' and every health claim -> ["'X'", "every health claim"] (quotes kept whole)."""
    shielded: list[str] = []
    masked = _QUOTED.sub(
        lambda m: shielded.append(m.group(0)) or f"\x00{len(shielded) - 1}\x00", rest
    )
    parts = re.split(r",\s*(?:and\s+)?|\s+(?:and|&)\s+", masked)
    return [
        re.sub(r"\x00(\d+)\x00", lambda m: shielded[int(m.group(1))], p).strip()
        for p in parts
        if p.strip()
    ]


def _parse_clause(clause: str, facts: Sequence[str]) -> list[Instruction]:
    if _CTA.search(clause) or _END_WITH.search(clause):
        match = _CTA_VALUE.search(clause) or _END_WITH.search(clause)
        value = _unquote(match.group("v")) if match else ""
        if value and not _CTA.fullmatch(value):
            return [Instruction("cta", clause, value=value)]
        return [Instruction("note", clause)]
    for pattern in _REPLACE:
        match = pattern.search(clause)
        if match and not any(t.search(match.group("b")) for _, t in TONES):
            old, new = _phrase(match.group("a")), _unquote(match.group("b"))
            if old and new and not _CTA.search(old):
                return [Instruction("replace", clause, target=old, value=new)]
    if match := _REMOVE.search(clause):
        removals = []
        for target in _targets(match.group("rest")):
            claims = _CLAIMS.match(_unquote(target))
            if claims and (claims.group("kind") or "").lower():
                kind = _CLAIM_KINDS.get(claims.group("kind").lower(), "unbacked")
                removals.append(Instruction("remove_claims", clause, target=kind))
            elif phrase := _phrase(target):
                removals.append(Instruction("remove", clause, target=phrase))
        if removals:
            return removals
    if match := _FACT.search(clause):
        fact = _closest_fact(match.group("f"), facts) or _unquote(match.group("f"))
        if fact:
            return [Instruction("fact", clause, value=fact)]
    if (match := _MENTION.search(clause)) and not _LONGER.search(clause):
        wanted = _unquote(match.group("f"))
        fact = _closest_fact(wanted, facts, strict=True)
        if fact or wanted:
            return [Instruction("fact", clause, value=fact or _phrase(wanted))]
    found: list[Instruction] = []
    if _SHORTER.search(clause):
        found.append(Instruction("shorter", clause))
    elif _LONGER.search(clause):
        found.append(Instruction("longer", clause))
    for tone, pattern in TONES:
        if pattern.search(clause):
            found.append(Instruction("tone", clause, target=tone))
            break
    return found or [Instruction("note", clause)]


def _words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _STOP}


def _closest_fact(wanted: str, facts: Sequence[str], strict: bool = False) -> str:
    """The verified fact sharing most words with `wanted` (all of them when `strict`)."""
    want = _words(wanted)
    if not want:
        return ""
    best, best_score = "", 0.0
    for fact in facts:
        shared = len(want & _words(fact))
        score = shared / len(want)
        if shared and score > best_score:
            best, best_score = fact, score
    if strict and best_score < 0.75:
        return ""
    return best
