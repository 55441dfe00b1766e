"""MP4 rendering of still scenes (moving slowly, crossfading, captioned) with narration and
music, as segments that render in parallel and join without re-encoding; and the
Shotstack-style edit."""

from __future__ import annotations

import contextvars
import io
import os
import tempfile
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image, ImageOps

from .captions import Cue, subtitle_frame
from .ffmpeg import MediaProbe, RenderError, probe, run_ffmpeg
from .images import caption_overlay
from .mix import Cue as MixCue
from .mix import mix_soundtrack

MAX_SCENE_SECONDS = 600.0
ZOOM_PER_SECOND = 0.012  # a gentle push-in: about 6% over a five-second scene
MAX_ZOOM = 1.12
# A still made of type (a motion card, a title card, a chart, the end card) only breathes: a
# centred zoom this small keeps its margins (about 4% of the width) on screen, where a pan or
# the full zoom pushed the first letters of a line out of the frame.
TYPE_MAX_LIFT = 0.025
TRANSITION_SECONDS = 0.5  # crossfade between scenes
CAPTION_LIFT = 0.15  # of the height: on-screen text moves up above burned-in subtitles


@dataclass(frozen=True)
class SceneClip:
    """One scene of a video: a still image held for `duration` seconds."""

    image_png: bytes
    duration: float
    narration_wav: bytes | None = None
    caption: str = ""


@dataclass(frozen=True)
class Segment:
    """One scene's stretch of the finished video, rendered on its own and joined later.

    A crossfade belongs to the scene it leaves: the segment's last `fade` frames blend into
    the next scene's first frames, and the next segment starts `fade` frames into its own
    motion (`lead_in`), so the joined video moves without a jump.
    """

    index: int
    image_png: bytes
    frames: int
    lead_in: int = 0
    fade: int = 0
    next_png: bytes | None = None
    next_frames: int = 0  # the next scene's whole motion, lead-in included
    # Frames the next picture is on screen at the segment's end: the crossfade alone (0), or
    # longer when the segment closes on a picture of its own (the end card after a chart).
    tail: int = 0
    caption: str = ""
    next_caption: str = ""
    subtitles: tuple[Cue, ...] = ()  # times relative to the segment's first frame
    # Stills made of type move only by a small centred zoom (see TYPE_MAX_LIFT).
    type_only: bool = False
    next_type_only: bool = False
    # With subtitles burned in anywhere, on-screen text sits higher to leave them room.
    lift_captions: bool = False

    @property
    def motion_frames(self) -> int:
        return self.lead_in + self.frames


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


