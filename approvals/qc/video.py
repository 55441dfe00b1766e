"""Video QC with ffmpeg: duration against the plan, black or frozen stretches, a missing or
silent audio track, audio and picture of different lengths, and the resolution.

The picture is sampled at SAMPLE_FPS as small grey frames, which is enough to tell a held
black screen or a frozen image from a slow push-in on a still (the renderer's Ken Burns
move changes a 64-pixel thumbnail visibly within a second).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np

from approvals.qc.audio import check_samples
from approvals.qc.brief import ASPECTS, Brief
from approvals.qc.findings import Finding, blocking
from jobs.mediakit.ffmpeg import MediaProbe, RenderError, ffmpeg_exe, probe

SAMPLE_FPS = 2
THUMB = (64, 36)
AUDIO_RATE = 16000
BLACK_LEVEL = 12.0
MAX_BLACK_SECONDS = 1.0
FROZEN_DIFF = 0.6  # mean grey-level drift (0-255) that counts as movement
MAX_FROZEN_SECONDS = 4.0
MAX_AV_GAP = 1.0
MIN_SHORT_SIDE = 240
TIMEOUT = 120.0


def _decode(args: list[str]) -> bytes:
    command = [ffmpeg_exe(), "-hide_banner", "-nostdin", "-loglevel", "error", *args]
    result = subprocess.run(command, capture_output=True, timeout=TIMEOUT, check=False)
    if result.returncode != 0:
        raise RenderError("ffmpeg could not decode the file", result.stderr.decode()[-500:])
    return result.stdout


def frames(path: Path) -> np.ndarray:
    """Grey thumbnails sampled SAMPLE_FPS times a second, shaped (n, height, width)."""
    w, h = THUMB
    raw = _decode(
        [
            "-i",
            str(path),
            "-an",
            "-vf",
            f"fps={SAMPLE_FPS},scale={w}:{h},format=gray",
            "-f",
            "rawvideo",
            "-",
        ]
    )
    return np.frombuffer(raw, dtype=np.uint8).reshape(-1, h, w).astype(np.float32)


def audio_track(path: Path) -> np.ndarray:
    raw = _decode(["-i", str(path), "-vn", "-ac", "1", "-ar", str(AUDIO_RATE), "-f", "s16le", "-"])
    return np.frombuffer(raw, dtype="<i2").astype(np.float32) / 32768


def _runs(mask: np.ndarray) -> int:
    best = run = 0
    for value in mask:
        run = run + 1 if value else 0
        best = max(best, run)
    return best


def _longest_hold(thumbs: np.ndarray, black: np.ndarray) -> int:
    """The most samples in a row that stay within FROZEN_DIFF of the first of them.

    Measured against the start of the run, not frame to frame, so a slow push-in adds up
    and ends the run while encoder noise (which does not add up) does not.
    """
    best, start = 1, 0
    for index in range(1, len(thumbs)):
        drift = float(np.abs(thumbs[index] - thumbs[start]).mean())
        if drift >= FROZEN_DIFF or black[index]:
            start = index
        best = max(best, index - start + 1) if not black[start] else best
    return best


def check_picture(thumbs: np.ndarray) -> list[Finding]:
    findings = []
    if not len(thumbs):
        return [blocking("unreadable", "The video has no picture that can be decoded.")]
    black = (thumbs.mean(axis=(1, 2)) < BLACK_LEVEL) & (thumbs.std(axis=(1, 2)) < 6)
    black_seconds = _runs(black) / SAMPLE_FPS
    if black_seconds > MAX_BLACK_SECONDS:
        findings.append(
            blocking("black_frames", f"The picture is black for {black_seconds:.1f} s.")
        )
    if len(thumbs) > 1:
        frozen_seconds = _longest_hold(thumbs, black) / SAMPLE_FPS
        if frozen_seconds > MAX_FROZEN_SECONDS:
            findings.append(
                blocking("frozen_frames", f"The picture is frozen for {frozen_seconds:.1f} s.")
            )
    return findings


def check_format(info: MediaProbe, brief: Brief) -> list[Finding]:
    findings = []
    if info.width and info.height:
        aspect = ASPECTS.get(brief.aspect_ratio)
        if aspect and abs(info.width / info.height - aspect) / aspect > 0.02:
            findings.append(
                blocking(
                    "resolution",
                    f"The video is {info.width}×{info.height}, not the {brief.aspect_ratio} "
                    "the brief asks for.",
                )
            )
        if min(info.width, info.height) < MIN_SHORT_SIDE:
            findings.append(
                blocking(
                    "resolution",
                    f"The video is only {info.width}×{info.height}: too small to publish.",
                )
            )
    plan = brief.duration_seconds
    if plan and abs(info.duration_seconds - plan) > max(2.0, 0.15 * plan):
        findings.append(
            blocking(
                "duration",
                f"The video lasts {info.duration_seconds:.1f} s; the plan is {plan:.0f} s.",
            )
        )
    return findings


def check_video(path: str | Path, brief: Brief) -> list[Finding]:
    path = Path(path)
    try:
        info = probe(path)
        thumbs = frames(path) if info.has_video else np.zeros((0, 1, 1), np.float32)
        sound = audio_track(path) if info.has_audio else np.zeros(0, np.float32)
    except (RenderError, subprocess.TimeoutExpired, ValueError) as exc:
        return [blocking("unreadable", f"The video cannot be read: {str(exc).splitlines()[0]}")]
    findings = check_format(info, brief)
    if not info.has_video:
        findings.append(blocking("unreadable", "The file has no video stream."))
    else:
        findings += check_picture(thumbs)
    if not info.has_audio:
        findings.append(blocking("missing_audio", "The video has no audio track."))
        return findings
    findings += [
        f for f in check_samples(sound[:, None], AUDIO_RATE) if f.check in ("silence", "clipping")
    ]
    if len(thumbs):
        picture = len(thumbs) / SAMPLE_FPS
        audio = len(sound) / AUDIO_RATE
        if abs(picture - audio) > MAX_AV_GAP:
            findings.append(
                blocking(
                    "av_length",
                    f"The sound lasts {audio:.1f} s and the picture {picture:.1f} s.",
                )
            )
    return findings
