"""The Production Manifest's JSON Schema and the checks a manifest must pass to be produced."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

SCHEMA_PATH = Path(__file__).with_name("manifest.schema.json")
MANIFEST_SCHEMA: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
TOLERANCE = 0.01  # seconds; durations are laid out in centiseconds


@dataclass(frozen=True)
class ValidationIssue:
    """One reason a manifest is invalid: where (a JSON pointer) and what is wrong."""

    path: str
    message: str

    @property
    def dotted(self) -> str:
        """The path as 'scenes.2.duration', for people rather than programs."""
        return ".".join(self.path.strip("/").split("/")) or "(manifest)"

    def __str__(self) -> str:
        return f"{self.dotted}: {self.message}"


def _inline(node: Any, root: dict[str, Any]) -> Any:
    """The schema with its local $refs replaced by what they point to (it has no cycles)."""
    if isinstance(node, dict):
        if set(node) == {"$ref"} and node["$ref"].startswith("#/"):
            target: Any = root
            for part in node["$ref"][2:].split("/"):
                target = target[part]
            return _inline(target, root)
        return {key: _inline(value, root) for key, value in node.items() if key != "$defs"}
    if isinstance(node, list):
        return [_inline(value, root) for value in node]
    return node


@cache
def _validator() -> Draft202012Validator:
    # Resolving $refs on every check costs a fifth of the time; resolve them once here.
    return Draft202012Validator(_inline(MANIFEST_SCHEMA, MANIFEST_SCHEMA))


def _pointer(parts: Any) -> str:
    return "".join(f"/{str(p).replace('~', '~0').replace('/', '~1')}" for p in parts)


def validate_manifest(manifest: Any) -> list[ValidationIssue]:
    """Every problem with a manifest: the schema first, then cross-references and timing.

    An empty list means the manifest can be decomposed and produced as it is."""
    issues = [
        ValidationIssue(_pointer(error.absolute_path), error.message[:300])
        for error in _validator().iter_errors(manifest)
    ]
    if issues:
        return sorted(issues, key=lambda issue: (issue.path, issue.message))
    try:
        json.dumps(manifest, allow_nan=False)
    except ValueError:
        return [ValidationIssue("", "contains a number that is not finite (NaN or infinity)")]
    return _check_references(manifest)


def _check_references(manifest: dict[str, Any]) -> list[ValidationIssue]:
    """What a schema cannot say: unique ids, contiguous timing, and references that resolve."""
    issues: list[ValidationIssue] = []
    meta, scenes = manifest["metadata"], manifest["scenes"]
    total = meta["duration_seconds"]
    width, height = meta["resolution"]["width"], meta["resolution"]["height"]
    across, down = (int(x) for x in meta["aspect_ratio"].split(":"))
    if abs(width * down - height * across) > 0.01 * width * down:
        issues.append(ValidationIssue("/metadata/resolution", "does not match the aspect ratio"))

    assets: dict[str, dict[str, Any]] = {}
    for i, asset in enumerate(manifest["assets"]):
        if asset["id"] in assets:
            issues.append(ValidationIssue(f"/assets/{i}/id", f"duplicate asset id {asset['id']}"))
        assets[asset["id"]] = asset

    scene_ids: set[str] = set()
    clock = 0.0
    for i, scene in enumerate(scenes):
        at = f"/scenes/{i}"
        if scene["id"] in scene_ids:
            issues.append(ValidationIssue(f"{at}/id", f"duplicate scene id {scene['id']}"))
        scene_ids.add(scene["id"])
        if scene["index"] != i + 1:
            issues.append(ValidationIssue(f"{at}/index", f"should be {i + 1}"))
        if abs(scene["start"] - clock) > TOLERANCE:
            issues.append(
                ValidationIssue(f"{at}/start", f"should be {clock:.2f} (end of the scene before)")
            )
        clock += scene["duration"]
        visual = scene["visual"]
        wanted = "chart" if visual["kind"] == "chart" else "image"
        asset = assets.get(visual["asset_id"])
        if asset is None or asset["kind"] != wanted or asset["scene_id"] != scene["id"]:
            issues.append(
                ValidationIssue(
                    f"{at}/visual/asset_id",
                    f"no {wanted} asset {visual['asset_id']} for this scene",
                )
            )
        if visual["kind"] == "chart" and "chart" not in scene:
            issues.append(ValidationIssue(f"{at}/chart", "a chart visual needs chart data"))
    if abs(clock - total) > TOLERANCE:
        issues.append(ValidationIssue("/scenes", f"durations sum to {clock:.2f}s, not {total}s"))

    for i, asset in enumerate(manifest["assets"]):
        if asset["scene_id"] is not None and asset["scene_id"] not in scene_ids:
            issues.append(ValidationIssue(f"/assets/{i}/scene_id", f"no scene {asset['scene_id']}"))

    narrated = {scene["id"] for scene in scenes if scene["narration"].strip()}
    voiced: set[str] = set()
    for i, line in enumerate(manifest["audio"]["narration"]):
        at = f"/audio/narration/{i}"
        if line["scene_id"] not in scene_ids:
            issues.append(ValidationIssue(f"{at}/scene_id", f"no scene {line['scene_id']}"))
        if line["scene_id"] in voiced:
            issues.append(ValidationIssue(f"{at}/scene_id", "a scene is narrated once"))
        voiced.add(line["scene_id"])
        asset = assets.get(line["asset_id"])
        if asset is None or asset["kind"] != "speech":
            issues.append(ValidationIssue(f"{at}/asset_id", f"no speech asset {line['asset_id']}"))
    for scene_id in sorted(narrated - voiced):
        issues.append(
            ValidationIssue("/audio/narration", f"scene {scene_id} has narration but no entry")
        )

    for i, cue in enumerate(manifest["audio"]["music"]):
        at = f"/audio/music/{i}"
        asset = assets.get(cue["asset_id"])
        if asset is None or asset["kind"] != "music":
            issues.append(ValidationIssue(f"{at}/asset_id", f"no music asset {cue['asset_id']}"))
        if cue["start"] + cue["duration"] > total + TOLERANCE:
            issues.append(ValidationIssue(f"{at}/duration", "runs past the end of the video"))
    return issues
