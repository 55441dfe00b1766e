"""Small helpers for production video: render stills to an MP4 in memory, probe bytes."""

from __future__ import annotations

import tempfile
from pathlib import Path

from jobs.mediakit.ffmpeg import MediaProbe, probe
from jobs.mediakit.music import synthesise_music_bed
from jobs.mediakit.video import SceneClip, frame_boundaries, render_video

FPS = 25


def render_mp4(
    clips: list[SceneClip], width: int, height: int, *, mood: str = "upbeat", seed: int = 0
) -> tuple[bytes, MediaProbe]:
    """The clips as an H.264/AAC MP4 with a music bed, returned as bytes with its probe."""
    total = frame_boundaries([c.duration for c in clips], FPS)[-1] / FPS
    music = synthesise_music_bed(total, mood=mood, seed=seed)
    with tempfile.TemporaryDirectory(prefix="production-") as tmp:
        path = Path(tmp) / "out.mp4"
        info = render_video(
            clips, width=width, height=height, output_path=path, music_wav=music, fps=FPS
        )
        return path.read_bytes(), info


def probe_bytes(data: bytes) -> MediaProbe:
    with tempfile.NamedTemporaryFile(suffix=".mp4") as handle:
        handle.write(data)
        handle.flush()
        return probe(handle.name)
