"""Rules for a job's title and description, shared by the model, the dashboard form and the API.

A title is shown in lists, breadcrumbs, admin and file names, so it must read the same way
everywhere: characters that reorder or hide text (bidi overrides, zero-width marks, control
characters) are refused, not silently dropped, so the person sees why.
"""

from __future__ import annotations

import unicodedata

TITLE_MAX = 200
DESCRIPTION_MAX = 5000

# Bidi embeddings, overrides and isolates, and the marks that make text render out of order.
_BIDI = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C)}
# Zero-width characters that make two titles look the same while differing.
_INVISIBLE = {"\u200b", "\u2060", "\ufeff", "\u00ad"}
# Joiners that Persian, Indic scripts and emoji sequences need: format characters, but words.
_JOINERS = {"\u200c", "\u200d"}


def _hidden_character(text: str, *, allow_newlines: bool) -> str | None:
    for char in text:
        if char in _JOINERS or (allow_newlines and char in "\n\r\t"):
            continue
        if char in _BIDI or char in _INVISIBLE or unicodedata.category(char) in ("Cc", "Cf"):
            return char
    return None


def _describe(char: str) -> str:
    name = unicodedata.name(char, "control character")
    return f"U+{ord(char):04X} {name.title()}"


def title_problems(title: str) -> list[str]:
    """Why a title cannot be used (empty list when it can)."""
    text = (title or "").strip()
    if not text:
        return ["A title is required."]
    problems = []
    if len(text) > TITLE_MAX:
        problems.append(f"The title must be at most {TITLE_MAX} characters (it has {len(text)}).")
    hidden = _hidden_character(text, allow_newlines=False)
    if hidden:
        problems.append(
            f"The title contains an invisible or direction-changing character ({_describe(hidden)}); "
            "remove it so the title reads the same everywhere."
        )
    return problems


def description_problems(description: str) -> list[str]:
    """Why a description cannot be used (empty list when it can)."""
    text = description or ""
    problems = []
    if len(text) > DESCRIPTION_MAX:
        problems.append(
            f"The description must be at most {DESCRIPTION_MAX:,} characters (it has {len(text):,})."
        )
    hidden = _hidden_character(text, allow_newlines=True)
    if hidden and hidden in _BIDI:
        problems.append(
            f"The description contains a direction-changing character ({_describe(hidden)}); remove it."
        )
    return problems
