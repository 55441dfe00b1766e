"""One entry point for every kind of deliverable: check_deliverable(deliverable, brief)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from approvals.qc.audio import check_audio
from approvals.qc.brief import Brief
from approvals.qc.findings import Finding
from approvals.qc.images import check_image
from approvals.qc.text import check_brief_details, check_stage_directions, check_text
from approvals.qc.video import check_video

TEXT_KINDS = frozenset({"text", "markdown", "html"})
# Spoken words run at about 150 a minute.
WORDS_PER_SECOND = 2.5


@dataclass(frozen=True)
class Deliverable:
    """What QC reads of one output: its kind, text, bytes (image, audio) or file (video).

    `primary` marks the piece the brief describes (the blog post, not its meta description):
    only it is held to the brief's length, call to action and named details.
    """

    kind: str
    text: str = ""
    data: bytes | None = None
    path: Path | None = None
    key: str = ""
    primary: bool = False
    metadata: Mapping[str, Any] = field(default_factory=dict)

    @property
    def narration(self) -> bool:
        return self.key.startswith(("narration", "voiceover", "voice_over"))


def _words_in(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping):
        return "\n".join(_words_in(v) for v in value.values())
    if isinstance(value, list | tuple):
        return "\n".join(_words_in(v) for v in value)
    return ""


def _for_piece(brief: Brief, primary: bool) -> Brief:
    """Secondary pieces keep the language; length, call to action and details are the main one's."""
    return brief if primary else Brief(text=brief.text, language=brief.language)


def check_deliverable(deliverable: Deliverable, brief: Brief) -> list[Finding]:
    kind = deliverable.kind
    if kind in TEXT_KINDS:
        return check_text(
            deliverable.text,
            _for_piece(brief, deliverable.primary),
            narration=deliverable.narration,
            html=kind == "html",
        )
    if kind == "image":
        text = _words_in(deliverable.metadata.get("text", ""))
        findings = check_image(deliverable.data or b"", brief, text=text)
        if deliverable.primary:
            findings += check_brief_details(text, brief)
        return findings
    if kind == "audio":
        script = _words_in(deliverable.metadata.get("text", ""))
        words = len(script.split()) or int(deliverable.metadata.get("words") or 0)
        expected = words / WORDS_PER_SECOND if words else None
        if expected is None and deliverable.primary:
            expected = brief.duration_seconds
        findings = check_audio(deliverable.data or b"", expected_seconds=expected)
        return findings + (check_stage_directions(script) if script else [])
    if kind == "video" and deliverable.path is not None:
        return check_video(deliverable.path, brief)
    return []
