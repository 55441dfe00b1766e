"""MP4 rendering of still scenes with narration and music, and the Shotstack-style edit."""

from __future__ import annotations

import io
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image, ImageOps

from .ffmpeg import MediaProbe, RenderError, probe, run_ffmpeg
from .images import caption_overlay
from .mix import Cue, mix_soundtrack

MAX_SCENE_SECONDS = 600.0
ZOOM_PER_SECOND = 0.012  # a gentle push-in: about 6% over a five-second scene
MAX_ZOOM = 1.12


@dataclass(frozen=True)
class SceneClip:
    """One scene of a video: a still image held for `duration` seconds."""

    image_png: bytes
    duration: float
    narration_wav: bytes | None = None
    caption: str = ""


def frame_boundaries(durations: Sequence[float], fps: int) -> list[int]:
    """Cumulative frame index at each scene boundary.

    Rounding the running total (not each scene) keeps the video within half a frame of
    the sum of the durations however many scenes there are.
    """
    bounds = [0]
    elapsed = 0.0
    for duration in durations:
        elapsed += duration
        bounds.append(max(bounds[-1] + 1, round(elapsed * fps)))
    return bounds


def _cover(png: bytes, width: int, height: int) -> Image.Image:
    """The scene image scaled and centre-cropped to fill the frame exactly."""
    try:
        with Image.open(io.BytesIO(png)) as source:
            image = source.convert("RGB")
    except (OSError, ValueError) as exc:
        raise RenderError(f"scene image is not a readable image: {exc}") from exc
    if image.size == (width, height):
        return image
    return ImageOps.fit(image, (width, height), Image.Resampling.LANCZOS)


def _validate(scenes: Sequence[SceneClip], width: int, height: int, fps: int) -> None:
    if not scenes:
        raise ValueError("a video needs at least one scene")
    if width % 2 or height % 2 or not (64 <= width <= 3840 and 64 <= height <= 3840):
        raise ValueError(f"video size must be even and within 64..3840, got {width}x{height}")
    if not 1 <= fps <= 60:
        raise ValueError(f"fps must be within 1..60, got {fps}")
    for index, scene in enumerate(scenes):
        if not 0 < scene.duration <= MAX_SCENE_SECONDS:
            raise ValueError(f"scene {index + 1} duration must be in (0, {MAX_SCENE_SECONDS:g}] s")


def _scene_filter(
    index: int,
    image_input: int,
    caption_input: int | None,
    frames: int,
    width: int,
    height: int,
    fps: int,
    ken_burns: bool,
) -> str:
    """One scene: the still pushed in slowly (zoompan), then its caption laid on top."""
    step = ZOOM_PER_SECOND / fps if ken_burns else 0.0
    # The still is supplied at twice the frame size so the slow zoom moves in half pixels.
    zoom = (
        f"[{image_input}:v]zoompan=z='min(1+{step:.6f}*on,{MAX_ZOOM})'"
        f":x='iw/2-iw/zoom/2':y='ih/2-ih/zoom/2':d={frames}:s={width}x{height}:fps={fps},"
        f"setsar=1,format=yuv420p"
    )
    if caption_input is None:
        return f"{zoom}[s{index}]"
    return f"{zoom}[z{index}];[z{index}][{caption_input}:v]overlay=0:0:format=auto,format=yuv420p[s{index}]"


