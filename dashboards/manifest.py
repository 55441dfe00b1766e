"""The production manifest panel's model: a video job's plan as the detail page shows it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from dashboards.forms import humanize
from jobs.models import Manifest

PLATFORMS = {
    "youtube": "YouTube",
    "tiktok": "TikTok",
    "linkedin": "LinkedIn",
    "instagram_story": "Instagram story",
}
VISUALS = {"generated_image": "Generated image", "title_card": "Title card", "chart": "Chart"}


def clock(seconds: float) -> str:
    """A time in the video as an editor writes it: 0:05.4, 1:02.0."""
    minutes, rest = divmod(max(float(seconds), 0.0), 60)
    return f"{int(minutes)}:{rest:04.1f}"


@dataclass(frozen=True)
class SceneRow:
    number: Any
    scene_id: str
    title: str
    purpose: str
    start: str
    end: str
    duration: str
    narration: str
    on_screen_text: str
    visual: str


@dataclass
class ManifestPanel:
    """What the panel shows: the video's settings, its scenes, and what the planner changed."""

    facts: list[tuple[str, str]]
    scenes: list[SceneRow]
    repairs: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    valid: bool = True
    used_fallback: bool = False
    used_repair: bool = False
    used_model: bool = False
    processing_ms: float = 0.0

    @property
    def needs_review(self) -> bool:
        """A fallback or an invalid plan is a guess: a person should check it before approving."""
        return self.used_fallback or not self.valid

    @property
    def method(self) -> str:
        return "Read by the model extractor" if self.used_model else "Read by the parser"


def _visual(scene: dict[str, Any]) -> str:
    visual = scene.get("visual") or {}
    kind = VISUALS.get(visual.get("kind", ""), humanize(visual.get("kind", "") or "visual"))
    chart = scene.get("chart") or {}
    if visual.get("kind") == "chart" and chart.get("data"):
        points = len(chart["data"])
        return f"{kind}: {chart.get('title') or visual.get('prompt', '')} ({points} points)"
    prompt = visual.get("prompt", "")
    return f"{kind}: {prompt}" if prompt else kind


def _scene_row(scene: dict[str, Any]) -> SceneRow:
    start = float(scene.get("start") or 0)
    duration = float(scene.get("duration") or 0)
    return SceneRow(
        number=scene.get("index", ""),
        scene_id=str(scene.get("id", "")),
        title=str(scene.get("title", "")),
        purpose=humanize(scene.get("purpose", "") or "content"),
        start=clock(start),
        end=clock(start + duration),
        duration=f"{duration:.1f} s",
        narration=str(scene.get("narration", "")),
        on_screen_text=str(scene.get("on_screen_text", "")),
        visual=_visual(scene),
    )


def scene_labels(panel: ManifestPanel | None) -> dict[str, str]:
    """Scene id to "Scene 2 · Problem", for grouping a video's outputs by scene."""
    if panel is None:
        return {}
    return {s.scene_id: f"Scene {s.number} · {s.title or s.purpose}" for s in panel.scenes}


def manifest_panel(record: Manifest) -> ManifestPanel:
    """The panel for a stored manifest; tolerant of missing keys, since a fallback is minimal."""
    manifest = record.manifest if isinstance(record.manifest, dict) else {}
    meta = manifest.get("metadata") or {}
    resolution = meta.get("resolution") or {}
    platform = str(meta.get("platform", ""))
    facts = [
        ("Duration", f"{meta.get('duration_seconds', '?')} s"),
        ("Aspect ratio", str(meta.get("aspect_ratio", ""))),
        ("Resolution", f"{resolution.get('width', '?')}×{resolution.get('height', '?')}"),
        ("Platform", PLATFORMS.get(platform, humanize(platform))),
        ("Tone", humanize(meta.get("tone", ""))),
        ("Language", str(meta.get("language", ""))),
    ]
    return ManifestPanel(
        facts=[(label, value) for label, value in facts if value],
        scenes=[_scene_row(s) for s in manifest.get("scenes") or [] if isinstance(s, dict)],
        repairs=[str(r) for r in record.repairs or []],
        warnings=[str(w) for w in record.warnings or []],
        valid=record.valid,
        used_fallback=record.used_fallback,
        used_repair=record.used_repair,
        used_model=record.used_model,
        processing_ms=record.processing_ms,
    )
