"""The code registry of step handlers a production workflow's steps name as capabilities."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jobs.workflows.production.context import Production

Handler = Callable[["Production"], dict[str, Any]]


@dataclass(frozen=True)
class Capability:
    key: str
    label: str
    description: str
    handler: Handler


CAPABILITIES: dict[str, Capability] = {}


def capability(key: str, label: str, description: str) -> Callable[[Handler], Handler]:
    """Register a handler: it writes its deliverables and returns the step's data."""

    def register(handler: Handler) -> Handler:
        if key in CAPABILITIES:
            raise ValueError(f"capability {key!r} registered twice")
        CAPABILITIES[key] = Capability(key, label, description, handler)
        return handler

    return register


def all_capabilities() -> dict[str, Capability]:
    # The handler modules register themselves when imported.
    from jobs.workflows.production import advertising, film, social  # noqa: F401

    return CAPABILITIES
