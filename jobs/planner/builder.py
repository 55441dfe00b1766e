"""The manifest builder: parsed scenes and settled inputs laid out as a Production Manifest."""

from __future__ import annotations

import re
from typing import Any

from jobs.planner.normalise import PlannerInputs
from jobs.planner.timing import MIN_SCENE_SECONDS, allocate, estimate_seconds, max_scenes, starts
from jobs.planner.treatment import ParsedScene, ParsedTreatment, clip
from jobs.planner.vocabulary import mood_from_text

VERSION = "1.0"
DEFAULT_PALETTE = ["#1F2937", "#F9FAFB", "#2563EB", "#F59E0B"]
DEFAULT_FONT = "DejaVu Sans"
MUSIC_CUE_ID = "bed"
MUSIC_ASSET_ID = "music_bed"
PURPOSE_TITLES = {
    "hook": "Hook",
    "intro": "Introduction",
    "problem": "The problem",
    "solution": "The solution",
    "demo": "How it works",
    "benefit": "Why it matters",
    "proof": "Proof",
    "cta": "Call to action",
    "outro": "Closing",
}
_HEX = re.compile(r"^#?([0-9a-fA-F]{6}|[0-9a-fA-F]{3})$")


def build_manifest(
    parsed: ParsedTreatment,
    inputs: PlannerInputs,
    *,
    title: str = "",
    profile: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A Production Manifest for the parsed treatment at the settled duration and format."""
    return build_manifest_with_notes(parsed, inputs, title=title, profile=profile)[0]


def build_manifest_with_notes(
    parsed: ParsedTreatment,
    inputs: PlannerInputs,
    *,
    title: str = "",
    profile: dict[str, Any] | None = None,
) -> tuple[dict[str, Any], list[str]]:
    """The manifest plus notes on what the builder had to decide (shown as warnings)."""
    notes: list[str] = []
    hints = parsed.hints
    scenes_in = list(parsed.scenes)
    limit = max_scenes(inputs.duration_seconds)
    if len(scenes_in) > limit:
        notes.append(
            f"The treatment has {len(scenes_in)} scenes; kept the first {limit} that fit "
            f"in {inputs.duration_seconds}s"
        )
        scenes_in = scenes_in[:limit]
    video_title = clip(title, 200) or str(hints.get("title") or "") or _first_title(scenes_in)
    video_title = video_title or "Untitled video"
    if not scenes_in:
        notes.append("The treatment has no scenes; made a single title card")
        scenes_in = [ParsedScene(index=1, title=video_title, purpose="content")]
    durations, timing_note = scene_durations(scenes_in, inputs.duration_seconds)
    if timing_note:
        notes.append(timing_note)
    scenes = [
        scene_entry(scene, position, start, duration)
        for position, (scene, start, duration) in enumerate(
            zip(scenes_in, starts(durations), durations, strict=True)
        )
    ]
    music_text = str(hints.get("music") or "") or next((s.music for s in scenes_in if s.music), "")
    mood = mood_from_text(music_text, inputs.tone)
    assets, audio = derive_media(scenes, inputs.duration_seconds, mood, music_text)
    manifest = {
        "version": VERSION,
        "metadata": metadata_for(inputs, video_title, profile),
        "scenes": scenes,
        "assets": assets,
        "audio": audio,
        "effects": default_effects(),
        "consistency": consistency_for(inputs, profile, str(hints.get("style") or "")),
    }
    return manifest, notes


def _first_title(scenes: list[ParsedScene]) -> str:
    return next((s.title for s in scenes if s.title), "")


def scene_durations(scenes: list[ParsedScene], total: int) -> tuple[list[float], str | None]:
    """Durations summing to the total: the treatment's own timing where it gives one and it
    is consistent, otherwise what each scene's narration needs, scaled to fit."""
    explicit = [scene.explicit_duration() for scene in scenes]
    given_starts = [scene.start for scene in scenes if scene.start is not None]
    note = None
    if any(explicit) and given_starts != sorted(given_starts):
        explicit = [None] * len(scenes)
        note = "Ignored the treatment's timecodes because they run backwards"
    estimates = [estimate_seconds(scene.narration) for scene in scenes]
    fixed = [round(given, 2) if given else None for given in explicit]
    given_total = sum(d for d in fixed if d)
    open_count = fixed.count(None)
    if 0 < open_count < len(scenes) and given_total + MIN_SCENE_SECONDS * open_count <= total:
        # Keep the scenes the treatment timed; the others share what is left.
        rest = iter(
            allocate(
                [e for e, d in zip(estimates, fixed, strict=True) if d is None], total - given_total
            )
        )
        return [d if d else next(rest) for d in fixed], note
    weights = [
        given if given else estimate for given, estimate in zip(explicit, estimates, strict=True)
    ]
    if any(explicit) and note is None and abs(sum(weights) - total) > 0.5:
        note = f"Scaled the treatment's timing from {sum(weights):.1f}s to {total}s"
    return allocate(weights, total), note


def default_title(purpose: str, index: int) -> str:
    return PURPOSE_TITLES.get(purpose, f"Scene {index}")


def visual_for(scene: ParsedScene, scene_id: str, title: str) -> dict[str, str]:
    """What the scene shows: its chart, a generated image of its visuals, or a title card."""
    if len(scene.chart) >= 2:
        prompt = scene.chart_title or title
        return {"kind": "chart", "prompt": clip(prompt, 1000), "asset_id": f"chart_{scene_id}"}
    if scene.visuals:
        prompt = clip("; ".join(scene.visuals), 1000)
        return {"kind": "generated_image", "prompt": prompt, "asset_id": f"img_{scene_id}"}
    card_text = scene.on_screen_text or title
    if scene.narration and scene.purpose not in ("cta", "outro") and not scene.on_screen_text:
        prompt = clip(scene.narration, 300)
        return {"kind": "generated_image", "prompt": prompt, "asset_id": f"img_{scene_id}"}
    return {"kind": "title_card", "prompt": clip(card_text, 1000), "asset_id": f"img_{scene_id}"}


def scene_entry(scene: ParsedScene, position: int, start: float, duration: float) -> dict[str, Any]:
    """One manifest scene from a parsed scene at its place in the timeline."""
    scene_id = f"s{position + 1}"
    title = clip(scene.title, 200) or default_title(scene.purpose, position + 1)
    entry: dict[str, Any] = {
        "id": scene_id,
        "index": position + 1,
        "title": title,
        "purpose": scene.purpose,
        "start": start,
        "duration": duration,
        "narration": clip(scene.narration),
        "visual": visual_for(scene, scene_id, title),
        "on_screen_text": clip(scene.on_screen_text, 500),
        "effects": [clip(e, 500) for e in scene.effects if clip(e, 500)][:20],
    }
    if scene.music:
        entry["music_cue"] = clip(scene.music, 500)
    if len(scene.chart) >= 2:
        data = [_chart_point(p) for p in scene.chart[:50]]
        entry["chart"] = {"title": clip(scene.chart_title or title, 200), "data": data}
    return entry


def _chart_point(point: dict[str, Any]) -> dict[str, Any]:
    clean = {"label": clip(str(point["label"]), 80), "value": float(point["value"])}
    if point.get("unit"):
        clean["unit"] = clip(str(point["unit"]), 16)
    return clean


def derive_media(
    scenes: list[dict[str, Any]], total: int, mood: str, music_text: str = ""
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The assets and audio a list of manifest scenes needs; a pure function of the scenes,
    so the builder and the repairer always agree on them."""
    assets: list[dict[str, Any]] = []
    narration: list[dict[str, Any]] = []
    for scene in scenes:
        visual = scene["visual"]
        if visual["kind"] == "chart":
            assets.append(
                {
                    "id": visual["asset_id"],
                    "kind": "chart",
                    "scene_id": scene["id"],
                    "prompt": visual["prompt"],
                    "data": scene["chart"]["data"],
                }
            )
        else:
            assets.append(
                {
                    "id": visual["asset_id"],
                    "kind": "image",
                    "scene_id": scene["id"],
                    "role": visual["kind"],
                    "prompt": visual["prompt"],
                }
            )
        if scene["narration"].strip():
            speech_id = f"vo_{scene['id']}"
            text = scene["narration"]
            assets.append(
                {"id": speech_id, "kind": "speech", "scene_id": scene["id"], "text": text}
            )
            narration.append({"scene_id": scene["id"], "text": text, "asset_id": speech_id})
    assets.append(
        {"id": MUSIC_ASSET_ID, "kind": "music", "scene_id": None, "mood": mood, "duration": total}
    )
    cue: dict[str, Any] = {
        "cue_id": MUSIC_CUE_ID,
        "mood": mood,
        "start": 0,
        "duration": total,
        "asset_id": MUSIC_ASSET_ID,
    }
    if music_text:
        cue["description"] = clip(music_text, 500)
    return assets, {"narration": narration, "music": [cue]}


def metadata_for(
    inputs: PlannerInputs, title: str, profile: dict[str, Any] | None
) -> dict[str, Any]:
    width, height = inputs.resolution
    return {
        "intent": "video",
        "title": clip(title, 200) or "Untitled video",
        "duration_seconds": inputs.duration_seconds,
        "aspect_ratio": inputs.aspect_ratio,
        "resolution": {"width": width, "height": height},
        "platform": inputs.platform,
        "language": inputs.language,
        "tone": inputs.tone,
        "profile": profile_name(profile),
    }


def profile_name(profile: dict[str, Any] | None) -> str:
    if isinstance(profile, dict):
        for key in ("name", "slug"):
            if isinstance(profile.get(key), str) and clip(profile[key], 100):
                return clip(profile[key], 100)
    return "default"


def default_effects() -> dict[str, Any]:
    # Captions on by default: most social video is watched muted.
    return {
        "transition": "crossfade",
        "transition_seconds": 0.3,
        "captions": True,
        "ken_burns": True,
    }


def palette_from(profile: dict[str, Any] | None) -> list[str]:
    """Brand colours from a profile as #RRGGBB, in order, without repeats; defaults if none."""
    raw: Any = None
    if isinstance(profile, dict):
        for key in ("palette", "colours", "colors", "brand_colours", "brand_colors"):
            if profile.get(key):
                raw = profile[key]
                break
    values = list(raw.values()) if isinstance(raw, dict) else raw if isinstance(raw, list) else []
    palette: list[str] = []
    for value in values:
        match = _HEX.match(value.strip()) if isinstance(value, str) else None
        if not match:
            continue
        digits = match.group(1)
        digits = "".join(ch * 2 for ch in digits) if len(digits) == 3 else digits
        colour = f"#{digits.upper()}"
        if colour not in palette:
            palette.append(colour)
    return palette[:8] or list(DEFAULT_PALETTE)


def consistency_for(
    inputs: PlannerInputs, profile: dict[str, Any] | None, style: str = ""
) -> dict[str, Any]:
    """The rules that keep every scene looking and sounding like the same video."""
    profile = profile if isinstance(profile, dict) else {}
    font = profile.get("font")
    width, height = inputs.resolution
    rules = [
        "Use only the palette colours for text, shapes and charts",
        "Use the same font for every title card, chart and caption",
        "Keep on-screen text inside a 5% title-safe margin",
        "Narration leads; music sits under it",
        f"Frame every visual for {inputs.aspect_ratio} at {width}x{height}",
    ]
    for key, template in (("voice", "Brand voice: {}"), ("audience", "Audience: {}")):
        if isinstance(profile.get(key), str) and clip(profile[key], 250):
            rules.append(template.format(clip(profile[key], 250)))
    return {
        "palette": palette_from(profile),
        "font": clip(font, 100) if isinstance(font, str) and clip(font, 100) else DEFAULT_FONT,
        "voice": inputs.language,
        "style": clip(style, 500)
        or f"{inputs.tone.capitalize()} {inputs.platform} video with one palette and one colour grade",
        "rules": rules,
    }