def plan_segments(
    scenes: Sequence[SceneClip],
    *,
    fps: int,
    transition: float = TRANSITION_SECONDS,
    subtitles: Sequence[Cue] = (),
) -> list[Segment]:
    """The segments of a video: frames per scene, crossfades and each scene's subtitles."""
    bounds = frame_boundaries([s.duration for s in scenes], fps)
    frames = [b - a for a, b in zip(bounds, bounds[1:], strict=False)]
    wanted = max(0, round(transition * fps))
    fades = [
        min(wanted, frames[i] // 3, frames[i + 1] // 3) if i + 1 < len(scenes) else 0
        for i in range(len(scenes))
    ]
    segments = []
    for i, scene in enumerate(scenes):
        start, end = bounds[i] / fps, bounds[i + 1] / fps
        cues = tuple(
            Cue(max(0.0, c.start - start), min(c.end, end) - start, c.text)
            for c in subtitles
            if c.start < end and c.end > start
        )
        following = scenes[i + 1] if i + 1 < len(scenes) else None
        segments.append(
            Segment(
                index=i,
                image_png=scene.image_png,
                frames=frames[i],
                lead_in=fades[i - 1] if i else 0,
                fade=fades[i],
                next_png=following.image_png if following else None,
                next_frames=(fades[i] + frames[i + 1]) if following else 0,
                caption=scene.caption,
                next_caption=following.caption if following else "",
                subtitles=cues,
                lift_captions=bool(subtitles),
            )
        )
    return segments


def _cover(png: bytes, width: int, height: int) -> Image.Image:
    """The scene image scaled and centre-cropped to fill the frame exactly."""
    try:
        with Image.open(io.BytesIO(png)) as source:
            image = source.convert("RGB")
    except (OSError, ValueError) as exc:
        raise RenderError(f"scene image is not a readable image: {exc}") from exc
    if image.size == (width, height):
        return image
    # Bicubic: Lanczos adds nothing visible at these sizes and costs twice the time.
    return ImageOps.fit(image, (width, height), Image.Resampling.BICUBIC)


def _validate(scenes: Sequence[SceneClip], width: int, height: int, fps: int) -> None:
    if not scenes:
        raise ValueError("a video needs at least one scene")
    _check_frame(width, height, fps)
    for index, scene in enumerate(scenes):
        if not 0 < scene.duration <= MAX_SCENE_SECONDS:
            raise ValueError(f"scene {index + 1} duration must be in (0, {MAX_SCENE_SECONDS:g}] s")


def _check_frame(width: int, height: int, fps: int) -> None:
    if width % 2 or height % 2 or not (64 <= width <= 3840 and 64 <= height <= 3840):
        raise ValueError(f"video size must be even and within 64..3840, got {width}x{height}")
    if not 1 <= fps <= 60:
        raise ValueError(f"fps must be within 1..60, got {fps}")


def motion(
    index: int,
    total_frames: int,
    width: int,
    height: int,
    fps: int,
    moving: bool,
    *,
    first: int = 0,
    count: int | None = None,
    type_only: bool = False,
) -> str:
    """A filter chain from the scene's still (at the frame size) to frames first..first+count
    of scene `index`'s motion: a slow push-in, pan right, pull-out or pan left in turn, so
    consecutive stills do not all move alike. Positions are computed on the scene's whole
    motion, so a scene split across two segments moves continuously, and only the frames a
    segment shows are drawn.

    The still is converted to YUV once and repeated (no image decoded per frame); a still
    that does not move is drawn once. A pan is scaled once to its zoom at twice the width
    and each frame crops it and halves its width, so it moves by half pixels.
    """
    span = max(1, total_frames - 1)
    count = total_frames - first if count is None else count
    start = "format=yuv420p"
    repeat = f"loop=loop={max(0, count - 1)}:size=1,setpts=N/{fps}/TB"
    end = "setsar=1,format=yuv420p"
    kind = index % 4
    if not moving:
        return f"{start},{repeat},{end}"
    lift = min(MAX_ZOOM - 1, ZOOM_PER_SECOND * total_frames / fps)
    if type_only:  # a push-in or pull-out in turn, small enough to keep the margins
        kind, lift = 0 if index % 2 == 0 else 2, min(lift, TYPE_MAX_LIFT)
    if kind in (1, 3):  # pan across at a slight zoom, left to right or back
        zoom = 1 + max(lift, 0.04)
        wide = 2 * round(width * zoom)  # two columns per output pixel
        tall = height + 2 * round(height * (zoom - 1) / 2)  # centred on whole rows
        travel = wide - 2 * width
        at = f"({first}+n)/{span}" if kind == 1 else f"(1-({first}+n)/{span})"
        return (
            f"{start},scale={wide}:{tall}:flags=bicubic,"
            f"crop={wide}:{height}:0:{(tall - height) // 2},{repeat},"
            f"crop={2 * width}:{height}:'trunc({travel}*{at})':0:exact=1,"
            f"scale={width}:{height}:flags=bicubic,{end}"
        )
    # A zoom scales the still to the zoomed size each frame (whole pixels, even, so the
    # crop stays centred) and keeps the middle: within half a pixel of the exact zoom.
    # zoompan over a copy twice the size was off by up to 1.4 pixels and cost twice as much.
    # The crop's offset is worked out from the zoom: crop reads iw once, at the first frame.
    at = f"({first}+n)/{span}"
    zoom = f"(1+{lift:.5f}*{at})" if kind == 0 else f"({1 + lift:.5f}-{lift:.5f}*{at})"
    half_w, half_h = f"round({width // 2}*{zoom})", f"round({height // 2}*{zoom})"
    return (
        f"{start},{repeat},scale=w='2*{half_w}':h='2*{half_h}':eval=frame:flags=bicubic,"
        f"crop={width}:{height}:'{half_w}-{width // 2}':'{half_h}-{height // 2}':exact=1,{end}"
    )


def render_segment(
    segment: Segment,
    *,
    width: int,
    height: int,
    output_path: str | Path,
    fps: int = 25,
    ken_burns: bool = True,
    captions: bool = True,
    timeout: float = 600.0,
    threads: int = 1,
) -> MediaProbe:
    """Render one segment to a silent H.264 MP4 that starts on a keyframe, so segments of
    the same size and rate join without re-encoding.

    `threads`: the encoder's threads; one when scenes render side by side (more threads
    than cores only take turns), more when this render has the machine to itself."""
    _check_frame(width, height, fps)
    output = Path(output_path)
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="segment-") as tmp:
        work = Path(tmp)
        inputs: list[str] = []

        def add_input(image: Image.Image, name: str) -> int:
            # Opaque stills travel as BMP (nothing to compress or inflate), layers as PNG.
            if image.mode == "RGB":
                path = work / f"{name}.bmp"
                image.save(path)
            else:
                path = work / f"{name}.png"
                image.save(path, compress_level=1)
            # At the video's rate: a repeated still's frames then carry the video's time base,
            # which xfade and concat need alike on both sides.
            inputs.extend(["-framerate", str(fps), "-i", str(path)])
            return len(inputs) // 4 - 1

        def add_layer(layer: Image.Image, name: str) -> tuple[int, int, int] | None:
            # Only the drawn part of a full-frame layer travels, and it is blended in YUV
            # ("format=auto" converted every frame to RGB and back: most of a scene's time).
            box = layer.getbbox()
            if box is None:
                return None
            return add_input(layer.crop(box), name), box[0], box[1]

        def scene_chain(
            png: bytes,
            index: int,
            total: int,
            first: int,
            count: int,
            caption: str,
            label: str,
            type_only: bool,
        ) -> str:
            still = add_input(_cover(png, width, height), f"still-{label}")
            moves = motion(
                index,
                total,
                width,
                height,
                fps,
                ken_burns,
                first=first,
                count=count,
                type_only=type_only,
            )
            chain = f"[{still}:v]{moves}[{label}m]"
            layer = (
                add_layer(caption_overlay(width, height, caption), f"caption-{label}")
                if captions and caption.strip()
                else None
            )
            if layer is not None:
                overlay, left, top = layer
                top -= round(height * CAPTION_LIFT) if segment.lift_captions else 0
                chain += f";[{label}m][{overlay}:v]overlay={left}:{top}:format=yuv420,format=yuv420p[{label}m2]"
                return chain + f";[{label}m2]null[{label}]"
            return chain + f";[{label}m]null[{label}]"

        filters = [
            scene_chain(
                segment.image_png,
                segment.index,
                segment.motion_frames,
                segment.lead_in,
                segment.frames,
                segment.caption,
                "base",
                segment.type_only,
            )
        ]
        current = "base"
        if segment.fade and segment.next_png is not None:
            shown = max(segment.fade, segment.tail)
            filters.append(
                scene_chain(
                    segment.next_png,
                    segment.index + 1,
                    max(segment.next_frames, shown),
                    0,
                    shown,
                    segment.next_caption,
                    "next",
                    segment.next_type_only,
                )
            )
            # xfade costs as much per frame it passes as per frame it blends: it sees only
            # the segment's tail, and the frames before it are joined back on (concat).
            held = segment.frames - shown
            filters.append(
                f"[base]split[head][tail];[head]trim=end_frame={held}[early];"
                f"[tail]trim=start_frame={held},setpts=PTS-STARTPTS[late];"
                f"[late][next]xfade=transition=fade:duration={segment.fade / fps:.4f}"
                f":offset=0,format=yuv420p[closing];"
                f"[early][closing]concat=n=2:v=1:a=0,format=yuv420p[faded]"
                if held > 0
                else f"[base][next]xfade=transition=fade:duration={segment.fade / fps:.4f}"
                f":offset=0,format=yuv420p[faded]"
            )
            current = "faded"
        for number, cue in enumerate(segment.subtitles):
            layer = add_layer(subtitle_frame(width, height, cue.text), f"cue-{number}")
            if layer is None:
                continue
            index, left, top = layer
            filters.append(
                f"[{current}][{index}:v]overlay={left}:{top}:format=yuv420"
                f":enable='between(t,{cue.start:.3f},{cue.end:.3f})',format=yuv420p[sub{number}]"
            )
            current = f"sub{number}"
        script = work / "filters.txt"
        script.write_text(";\n".join(filters), encoding="utf-8")
        args = [
            "-filter_complex_threads", str(max(1, threads)),
            *inputs,
            "-/filter_complex", str(script),
            "-map", f"[{current}]",
            "-frames:v", str(segment.frames),
            # ultrafast at a constant QP: the cheapest x264 settings per frame. QP 20 is what
            # CRF 23 chose for these slow-moving stills (about 2 Mbit/s at 720p), without the
            # half-size analysis CRF runs on every frame (a quarter of the encoding time).
            "-c:v", "libx264", "-preset", "ultrafast", "-qp", "20",
            "-pix_fmt", "yuv420p", "-r", str(fps), "-g", str(fps * 2),
            "-video_track_timescale", str(fps * 512), "-threads", str(max(1, threads)),
            "-an", str(output),
        ]  # fmt: skip
        run_ffmpeg(args, timeout=timeout)
    return probe(output)


