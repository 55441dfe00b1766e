"""Whether a revision's text does what an instruction asked, with the evidence in words."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .claims import claims_in
from .edits import contains, phrase_pattern
from .instructions import CLAIM_NAMES, Instruction

# addressed: the text shows it; missed: the text shows it was not; unchecked: a person must
# judge (free-text notes, or a length change with no earlier revision to compare with).
STATUSES = ("addressed", "missed", "unchecked")


@dataclass(frozen=True)
class Check:
    status: str
    evidence: str

    @property
    def addressed(self) -> bool:
        return self.status == "addressed"


def _excerpt(text: str, start: int, end: int, room: int = 40) -> str:
    left, right = max(0, start - room), min(len(text), end + room)
    words = " ".join(text[left:right].split())
    return ("…" if left else "") + words + ("…" if right < len(text) else "")


def word_total(texts: Sequence[str]) -> int:
    return sum(len(t.split()) for t in texts)


def check_instruction(
    instruction: Instruction,
    texts: Sequence[str],
    *,
    previous: Sequence[str] = (),
    tones: Sequence[str] = (),
    facts: Sequence[str] = (),
) -> Check:
    """Check one instruction against every text output of the new revision.

    `previous` are the same outputs' texts in the revision the feedback was given on, `tones`
    the tones the built-in writer recorded, `facts` the client's verified facts.
    """
    kind = instruction.kind
    if kind == "remove":
        for text in texts:
            if match := phrase_pattern(instruction.target).search(text):
                where = _excerpt(text, match.start(), match.end())
                return Check("missed", f"“{instruction.target}” is still there: “{where}”")
        return Check("addressed", f"The phrase “{instruction.target}” is gone.")
    if kind == "remove_claims":
        name = CLAIM_NAMES.get(instruction.target, "claim")
        left = [c for text in texts for c in claims_in(text, instruction.target, facts)]
        if left:
            quoted = ", ".join(f"“{c}”" for c in dict.fromkeys(left))
            return Check("missed", f"Still there: {quoted}.")
        return Check("addressed", f"No {name} is left.")
    if kind == "replace":
        old = any(phrase_pattern(instruction.target).search(t) for t in texts)
        new = any(contains(t, instruction.value) for t in texts)
        if old:
            return Check("missed", f"“{instruction.target}” is still there.")
        if not new:
            was = any(phrase_pattern(instruction.target).search(t) for t in previous)
            gone = "is gone" if was or not previous else "was not there to replace"
            return Check(
                "missed", f"“{instruction.target}” {gone} and “{instruction.value}” is not there."
            )
        return Check(
            "addressed", f"“{instruction.target}” is gone and “{instruction.value}” is there."
        )
    if kind in ("shorter", "longer"):
        if not previous:
            return Check("unchecked", "No earlier revision to compare the length with.")
        before, after = word_total(previous), word_total(texts)
        shorter = kind == "shorter"
        ok = after < before if shorter else after > before
        trend = f"{before} words before, {after} now"
        return Check("addressed" if ok else "missed", f"{trend}.")
    if kind == "tone":
        if not tones:
            return Check("unchecked", "The tone is for you to judge: read the revision.")
        if all(t == instruction.target for t in tones):
            return Check("addressed", f"Written in the {instruction.target} tone.")
        return Check("missed", f"Written in the {', '.join(sorted(set(tones)))} tone.")
    if kind in ("cta", "fact"):
        what = "The new call to action" if kind == "cta" else "The fact"
        lacking = [t for t in texts if not contains(t, instruction.value)]
        # A call to action belongs in every piece; a fact needs saying once.
        if (lacking and kind == "cta") or len(lacking) == len(texts):
            return Check("missed", f"{what} is not there: “{instruction.value}”.")
        return Check("addressed", f"{what} is there: “{instruction.value}”.")
    return Check("unchecked", "A note for the writer: read the revision to judge it.")
