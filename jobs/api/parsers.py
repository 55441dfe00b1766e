"""The API's JSON parser: bodies the database cannot store are refused at the door, by path.

A NUL or an unpaired surrogate anywhere in a body, or nesting deeper than MAX_JSON_DEPTH, is
a 400 naming the field, whatever the endpoint, before any view, idempotency record or
service sees it. Nesting too deep for Python's decoder (about a thousand levels) is reported
on the top-level member that holds it.
"""

from __future__ import annotations

import io
import json
import re
from typing import Any

from django.conf import settings
from rest_framework import parsers
from rest_framework.exceptions import ValidationError

from production.input_safety import DEPTH_MESSAGE, json_problem

_SPACE = re.compile(r"\s*")


class JSONParser(parsers.JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        raw = stream.read()
        try:
            data = super().parse(io.BytesIO(raw), media_type, parser_context)
        except RecursionError:
            encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
            member = too_deep_member(raw.decode(encoding, errors="replace"))
            raise ValidationError({member or "non_field_errors": [DEPTH_MESSAGE]}) from None
        problem = json_problem(data)
        if problem is not None:
            path, message = problem
            raise ValidationError({path or "non_field_errors": [message]})
        return data


def too_deep_member(text: str) -> str | None:
    """The name of the top-level member whose value the decoder cannot descend, if any.

    Each member is decoded on its own with the standard decoder; only the object's own
    separators are stepped over here.
    """
    decoder = json.JSONDecoder()
    at = _SPACE.match(text, 0).end()  # type: ignore[union-attr]
    if not text.startswith("{", at):
        return None
    at = _SPACE.match(text, at + 1).end()  # type: ignore[union-attr]
    while at < len(text):
        try:
            key, at = decoder.raw_decode(text, at)
            at = _SPACE.match(text, at).end()  # type: ignore[union-attr]
            if not text.startswith(":", at):
                return None
            at = _SPACE.match(text, at + 1).end()  # type: ignore[union-attr]
            try:
                value, at = decoder.raw_decode(text, at)
            except RecursionError:
                return str(key)
            # Decoded on its own (the caller's stack was the deeper one): name where the
            # nesting goes too deep.
            problem = json_problem({key: value})
            if problem is not None and problem[1] == DEPTH_MESSAGE:
                return problem[0]
        except ValueError:
            return None
        at = _SPACE.match(text, at).end()  # type: ignore[union-attr]
        if not text.startswith(",", at):
            return None
        at = _SPACE.match(text, at + 1).end()  # type: ignore[union-attr]
    return None
