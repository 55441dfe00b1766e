"""The intermediate format between treatment text and manifest: parsed scenes and hints."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any

from jobs.planner.vocabulary import PURPOSES, purpose_by_position, purpose_from_text

MAX_TEXT = 4000
MAX_ITEMS = 20
MAX_ITEM_TEXT = 500
MAX_CHART_POINTS = 50


@dataclass
class ParsedScene:
    """One scene as the treatment describes it; times are seconds, None when not given."""

    index: int
    title: str = ""
    purpose: str = "content"
    narration: str = ""
    visuals: list[str] = field(default_factory=list)
    on_screen_text: str = ""
    effects: list[str] = field(default_factory=list)
    music: str = ""
    chart: list[dict[str, Any]] = field(default_factory=list)
    chart_title: str = ""
    start: float | None = None
    end: float | None = None
    duration: float | None = None

    def explicit_duration(self) -> float | None:
        """The length the treatment gives this scene, from a range or a plain duration."""
        if self.start is not None and self.end is not None and self.end > self.start:
            return self.end - self.start
        if self.duration is not None and self.duration > 0:
            return self.duration
        return None


@dataclass
class ParsedTreatment:
    """The scenes of a treatment plus what it says about the whole video (hints)."""

    scenes: list[ParsedScene] = field(default_factory=list)
    hints: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"scenes": [asdict(scene) for scene in self.scenes], "hints": dict(self.hints)}


# The JSON shape a model is asked to produce; kept loose on purpose and cleaned by from_dict.
TREATMENT_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["scenes"],
    "properties": {
        "title": {"type": "string"},
        "hints": {"type": "object"},
        "scenes": {
            "type": "array",
            "minItems": 1,
            "maxItems": 200,
            "items": {
                "type": "object",
                "properties": {
                    "title": {"type": "string"},
                    "purpose": {"type": "string"},
                    "narration": {"type": "string"},
                    "visuals": {"type": "array", "items": {"type": "string"}},
                    "on_screen_text": {"type": "string"},
                    "effects": {"type": "array", "items": {"type": "string"}},
                    "music": {"type": "string"},
                    "chart": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["label", "value"],
                            "properties": {
                                "label": {"type": "string"},
                                "value": {"type": "number"},
                            },
                        },
                    },
                    "start": {"type": ["number", "null"]},
                    "end": {"type": ["number", "null"]},
                },
            },
        },
    },
}


def clip(text: str, limit: int = MAX_TEXT) -> str:
    """Whitespace collapsed and cut to a limit, so no field grows without bound."""
    return " ".join(text.split())[:limit].strip()


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if math.isfinite(number) and 0 <= number <= 100_000 else None


def _chart_point(raw: Any) -> dict[str, Any] | None:
    if not isinstance(raw, dict):
        return None
    label = clip(str(raw.get("label", "")), 80)
    value = raw.get("value")
    if not label or isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return {"label": label, "value": float(value)} if math.isfinite(value) else None


def treatment_from_dict(data: dict[str, Any]) -> ParsedTreatment:
    """A ParsedTreatment from JSON already checked against TREATMENT_SCHEMA, cleaned."""
    raw_scenes = [s for s in data.get("scenes", []) if isinstance(s, dict)]
    scenes: list[ParsedScene] = []
    for position, raw in enumerate(raw_scenes[:200]):
        points = [_chart_point(p) for p in raw.get("chart", [])[:MAX_CHART_POINTS]]
        chart = [p for p in points if p is not None]
        title = clip(str(raw.get("title", "")), 200)
        purpose = str(raw.get("purpose", "")).strip().lower()
        if purpose not in PURPOSES:
            purpose = purpose_from_text(purpose) or purpose_from_text(title) or ""
        if not purpose:
            purpose = purpose_by_position(position, len(raw_scenes), has_chart=len(chart) >= 2)
        start, end = _number(raw.get("start")), _number(raw.get("end"))
        if start is not None and end is not None and end <= start:
            start = end = None
        scenes.append(
            ParsedScene(
                index=position + 1,
                title=title,
                purpose=purpose,
                narration=clip(str(raw.get("narration", ""))),
                visuals=[clip(str(v), MAX_ITEM_TEXT) for v in raw.get("visuals", [])][:MAX_ITEMS],
                on_screen_text=clip(str(raw.get("on_screen_text", "")), MAX_ITEM_TEXT),
                effects=[clip(str(e), MAX_ITEM_TEXT) for e in raw.get("effects", [])][:MAX_ITEMS],
                music=clip(str(raw.get("music", "")), MAX_ITEM_TEXT),
                chart=chart if len(chart) >= 2 else [],
                start=start,
                end=end,
            )
        )
    for scene in scenes:
        scene.visuals = [v for v in scene.visuals if v]
        scene.effects = [e for e in scene.effects if e]
    hints: dict[str, Any] = {}
    raw_hints = data.get("hints")
    if isinstance(raw_hints, dict):
        for key in ("aspect_ratio", "platform", "language", "tone"):
            if isinstance(raw_hints.get(key), str) and raw_hints[key].strip():
                hints[key] = clip(raw_hints[key], 60)
        seconds = _number(raw_hints.get("duration_seconds"))
        if seconds is not None:
            hints["duration_seconds"] = int(round(seconds))
    if isinstance(data.get("title"), str) and data["title"].strip():
        hints["title"] = clip(data["title"], 200)
    return ParsedTreatment(scenes=scenes, hints=hints)
