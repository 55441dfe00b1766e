"""The Shotstack-style edit JSON for a manifest, so a hosted renderer can be used instead."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

FPS = 25
MUSIC_VOLUME = 0.25  # the bed sits under the narration


def asset_src(asset_id: str, urls: Mapping[str, str] | None) -> str:
    """Where a renderer finds an asset: its URL once produced, a placeholder until then."""
    return (urls or {}).get(asset_id, f"asset://{asset_id}")


def shotstack_edit(
    manifest: dict[str, Any], urls: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """Tracks (top layer first): on-screen text, visuals, narration; plus the music soundtrack."""
    effects = manifest["effects"]
    fade = {"in": "fade", "out": "fade"} if effects["transition"] != "cut" else None
    text_clips, visual_clips, voice_clips = [], [], []
    voiced = {line["scene_id"]: line["asset_id"] for line in manifest["audio"]["narration"]}
    for scene in manifest["scenes"]:
        start, length = round(scene["start"], 3), round(scene["duration"], 3)
        visual: dict[str, Any] = {
            "asset": {"type": "image", "src": asset_src(scene["visual"]["asset_id"], urls)},
            "start": start,
            "length": length,
            "fit": "cover",
        }
        if effects["ken_burns"] and scene["visual"]["kind"] == "generated_image":
            visual["effect"] = "zoomInSlow"
        if fade:
            visual["transition"] = fade
        visual_clips.append(visual)
        if scene["on_screen_text"] and scene["visual"]["kind"] != "title_card":
            text_clips.append(
                {
                    "asset": {
                        "type": "title",
                        "text": scene["on_screen_text"],
                        "style": "minimal",
                        "position": "bottom",
                    },
                    "start": start,
                    "length": length,
                }
            )
        if scene["id"] in voiced:
            voice_clips.append(
                {
                    "asset": {"type": "audio", "src": asset_src(voiced[scene["id"]], urls)},
                    "start": start,
                    "length": length,
                }
            )
    timeline: dict[str, Any] = {
        "background": manifest["consistency"]["palette"][0],
        "tracks": [{"clips": clips} for clips in (text_clips, visual_clips, voice_clips) if clips],
    }
    music = manifest["audio"]["music"]
    if music:
        timeline["soundtrack"] = {
            "src": asset_src(music[0]["asset_id"], urls),
            "effect": "fadeInFadeOut",
            "volume": MUSIC_VOLUME,
        }
    width = manifest["metadata"]["resolution"]["width"]
    height = manifest["metadata"]["resolution"]["height"]
    return {
        "timeline": timeline,
        "output": {"format": "mp4", "fps": FPS, "size": {"width": width, "height": height}},
    }
