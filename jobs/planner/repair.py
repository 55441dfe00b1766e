"""Manifest repair: deterministic fixes, an optional model repair, then a minimal fallback."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from jobs.planner.builder import (
    VERSION,
    build_manifest,
    consistency_for,
    default_effects,
    default_title,
    derive_media,
    metadata_for,
    palette_from,
)
from jobs.planner.normalise import PlannerInputs
from jobs.planner.schema import TOLERANCE, ValidationIssue, validate_manifest
from jobs.planner.text import sanitise
from jobs.planner.timing import allocate, max_scenes, starts
from jobs.planner.treatment import ParsedScene, ParsedTreatment, clip
from jobs.planner.vocabulary import (
    MOODS,
    PURPOSES,
    TRANSITIONS,
    VISUAL_KINDS,
    mood_from_text,
    purpose_by_position,
    purpose_from_text,
)

Complete = Callable[[list[dict[str, str]], int, float], str]

TOP_KEYS = ("version", "metadata", "scenes", "assets", "audio", "effects", "consistency")
SCENE_KEYS = (
    "id",
    "index",
    "title",
    "purpose",
    "start",
    "duration",
    "narration",
    "visual",
    "on_screen_text",
    "effects",
    "music_cue",
    "chart",
)
_SCENE_ID = re.compile(r"^s[0-9]{1,9}$")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


@dataclass
class RepairResult:
    """A repaired manifest, what was done to it, and whether it now validates."""

    manifest: dict[str, Any]
    repairs: list[str]
    valid: bool
    issues: list[ValidationIssue] = field(default_factory=list)
    used_fallback: bool = False


@dataclass
class Recovery:
    """The manifest to produce after validation, repair and fallback, with their record."""

    manifest: dict[str, Any]
    valid: bool
    repairs: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    used_repair: bool = False
    used_model: bool = False
    used_fallback: bool = False


def _number(value: Any) -> float | None:
    """A finite number, or None for anything else (booleans and numeric strings included)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def _text(value: Any, limit: int) -> str:
    if isinstance(value, str):
        return clip(value, limit)
    if _number(value) is not None:
        return clip(str(value), limit)
    if isinstance(value, list):
        return clip(" ".join(x for x in value if isinstance(x, str)), limit)
    return ""


def _names(ids: list[str]) -> str:
    shown = ", ".join(ids[:5])
    return shown + (f" and {len(ids) - 5} more" if len(ids) > 5 else "")


class _Log:
    """Collects repairs; per-scene fills are grouped so the record stays readable."""

    def __init__(self) -> None:
        self.repairs: list[str] = []
        self.fills: dict[str, list[str]] = {}

    def add(self, message: str) -> None:
        self.repairs.append(message)

    def fill(self, what: str, scene_id: str) -> None:
        self.fills.setdefault(what, []).append(scene_id)

    def flush(self) -> None:
        for what, ids in self.fills.items():
            self.repairs.append(f"{what} in {len(ids)} scene(s): {_names(ids)}")
        self.fills = {}


def repair_manifest(manifest: Any, inputs: PlannerInputs) -> RepairResult:
    """Deterministic repairs: durations scaled to the total and starts recomputed, missing
    fields filled from context, unknown fields dropped, ids made unique, out-of-range values
    clamped, assets and audio rebuilt to match the scenes; then validated again."""
    if not isinstance(manifest, dict):
        fallback = minimal_manifest(inputs, "")
        note = f"Replaced a manifest that was not an object ({type(manifest).__name__})"
        return _result(fallback, [note + " with the minimal fallback"], used_fallback=True)
    log = _Log()
    unknown = sorted(str(key) for key in manifest if key not in TOP_KEYS)
    if unknown:
        log.add(f"Dropped unknown top-level fields: {_names(unknown)}")
    if manifest.get("version") != VERSION:
        log.add(f"Set version to {VERSION}")
    metadata = _repair_metadata(manifest.get("metadata"), inputs, log)
    total = inputs.duration_seconds
    scenes = _repair_scenes(manifest.get("scenes"), total, log)
    log.flush()
    if not scenes:
        fallback = minimal_manifest(inputs, "", title=metadata["title"])
        log.add("No usable scenes were left; used the minimal fallback manifest")
        return _result(fallback, log.repairs, used_fallback=True)
    old_audio = manifest.get("audio") if isinstance(manifest.get("audio"), dict) else {}
    mood, description = _music_choice(old_audio, inputs)
    assets, audio = derive_media(scenes, total, mood, description)
    _note_media_changes(manifest.get("assets"), assets, old_audio, audio, log)
    repaired = {
        "version": VERSION,
        "metadata": metadata,
        "scenes": scenes,
        "assets": assets,
        "audio": audio,
        "effects": _repair_effects(manifest.get("effects"), log),
        "consistency": _repair_consistency(manifest.get("consistency"), inputs, log),
    }
    return _result(repaired, log.repairs)


