"""The deliverable a writer hands back: stable key, kind, copy and structured extras."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

KINDS = ("markdown", "text", "html", "json", "image_spec")


@dataclass
class Deliverable:
    """One output of a job, before it is stored: text for people, data for machines."""

    key: str
    kind: str
    title: str
    text: str
    data: dict[str, Any] = field(default_factory=dict)
    metadata: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown deliverable kind {self.kind!r}")

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready copy, for storing on an output row."""
        return asdict(self)
