"""A QC finding: one technical defect of one deliverable, blocking or advisory."""

from __future__ import annotations

from dataclasses import asdict, dataclass

BLOCKING, ADVISORY = "blocking", "advisory"

CHECK_LABELS: dict[str, str] = {
    "empty": "Empty",
    "truncated": "Cut off",
    "placeholder": "Leftover placeholder",
    "markup": "Markup or script copied from the inputs",
    "repetition": "Repetition",
    "language": "Wrong language",
    "call_to_action": "Missing call to action",
    "brief_details": "Brief details missing",
    "length": "Length far from target",
    "broken_markdown": "Broken markdown or link",
    "stage_directions": "Stage directions in narration",
    "unreadable": "Unreadable file",
    "blank": "Blank image",
    "size": "Wrong size",
    "glyphs": "Characters the font cannot draw",
    "text_off_edge": "Text cut at the edge",
    "contrast": "Unreadable contrast",
    "silence": "Silence",
    "clipping": "Clipping",
    "duration": "Duration far from plan",
    "sample_rate": "Sample rate",
    "black_frames": "Black frames",
    "frozen_frames": "Frozen picture",
    "missing_audio": "No audio track",
    "resolution": "Wrong resolution",
    "av_length": "Audio and video lengths differ",
}


@dataclass(frozen=True)
class Finding:
    """`check` names the defect (a CHECK_LABELS key); start and end locate it in a text."""

    check: str
    severity: str
    message: str
    start: int | None = None
    end: int | None = None

    def __post_init__(self) -> None:
        if self.check not in CHECK_LABELS:
            raise ValueError(f"Unknown QC check {self.check!r}")
        if self.severity not in (BLOCKING, ADVISORY):
            raise ValueError(f"Unknown QC severity {self.severity!r}")

    @property
    def blocking(self) -> bool:
        return self.severity == BLOCKING

    @property
    def label(self) -> str:
        return CHECK_LABELS[self.check]

    def as_dict(self) -> dict:
        return {**asdict(self), "label": self.label}


def blocking(check: str, message: str, start: int | None = None, end: int | None = None) -> Finding:
    return Finding(check, BLOCKING, message, start, end)


def advisory(check: str, message: str, start: int | None = None, end: int | None = None) -> Finding:
    return Finding(check, ADVISORY, message, start, end)