def _result(
    manifest: dict[str, Any], repairs: list[str], used_fallback: bool = False
) -> RepairResult:
    issues = validate_manifest(manifest)
    return RepairResult(manifest, repairs, not issues, issues, used_fallback)


def _repair_metadata(raw: Any, inputs: PlannerInputs, log: _Log) -> dict[str, Any]:
    old = raw if isinstance(raw, dict) else {}
    if not isinstance(raw, dict):
        log.add("Rebuilt missing metadata from the plan's inputs")
    title = _text(old.get("title"), 200)
    profile = _text(old.get("profile"), 100)
    fresh = metadata_for(inputs, title, {"name": profile} if profile else None)
    if isinstance(raw, dict):
        unknown = sorted(str(key) for key in old if key not in fresh)
        if unknown:
            log.add(f"Dropped unknown metadata fields: {_names(unknown)}")
        for key, value in fresh.items():
            if key in old and old[key] != value:
                log.add(f"Set metadata.{key} to {value} (was {str(old[key])[:40]})")
            elif key not in old:
                log.add(f"Filled missing metadata.{key}")
    return fresh


def _scene_ids(raws: list[dict[str, Any]], log: _Log) -> list[str]:
    """Each scene's id: its own when valid and unused so far, otherwise the next free sN."""
    taken: set[str] = set()
    ids: list[str | None] = []
    for raw in raws:
        given = raw.get("id")
        if isinstance(given, str) and _SCENE_ID.match(given) and given not in taken:
            ids.append(given)
            taken.add(given)
        else:
            ids.append(None)
    counter, renamed = 1, []
    for position, given in enumerate(ids):
        if given is None:
            while f"s{counter}" in taken:
                counter += 1
            ids[position] = f"s{counter}"
            taken.add(f"s{counter}")
            renamed.append(f"{raws[position].get('id')!s:.20} -> s{counter}")
    if renamed:
        log.add(f"Gave {len(renamed)} scene(s) a unique id: {_names(renamed)}")
    return [i for i in ids if i is not None]


def _repair_scenes(raw: Any, total: int, log: _Log) -> list[dict[str, Any]]:
    if not isinstance(raw, list):
        log.add("Scenes were missing or not a list")
        return []
    raws = [scene for scene in raw if isinstance(scene, dict)]
    if len(raws) < len(raw):
        log.add(f"Dropped {len(raw) - len(raws)} scene(s) that were not objects")
    limit = max_scenes(total)
    if len(raws) > limit:
        log.add(f"Dropped {len(raws) - limit} scene(s) beyond the {limit} that fit in {total}s")
        raws = raws[:limit]
    ids = _scene_ids(raws, log)
    unknown = sorted({str(key) for scene in raws for key in scene if key not in SCENE_KEYS})
    if unknown:
        log.add(f"Dropped unknown scene fields: {_names(unknown)}")
    scenes = [
        _repair_scene(scene, scene_id, position, len(raws), log)
        for position, (scene, scene_id) in enumerate(zip(raws, ids, strict=True))
    ]
    _repair_timing(scenes, [scene.get("start") for scene in raws], total, log)
    return scenes


def _repair_scene(
    raw: dict[str, Any], scene_id: str, position: int, count: int, log: _Log
) -> dict[str, Any]:
    if raw.get("index") != position + 1:
        log.fill("Renumbered the index", scene_id)
    chart = _repair_chart(raw.get("chart"), scene_id, log)
    purpose = raw.get("purpose")
    if purpose not in PURPOSES:
        guess = purpose_from_text(purpose) if isinstance(purpose, str) else None
        purpose = guess or purpose_by_position(position, count, has_chart=chart is not None)
        log.fill("Filled or corrected the purpose", scene_id)
    title = _text(raw.get("title"), 200)
    if not title:
        title = default_title(purpose, position + 1)
        log.fill("Filled a missing title", scene_id)
    narration = _text(raw.get("narration"), 4000)
    if not isinstance(raw.get("narration"), str):
        log.fill("Filled missing narration text", scene_id)
    on_screen = _text(raw.get("on_screen_text"), 500)
    if not isinstance(raw.get("on_screen_text"), str):
        log.fill("Filled missing on-screen text", scene_id)
    scene: dict[str, Any] = {
        "id": scene_id,
        "index": position + 1,
        "title": title,
        "purpose": purpose,
        "start": 0.0,
        "duration": _number(raw.get("duration")),
        "narration": narration,
        "visual": _repair_visual(
            raw.get("visual"), scene_id, chart, title, narration, on_screen, log
        ),
        "on_screen_text": on_screen,
        "effects": _repair_effect_list(raw.get("effects"), scene_id, log),
    }
    if isinstance(raw.get("music_cue"), str) and clip(raw["music_cue"], 500):
        scene["music_cue"] = clip(raw["music_cue"], 500)
    if chart is not None:
        scene["chart"] = chart
    return scene


