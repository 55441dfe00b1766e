"""A revision's outputs as the job page shows them: grouped by kind, a video's parts by scene.

A video job makes a finished MP4, then per scene a still (or chart) and a narration, a music
bed and machine-readable specs. Listed in creation order they interleave (narration 1,
narration 2, frame 1 ...); grouped, a person sees the film, then each scene's pieces together.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from jobs.models import Output

GROUPS = (
    ("video", "Video"),
    ("documents", "Documents"),
    ("scenes", "Scenes"),
    ("images", "Images"),
    ("audio", "Audio"),
    ("specs", "Specifications"),
)
_SCENE_NUMBER = re.compile(r"\bscene (\d+)\b", re.IGNORECASE)
_WITHIN_SCENE = {"image": 0, "audio": 1}  # the picture first, then what is heard over it


@dataclass
class SceneOutputs:
    scene_id: str
    number: int | None
    label: str
    outputs: list[Output] = field(default_factory=list)


@dataclass
class OutputGroup:
    key: str
    title: str
    outputs: list[Output] = field(default_factory=list)
    scenes: list[SceneOutputs] = field(default_factory=list)
    poster: Output | None = None  # a video group's poster frame: the first scene's still

    @property
    def count(self) -> int:
        return len(self.outputs) + sum(len(s.outputs) for s in self.scenes)


def _group_key(output: Output) -> str:
    if output.kind == "video":
        return "video"
    if output.kind == "json":
        return "specs"
    if (output.metadata or {}).get("scene_id"):
        return "scenes"
    if output.kind in ("markdown", "text", "html"):
        return "documents"
    return "images" if output.kind == "image" else "audio"


def _scene_number(output: Output) -> int | None:
    match = _SCENE_NUMBER.search(output.title or "")
    return int(match.group(1)) if match else None


def _scenes(outputs: list[Output], labels: dict[str, str]) -> list[SceneOutputs]:
    by_scene: dict[str, SceneOutputs] = {}
    for output in outputs:
        scene_id = str(output.metadata["scene_id"])
        scene = by_scene.get(scene_id)
        if scene is None:
            number = _scene_number(output)
            label = labels.get(scene_id) or (f"Scene {number}" if number else scene_id)
            scene = by_scene[scene_id] = SceneOutputs(scene_id, number, label)
        scene.outputs.append(output)
    for scene in by_scene.values():
        scene.outputs.sort(key=lambda o: _WITHIN_SCENE.get(o.kind, 2))
    return sorted(by_scene.values(), key=lambda s: (s.number is None, s.number or 0, s.scene_id))


def group_outputs(
    outputs: list[Output], scene_labels: dict[str, Any] | None = None
) -> list[OutputGroup]:
    """Outputs in groups, in the order GROUPS lists them; empty groups are left out."""
    buckets: dict[str, list[Output]] = {key: [] for key, _ in GROUPS}
    for output in outputs:
        buckets[_group_key(output)].append(output)
    labels = {str(k): str(v) for k, v in (scene_labels or {}).items()}
    groups: list[OutputGroup] = []
    scenes = _scenes(buckets["scenes"], labels)
    for key, title in GROUPS:
        if key == "scenes":
            if scenes:
                groups.append(OutputGroup(key, title, scenes=scenes))
        elif buckets[key]:
            groups.append(OutputGroup(key, title, outputs=buckets[key]))
    first_still = next(
        (o for scene in scenes for o in scene.outputs if o.kind == "image" and o.file), None
    )
    for group in groups:
        if group.key == "video":
            group.poster = first_still
    return groups