def render_video(
    scenes: Sequence[SceneClip],
    *,
    width: int,
    height: int,
    output_path: str | Path,
    music_wav: bytes | None = None,
    fps: int = 25,
    captions: bool = True,
    music_gain_db: float = -14.0,
    timeout: float = 600.0,
    ken_burns: bool = True,
) -> MediaProbe:
    """Render `scenes` to an H.264/AAC MP4 at `output_path` and return its probe.

    Each still fills the frame (cover crop) with a gentle push-in; captions are drawn with
    Pillow on a legible band; narration starts with its scene; music sits under it. The
    video lasts the sum of the scene durations and always has an audio track.
    """
    width, height, fps = int(width), int(height), int(fps)
    _validate(scenes, width, height, fps)
    output = Path(output_path)
    output.parent.mkdir(parents=True, exist_ok=True)
    bounds = frame_boundaries([s.duration for s in scenes], fps)
    total = bounds[-1] / fps

    with tempfile.TemporaryDirectory(prefix="render-") as tmp:
        work = Path(tmp)
        inputs: list[str] = []
        filters: list[str] = []
        cues: list[Cue] = []
        for index, scene in enumerate(scenes):
            still = work / f"scene-{index:03d}.png"
            scale = 2 if ken_burns else 1
            _cover(scene.image_png, width * scale, height * scale).save(still, compress_level=1)
            inputs += ["-i", str(still)]
            image_input = len(inputs) // 2 - 1
            caption_input = None
            if captions and scene.caption.strip():
                overlay_path = work / f"caption-{index:03d}.png"
                caption_overlay(width, height, scene.caption).save(overlay_path, compress_level=1)
                inputs += ["-i", str(overlay_path)]
                caption_input = len(inputs) // 2 - 1
            frames = bounds[index + 1] - bounds[index]
            filters.append(
                _scene_filter(
                    index, image_input, caption_input, frames, width, height, fps, ken_burns
                )
            )
            if scene.narration_wav:
                cues.append(Cue(bounds[index] / fps, frames / fps, scene.narration_wav))

        soundtrack = work / "soundtrack.wav"
        soundtrack.write_bytes(
            mix_soundtrack(cues, total, music_wav=music_wav, music_gain_db=music_gain_db)
        )
        inputs += ["-i", str(soundtrack)]
        audio_input = len(inputs) // 2 - 1
        labels = "".join(f"[s{i}]" for i in range(len(scenes)))
        filters.append(f"{labels}concat=n={len(scenes)}:v=1:a=0[v]")
        script = work / "filters.txt"
        script.write_text(";\n".join(filters), encoding="utf-8")

        args = [
            *inputs,
            "-/filter_complex", str(script),
            "-map", "[v]",
            "-map", f"{audio_input}:a",
            "-c:v", "libx264", "-preset", "veryfast", "-tune", "stillimage", "-crf", "23",
            "-pix_fmt", "yuv420p", "-r", str(fps), "-g", str(fps * 2),
            "-c:a", "aac", "-b:a", "128k", "-ar", "44100", "-ac", "2",
            "-t", f"{total:.3f}",
            "-movflags", "+faststart",
            str(output),
        ]  # fmt: skip
        run_ffmpeg(args, timeout=timeout)
    return probe(output)


def _aspect(width: int, height: int) -> str:
    from math import gcd

    divisor = gcd(width, height) or 1
    return f"{width // divisor}:{height // divisor}"


def shotstack_timeline(
    scenes_meta: Sequence[Mapping[str, Any]],
    *,
    width: int,
    height: int,
    music_src: str | None = None,
    fps: int = 25,
    background: str = "#000000",
) -> dict[str, Any]:
    """A Shotstack-style edit of the same video, for rendering on a hosted service.

    `scenes_meta` items: {"image_src", "duration", "narration_src"?, "caption"?, "start"?};
    scenes without a start follow the previous one. Tracks are listed top layer first, as
    Shotstack stacks them: captions over images, then narration.
    """
    captions: list[dict[str, Any]] = []
    images: list[dict[str, Any]] = []
    narration: list[dict[str, Any]] = []
    cursor = 0.0
    for meta in scenes_meta:
        length = round(float(meta.get("duration", 0) or 0), 3)
        if length <= 0:
            continue
        start = round(float(meta["start"]) if meta.get("start") is not None else cursor, 3)
        cursor = start + length
        if meta.get("image_src"):
            images.append(
                {
                    "asset": {"type": "image", "src": str(meta["image_src"])},
                    "start": start,
                    "length": length,
                    "fit": "cover",
                    "effect": "zoomInSlow",
                    "transition": {"in": "fade", "out": "fade"},
                }
            )
        caption = str(meta.get("caption") or meta.get("title") or "").strip()
        if caption:
            captions.append(
                {
                    "asset": {
                        "type": "title",
                        "text": caption,
                        "style": "subtitle",
                        "size": "small",
                    },
                    "start": start,
                    "length": length,
                    "position": "bottom",
                }
            )
        if meta.get("narration_src"):
            narration.append(
                {
                    "asset": {"type": "audio", "src": str(meta["narration_src"]), "volume": 1},
                    "start": start,
                    "length": length,
                }
            )
    tracks = [{"clips": clips} for clips in (captions, images, narration) if clips]
    timeline: dict[str, Any] = {"background": background, "tracks": tracks}
    if music_src:
        timeline["soundtrack"] = {"src": music_src, "effect": "fadeInFadeOut", "volume": 0.2}
    return {
        "timeline": timeline,
        "output": {
            "format": "mp4",
            "fps": fps,
            "size": {"width": int(width), "height": int(height)},
            "aspectRatio": _aspect(int(width), int(height)),
        },
    }