def _repair_chart(raw: Any, scene_id: str, log: _Log) -> dict[str, Any] | None:
    if raw is None:
        return None
    data = raw.get("data") if isinstance(raw, dict) else raw if isinstance(raw, list) else None
    points = []
    for point in data if isinstance(data, list) else []:
        if not isinstance(point, dict):
            continue
        label, value = _text(point.get("label"), 80), _number(point.get("value"))
        if label and value is not None:
            clean: dict[str, Any] = {"label": label, "value": value}
            if isinstance(point.get("unit"), str) and clip(point["unit"], 16):
                clean["unit"] = clip(point["unit"], 16)
            points.append(clean)
    if not points:
        log.fill("Removed chart data with no usable points", scene_id)
        return None
    title = _text(raw.get("title"), 200) if isinstance(raw, dict) else ""
    chart = {"title": title, "data": points[:50]}
    if chart != raw:
        log.fill("Cleaned the chart data", scene_id)
    return chart


def _repair_visual(
    raw: Any,
    scene_id: str,
    chart: dict[str, Any] | None,
    title: str,
    narration: str,
    on_screen: str,
    log: _Log,
) -> dict[str, str]:
    old = raw if isinstance(raw, dict) else {"prompt": raw} if isinstance(raw, str) else {}
    kind = old.get("kind")
    prompt = _text(old.get("prompt"), 1000)
    if kind == "chart" and chart is None:
        kind = None
    if chart is not None and kind != "chart":
        kind = "chart"
    if kind not in VISUAL_KINDS:
        kind = "generated_image" if prompt else "title_card"
    if not prompt:
        prompt = (chart or {}).get("title") or on_screen or title or clip(narration, 300) or title
    asset_id = f"{'chart' if kind == 'chart' else 'img'}_{scene_id}"
    visual = {"kind": kind, "prompt": clip(prompt, 1000), "asset_id": asset_id}
    if visual != raw:
        log.fill("Completed the visual", scene_id)
    return visual


def _repair_effect_list(raw: Any, scene_id: str, log: _Log) -> list[str]:
    items = raw if isinstance(raw, list) else [raw] if isinstance(raw, str) else []
    effects = [_text(item, 500) for item in items if not isinstance(item, dict | list)]
    effects = [effect for effect in effects if effect][:20]
    if effects != raw:
        log.fill("Cleaned the effects list", scene_id)
    return effects


def _repair_timing(
    scenes: list[dict[str, Any]], old_starts: list[Any], total: int, log: _Log
) -> None:
    """Durations positive and summing to the total, starts back to back."""
    durations = [scene["duration"] for scene in scenes]
    good = [d is not None and 0 < d <= 600 for d in durations]
    bad = [scene["id"] for scene, ok in zip(scenes, good, strict=True) if not ok]
    if bad:
        usable = [d for d, ok in zip(durations, good, strict=True) if ok]
        fill = sum(usable) / len(usable) if usable else total / len(scenes)
        durations = [d if ok else fill for d, ok in zip(durations, good, strict=True)]
        log.add(f"Replaced {len(bad)} missing, non-positive or too long duration(s): {_names(bad)}")
    fitted = [float(d or 0.0) for d in durations]
    current = sum(fitted)
    if abs(current - total) > TOLERANCE:
        fitted = allocate(fitted, total)
        log.add(f"Scaled {len(scenes)} scene durations from {current:.1f}s to {total}s total")
    moved = []
    for scene, duration, start, old in zip(scenes, fitted, starts(fitted), old_starts, strict=True):
        scene["duration"], scene["start"] = duration, start
        old_start = _number(old)
        if old_start is None or abs(old_start - start) > TOLERANCE:
            moved.append(scene["id"])
    if moved:
        log.add(f"Recomputed start times for {len(moved)} scene(s): {_names(moved)}")


def _music_choice(old_audio: dict[str, Any], inputs: PlannerInputs) -> tuple[str, str]:
    cues = old_audio.get("music")
    cue = cues[0] if isinstance(cues, list) and cues and isinstance(cues[0], dict) else {}
    description = _text(cue.get("description"), 500)
    mood = cue.get("mood")
    if mood not in MOODS:
        mood = mood_from_text(description, str(mood or ""), inputs.tone)
    return mood, description


