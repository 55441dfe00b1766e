"""Running the ffmpeg binary that imageio-ffmpeg ships, and reading media back with it."""

from __future__ import annotations

import re
import subprocess
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

STDERR_TAIL = 2000


class RenderError(RuntimeError):
    """ffmpeg failed; the message carries the tail of its error output.

    `permanent`: the same inputs fail the same way (an unreadable file, a bad filter), so
    the step should not be retried; a timeout or a binary that could not start may pass.
    """

    def __init__(self, message: str, stderr_tail: str = "", *, permanent: bool = True) -> None:
        super().__init__(f"{message}\n{stderr_tail}".rstrip())
        self.stderr_tail = stderr_tail
        self.permanent = permanent


@dataclass(frozen=True)
class MediaProbe:
    """What a media file holds, as ffmpeg reports it."""

    duration_seconds: float
    width: int | None
    height: int | None
    fps: float | None
    has_video: bool
    has_audio: bool
    video_codec: str | None
    audio_codec: str | None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@lru_cache(maxsize=1)
def ffmpeg_exe() -> str:
    """Path of the ffmpeg binary bundled with imageio-ffmpeg (or IMAGEIO_FFMPEG_EXE)."""
    import imageio_ffmpeg

    return imageio_ffmpeg.get_ffmpeg_exe()


def _tail(stderr: bytes | str | None) -> str:
    text = stderr.decode("utf-8", "replace") if isinstance(stderr, bytes) else (stderr or "")
    return text.strip()[-STDERR_TAIL:]


# Called, in the thread that runs ffmpeg, each time ffmpeg reports progress (a `-progress`
# block, about twice a second while it works; none while it is stuck). The jobs app adds the
# engine's step heartbeat; the toolkit itself knows nothing of steps.
_progress_listeners: list[Callable[[], None]] = []


def on_progress(listener: Callable[[], None]) -> None:
    """Call `listener()` whenever a running ffmpeg reports progress (added once)."""
    if listener not in _progress_listeners:
        _progress_listeners.append(listener)


def run_ffmpeg(args: list[str], timeout: float = 600.0) -> str:
    """Run ffmpeg with `args` (no shell); returns stderr, raises RenderError on failure.

    ffmpeg writes its progress to stdout (`-progress pipe:1`); each block tells the progress
    listeners that the render moves on.
    """
    command = [ffmpeg_exe(), "-hide_banner", "-nostdin", "-y", "-progress", "pipe:1", *args]
    try:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    except OSError as exc:
        raise RenderError(f"ffmpeg could not start: {exc}", permanent=False) from exc
    chunks: list[bytes] = []
    reader = threading.Thread(target=lambda: chunks.append(process.stderr.read()), daemon=True)
    reader.start()
    expired = threading.Event()

    def expire() -> None:
        expired.set()
        process.kill()

    timer = threading.Timer(timeout, expire)
    timer.daemon = True
    timer.start()
    try:
        for line in process.stdout:  # type: ignore[union-attr]
            if line.startswith(b"progress="):
                for listener in _progress_listeners:
                    listener()
        returncode = process.wait()
    finally:
        timer.cancel()
        if process.poll() is None:
            process.kill()
            process.wait()
        reader.join()
        process.stdout.close()  # type: ignore[union-attr]
        process.stderr.close()  # type: ignore[union-attr]
    stderr = b"".join(chunks).decode("utf-8", "replace")
    if expired.is_set():
        raise RenderError(f"ffmpeg timed out after {timeout:g} s", _tail(stderr), permanent=False)
    if returncode != 0:
        raise RenderError(f"ffmpeg exited with status {returncode}", _tail(stderr))
    return stderr


_DURATION = re.compile(r"Duration:\s*(\d+):(\d+):(\d+(?:\.\d+)?)")
_TIME = re.compile(r"time=\s*(\d+):(\d+):(\d+(?:\.\d+)?)")
_VIDEO = re.compile(r"Stream #\S+.*?: Video: (\w+).*?, (\d{2,5})x(\d{2,5})")
_AUDIO = re.compile(r"Stream #\S+.*?: Audio: (\w+)")
_FPS = re.compile(r"(\d+(?:\.\d+)?) fps")


def _seconds(match: re.Match[str]) -> float:
    hours, minutes, seconds = match.groups()
    return int(hours) * 3600 + int(minutes) * 60 + float(seconds)


def parse_probe(stderr: str) -> MediaProbe:
    """A MediaProbe from ffmpeg's stderr for `-i file -f null -`."""
    input_part = stderr.split("Output #0", 1)[0]
    duration = 0.0
    if match := _DURATION.search(input_part):
        duration = _seconds(match)
    # The last progress line is what was actually decoded: prefer it to the header.
    times = list(_TIME.finditer(stderr))
    if times and _seconds(times[-1]) > 0:
        duration = _seconds(times[-1])
    video = _VIDEO.search(input_part)
    audio = _AUDIO.search(input_part)
    fps = None
    if video:
        line = input_part[video.start() :].splitlines()[0]
        if fps_match := _FPS.search(line):
            fps = float(fps_match.group(1))
    return MediaProbe(
        duration_seconds=round(duration, 3),
        width=int(video.group(2)) if video else None,
        height=int(video.group(3)) if video else None,
        fps=fps,
        has_video=video is not None,
        has_audio=audio is not None,
        video_codec=video.group(1) if video else None,
        audio_codec=audio.group(1) if audio else None,
    )


def probe(path: str | Path, timeout: float = 120.0) -> MediaProbe:
    """Read a media file back: duration, frame size, rate and which streams it carries.

    Streams are copied to the null muxer rather than decoded, so probing a long video is
    quick while the reported duration is still the one actually read from the file.
    """
    path = Path(path)
    if not path.is_file():
        raise RenderError(f"no media file at {path}")
    stderr = run_ffmpeg(["-i", str(path), "-map", "0", "-c", "copy", "-f", "null", "-"], timeout)
    result = parse_probe(stderr)
    if not (result.has_video or result.has_audio):
        raise RenderError(f"no audio or video stream in {path}", _tail(stderr))
    return result
