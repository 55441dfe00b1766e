"""Refuses input the database cannot store or the code cannot walk, before anything is written.

PostgreSQL stores neither NUL characters (in text or JSON) nor unpaired UTF-16 surrogates
("\\ud800" decodes from JSON but cannot be encoded as UTF-8), and JSON nested deeper than a
few dozen levels is never a real brief: walking it recursively would exhaust the stack. The
API's parser and serializers and the dashboard's forms all use these checks, so every entry
point gives the same 4xx with the field named instead of a database error.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError

# Input data are flat or a level or two deep; the planner's seed JSON a few more.
MAX_JSON_DEPTH = 32
# Revisions, page numbers and the like: PostgreSQL's integer column tops out here.
MAX_INT = 2**31 - 1

NUL_MESSAGE = "Null characters are not allowed."
SURROGATE_MESSAGE = "Unpaired surrogate characters are not allowed."
DEPTH_MESSAGE = f"Nested too deeply: at most {MAX_JSON_DEPTH} levels are allowed."
NUMBER_MESSAGE = "Must be a finite number."


def text_problem(value: str) -> str | None:
    """Why this text cannot be stored, or None when it can."""
    if "\x00" in value:
        return NUL_MESSAGE
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return SURROGATE_MESSAGE
    return None


def json_problem(value: Any, max_depth: int = MAX_JSON_DEPTH) -> tuple[str, str] | None:
    """The first (dotted path, message) in a parsed JSON value that cannot be stored, or None.

    Iterative on purpose: the values checked here may be nested deeper than the stack allows.
    """
    stack: list[tuple[Any, tuple[str, ...], int]] = [(value, (), 0)]
    while stack:
        item, path, depth = stack.pop()
        if isinstance(item, str):
            problem = text_problem(item)
            if problem:
                return ".".join(path), problem
        elif isinstance(item, float):
            if not math.isfinite(item):
                return ".".join(path), NUMBER_MESSAGE
        elif isinstance(item, Mapping | list | tuple):
            if depth >= max_depth:
                # The field and where the nesting starts; the full path would be as deep.
                return ".".join(path[:3]), DEPTH_MESSAGE
            pairs = item.items() if isinstance(item, Mapping) else enumerate(item)
            children = []
            for key, child in pairs:
                if isinstance(key, str) and (problem := text_problem(key)):
                    # The key is named with "?" for what cannot be shown, so the error itself can.
                    shown = key.replace("\x00", "?").encode("utf-8", "replace").decode()
                    return ".".join((*path, shown)), problem
                children.append((child, (*path, str(key)), depth + 1))
            stack.extend(reversed(children))
    return None


def reject_unstorable(value: Any) -> None:
    """A validator for form and serializer fields (DRF accepts Django's ValidationError)."""
    problem = text_problem(value) if isinstance(value, str) else json_problem(value)
    if isinstance(problem, tuple):
        path, message = problem
        raise ValidationError(f"{path}: {message}" if path else message, code="unstorable")
    if problem:
        raise ValidationError(problem, code="unstorable")


def posted_text_errors(data: Any, names: Iterable[str] | None = None) -> dict[str, list[str]]:
    """Errors per posted field (a QueryDict) whose values cannot be stored."""
    errors: dict[str, list[str]] = {}
    for name in names if names is not None else data:
        for value in data.getlist(name):
            problem = text_problem(value) if isinstance(value, str) else None
            if problem:
                errors[name] = [problem]
                break
    return errors


def storable_text(value: str) -> str:
    """Text with what cannot be stored or compared removed: for search terms, not for content."""
    return value.replace("\x00", "").encode("utf-8", "ignore").decode("utf-8")


def positive_int(raw: Any, maximum: int = MAX_INT) -> int | None:
    """A whole number from 1 to `maximum` written in ASCII digits, else None.

    str.isdigit() accepts "²" and other digits int() refuses; this never raises.
    """
    text = str(raw if raw is not None else "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(maximum)):
        return None
    number = int(text)
    return number if 1 <= number <= maximum else None


def loads_bounded(text: str) -> Any:
    """json.loads that reports nesting too deep for the decoder as a ValueError."""
    try:
        return json.loads(text)
    except RecursionError:
        raise ValueError(DEPTH_MESSAGE) from None
