"""The JSON a hosted model must reply with, per output type, and how it becomes the output's text.

Every output type has a shape: a JSON Schema the reply is validated against and a renderer that
writes the validated reply in the same layout the built-in writer uses.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from jsonschema import Draft202012Validator

_TEXT = {"type": "string", "minLength": 1}

ARTICLE = {
    "type": "object",
    "properties": {
        "title": _TEXT,
        "intro": {"type": "string"},
        "sections": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "properties": {"heading": _TEXT, "body": _TEXT},
                "required": ["heading", "body"],
                "additionalProperties": False,
            },
        },
        "call_to_action": {"type": "string"},
    },
    "required": ["title", "sections"],
    "additionalProperties": False,
}
EMAIL = {
    "type": "object",
    "properties": {
        "subject": {**_TEXT, "maxLength": 78},
        "preheader": {"type": "string", "maxLength": 140},
        "body": _TEXT,
        "button": {"type": "string", "maxLength": 40},
    },
    "required": ["subject", "body"],
    "additionalProperties": False,
}
POST = {
    "type": "object",
    "properties": {
        "text": _TEXT,
        "hashtags": {"type": "array", "items": {"type": "string", "pattern": r"^#?\w+$"}},
    },
    "required": ["text"],
    "additionalProperties": False,
}
PLAIN = {
    "type": "object",
    "properties": {"text": _TEXT},
    "required": ["text"],
    "additionalProperties": False,
}


def _article(reply: dict[str, Any]) -> str:
    parts = [f"# {reply['title'].strip()}"]
    if (reply.get("intro") or "").strip():
        parts.append(reply["intro"].strip())
    for section in reply["sections"]:
        parts.append(f"## {section['heading'].strip()}\n\n{section['body'].strip()}")
    if (reply.get("call_to_action") or "").strip():
        parts.append(reply["call_to_action"].strip())
    return "\n\n".join(parts) + "\n"


def _email(reply: dict[str, Any]) -> str:
    parts = [f"**Subject:** {reply['subject'].strip()}"]
    if (reply.get("preheader") or "").strip():
        parts.append(f"**Preheader:** {reply['preheader'].strip()}")
    parts += ["---", reply["body"].strip()]
    if (reply.get("button") or "").strip():
        parts.append(f"**Button:** {reply['button'].strip()}")
    return "\n\n".join(parts) + "\n"


def _post(reply: dict[str, Any]) -> str:
    tags = [t if t.startswith("#") else f"#{t}" for t in reply.get("hashtags") or []]
    text = reply["text"].strip()
    missing = [t for t in tags if t.lower() not in text.lower()]
    return f"{text}\n\n{' '.join(missing)}" if missing else text


def _plain(reply: dict[str, Any]) -> str:
    return reply["text"].strip()


@dataclass(frozen=True)
class Shape:
    name: str
    schema: dict[str, Any]
    render: Callable[[dict[str, Any]], str]

    def errors(self, reply: Any) -> list[str]:
        """What is wrong with `reply`, one line each (empty when it is valid)."""
        validator = Draft202012Validator(self.schema)
        found = sorted(validator.iter_errors(reply), key=lambda e: list(e.absolute_path))
        return [
            f"{'/'.join(str(p) for p in e.absolute_path) or '(top level)'}: {e.message}"
            for e in found
        ]


SHAPES = {
    "article": Shape("article", ARTICLE, _article),
    "email": Shape("email", EMAIL, _email),
    "post": Shape("post", POST, _post),
    "plain": Shape("plain", PLAIN, _plain),
}


def shape_for(key: str, kind: str) -> Shape:
    """The reply shape of an output type: its key first ("email", "x_post_1"), then its kind."""
    if key == "email":
        return SHAPES["email"]
    if "_post_" in key:
        return SHAPES["post"]
    if kind == "markdown" and not key.endswith("_script"):
        return SHAPES["article"]
    return SHAPES["plain"]