def join_segments(
    segment_paths: Sequence[str | Path],
    soundtrack_wav: bytes,
    *,
    output_path: str | Path,
    total_seconds: float,
    timeout: float = 600.0,
) -> MediaProbe:
    """The segments back to back with the soundtrack: the video stream is copied as it is
    (the concat demuxer), only the audio is encoded."""
    if not segment_paths:
        raise ValueError("a video needs at least one segment")
    output = Path(output_path)
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="join-") as tmp:
        work = Path(tmp)
        listing = work / "segments.txt"
        listing.write_text(
            "".join(f"file '{Path(p).resolve().as_posix()}'\n" for p in segment_paths),
            encoding="utf-8",
        )
        soundtrack = work / "soundtrack.wav"
        soundtrack.write_bytes(soundtrack_wav)
        args = [
            "-f", "concat", "-safe", "0", "-i", str(listing),
            "-i", str(soundtrack),
            "-map", "0:v", "-map", "1:a",
            "-c:v", "copy",
            # The fast AAC coder: a third less time than the default two-loop search, and
            # the audio is the only stream encoded here.
            "-c:a", "aac", "-aac_coder", "fast", "-b:a", "128k", "-ar", "44100", "-ac", "2",
            "-t", f"{total_seconds:.3f}",
            "-movflags", "+faststart",
            str(output),
        ]  # fmt: skip
        run_ffmpeg(args, timeout=timeout)
    return probe(output)


