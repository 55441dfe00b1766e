"""What callers ask providers for: a text request with its deterministic draft, or media."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .base import MediaResult


@dataclass(frozen=True)
class TextRequest:
    """Chat messages for hosted models plus the built-in writers' draft as the offline answer."""

    messages: list[dict[str, str]]
    max_tokens: int = 800
    temperature: float = 0.7
    draft: str = ""


@dataclass(frozen=True)
class MediaRequest:
    """A media job; built-in providers run `render`, hosted ones read `kind` and `params`."""

    kind: str
    params: dict[str, Any] = field(default_factory=dict)
    render: Callable[[], bytes | MediaResult] | None = None
    mime: str = ""