def _note_media_changes(
    old_assets: Any,
    assets: list[dict[str, Any]],
    old_audio: dict[str, Any],
    audio: dict[str, Any],
    log: _Log,
) -> None:
    if old_assets != assets:
        listed = old_assets if isinstance(old_assets, list) else []
        old_ids = {a.get("id") for a in listed if isinstance(a, dict)}
        new_ids = {a["id"] for a in assets}
        removed = sorted(str(i) for i in old_ids - new_ids)
        added = sorted(str(i) for i in new_ids - old_ids)
        if removed:
            log.add(f"Removed {len(removed)} asset(s) no scene uses: {_names(removed)}")
        if added:
            log.add(f"Added {len(added)} asset(s) the scenes need: {_names(added)}")
        if not removed and not added:
            log.add("Rewrote asset entries to match their scenes")
    if old_audio.get("narration") != audio["narration"]:
        log.add(f"Rebuilt the narration list from the scenes ({len(audio['narration'])} entries)")
    if old_audio.get("music") != audio["music"]:
        log.add("Rebuilt the music bed to cover the whole video")


def _repair_effects(raw: Any, log: _Log) -> dict[str, Any]:
    effects = default_effects()
    if not isinstance(raw, dict):
        log.add("Filled missing effects with defaults")
        return effects
    if raw.get("transition") in TRANSITIONS:
        effects["transition"] = raw["transition"]
    seconds = _number(raw.get("transition_seconds"))
    if seconds is not None:
        effects["transition_seconds"] = min(max(seconds, 0.0), 2.0)
    for key in ("captions", "ken_burns"):
        if isinstance(raw.get(key), bool):
            effects[key] = raw[key]
    if effects != raw:
        log.add("Cleaned the effects settings")
    return effects


def _repair_consistency(raw: Any, inputs: PlannerInputs, log: _Log) -> dict[str, Any]:
    fresh = consistency_for(inputs, None)
    if not isinstance(raw, dict):
        log.add("Filled missing consistency rules with defaults")
        return fresh
    palette = palette_from({"palette": raw.get("palette")})
    rules = [clip(r, 300) for r in raw.get("rules", []) if isinstance(r, str) and clip(r, 300)]
    consistency = {
        "palette": palette,
        "font": _text(raw.get("font"), 100) or fresh["font"],
        "voice": _text(raw.get("voice"), 100) or fresh["voice"],
        "style": _text(raw.get("style"), 500) or fresh["style"],
        "rules": rules[:20] if isinstance(raw.get("rules"), list) else fresh["rules"],
    }
    if consistency != raw:
        log.add("Cleaned the consistency rules")
    return consistency


def minimal_manifest(
    inputs: PlannerInputs, text: str, *, title: str = "", profile: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The smallest valid manifest for a treatment: up to four title cards, each carrying a
    group of its sentences, or a single title card when there is nothing to read."""
    clean = sanitise(text[:20_000]) if isinstance(text, str) else ""
    sentences = [
        s
        for s in (clip(x, 600) for x in _SENTENCE_END.split(clean))
        if any(ch.isalnum() for ch in s)
    ]
    count = min(4, max_scenes(inputs.duration_seconds), len(sentences))
    scenes = []
    for position in range(count):
        group = sentences[
            position * len(sentences) // count : (position + 1) * len(sentences) // count
        ]
        narration = clip(" ".join(group), 1200)
        scenes.append(
            ParsedScene(
                index=position + 1,
                title=f"Part {position + 1}",
                purpose=purpose_by_position(position, count),
                narration=narration,
                on_screen_text=clip(group[0], 80),
            )
        )
    return build_manifest(ParsedTreatment(scenes=scenes), inputs, title=title, profile=profile)


def plan_from_manifest_or_fallback(
    manifest: dict[str, Any],
    inputs: PlannerInputs,
    text: str,
    *,
    complete: Complete | None = None,
    title: str = "",
    profile: dict[str, Any] | None = None,
) -> Recovery:
    """Validate; repair deterministically; ask the model as a last resort; else fall back."""
    if not validate_manifest(manifest):
        return Recovery(manifest, valid=True)
    result = repair_manifest(manifest, inputs)
    if result.valid and not result.used_fallback:
        return Recovery(result.manifest, True, result.repairs, used_repair=True)
    repairs = list(result.repairs)
    if complete is not None and not result.used_fallback:
        from jobs.planner.extractor import repair_with_model

        candidate = repair_with_model(result.manifest, result.issues, complete)
        if candidate is not None:
            second = repair_manifest(candidate, inputs)
            if second.valid and not second.used_fallback:
                repairs += [f"A model repaired {len(result.issues)} issue(s)", *second.repairs]
                return Recovery(second.manifest, True, repairs, used_repair=True, used_model=True)
    fallback = minimal_manifest(inputs, text, title=title, profile=profile)
    repairs.append("Replaced the manifest with the minimal fallback")
    warning = "The manifest could not be repaired; a minimal fallback was used. Review it by hand."
    return Recovery(
        fallback,
        valid=not validate_manifest(fallback),
        repairs=repairs,
        warnings=[warning],
        used_repair=True,
        used_fallback=True,
    )