def soundtrack_for(
    scenes: Sequence[SceneClip],
    *,
    fps: int,
    music_wav: bytes | None = None,
    music_gain_db: float = -14.0,
) -> tuple[bytes, float]:
    """The mixed soundtrack (narration at each scene's first frame, music under it) and the
    video's length in seconds."""
    bounds = frame_boundaries([s.duration for s in scenes], fps)
    cues = [
        MixCue(bounds[i] / fps, (bounds[-1] - bounds[i]) / fps, scene.narration_wav)
        for i, scene in enumerate(scenes)
        if scene.narration_wav
    ]
    total = bounds[-1] / fps
    return mix_soundtrack(cues, total, music_wav=music_wav, music_gain_db=music_gain_db), total


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
    transition: float = TRANSITION_SECONDS,
    subtitles: Sequence[Cue] = (),
    parallel: int = 2,
) -> MediaProbe:
    """Render `scenes` to an H.264/AAC MP4 at `output_path` and return its probe.

    Each still fills the frame (cover crop) and moves slowly; scenes crossfade into each
    other; on-screen text is drawn on a legible band and `subtitles` (video times) are
    burned in; narration starts with its scene and is never cut; music sits under it. The
    segments render `parallel` at a time and are joined without re-encoding the picture.
    """
    width, height, fps = int(width), int(height), int(fps)
    _validate(scenes, width, height, fps)
    segments = plan_segments(scenes, fps=fps, transition=transition, subtitles=subtitles)
    soundtrack, total = soundtrack_for(
        scenes, fps=fps, music_wav=music_wav, music_gain_db=music_gain_db
    )
    at_once = max(1, min(parallel, len(segments)))
    threads = max(1, (os.cpu_count() or 1) // at_once)  # the cores shared among the renders
    with tempfile.TemporaryDirectory(prefix="render-") as tmp:
        paths = [Path(tmp) / f"segment-{s.index:03d}.mp4" for s in segments]

        def render(pair: tuple[Segment, Path]) -> MediaProbe:
            segment, path = pair
            return render_segment(
                segment,
                width=width,
                height=height,
                output_path=path,
                fps=fps,
                ken_burns=ken_burns,
                captions=captions,
                timeout=timeout,
                threads=threads,
            )

        with ThreadPoolExecutor(max_workers=at_once) as pool:
            # Each render runs in a copy of this thread's context, so ffmpeg's progress
            # reaches whoever listens here (a step's heartbeat).
            renders = [
                pool.submit(contextvars.copy_context().run, render, pair)
                for pair in zip(segments, paths, strict=True)
            ]
            for done in renders:
                done.result()
        return join_segments(
            paths, soundtrack, output_path=output_path, total_seconds=total, timeout=timeout
        )


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
