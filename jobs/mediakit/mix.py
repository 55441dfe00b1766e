"""A video's soundtrack: narration placed at each scene's start over a ducked music bed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .wav import fit_length, load, write_wav

SAMPLE_RATE = 44100
CHANNELS = 2
DUCK_LIFT_DB = 6.0  # how much the music rises in gaps between narration
DUCK_SMOOTHING = 0.35  # seconds over which the music dips and recovers
PEAK_CEILING = 0.97


@dataclass(frozen=True)
class Cue:
    """Narration that starts at `start` and must end before `start + length`."""

    start: float
    length: float
    wav: bytes


def _smooth(envelope: np.ndarray, frames: int) -> np.ndarray:
    """A moving average, so gain changes glide instead of stepping."""
    if frames <= 1 or len(envelope) == 0:
        return envelope
    padded = np.pad(
        envelope.astype(np.float64), (frames // 2 + 1, frames - frames // 2 - 1), mode="edge"
    )
    sums = np.cumsum(padded)  # running sums make the average O(n) whatever the window
    return ((sums[frames:] - sums[:-frames]) / frames).astype(np.float32)


def mix_soundtrack(
    cues: Sequence[Cue],
    total_seconds: float,
    *,
    music_wav: bytes | None = None,
    music_gain_db: float = -14.0,
    sample_rate: int = SAMPLE_RATE,
) -> bytes:
    """A stereo WAV of exactly `total_seconds`: narration cues over the music bed.

    Each cue is cut at the end of its slot (with a short fade) so scenes never talk over
    each other. Music plays at `music_gain_db` under narration and a little louder in the
    gaps; it loops when shorter than the video. With neither, the result is silence, so
    a video always has an audio stream.
    """
    frames = max(1, round(total_seconds * sample_rate))
    voice = np.zeros((frames, CHANNELS), dtype=np.float32)
    speaking = np.zeros(frames, dtype=np.float32)
    fade = round(0.03 * sample_rate)
    for cue in cues:
        start = round(cue.start * sample_rate)
        slot = min(round(cue.length * sample_rate), frames - start)
        if slot <= 0:
            continue
        samples = load(cue.wav, sample_rate, CHANNELS)
        if len(samples) > slot:
            samples = fit_length(samples, slot, fade)
        voice[start : start + len(samples)] += samples
        speaking[start : start + len(samples)] = 1.0

    mixed = voice
    if music_wav:
        music = load(music_wav, sample_rate, CHANNELS)
        if len(music):
            repeats = int(np.ceil(frames / len(music)))
            music = np.tile(music, (repeats, 1))[:frames] if repeats > 1 else music[:frames]
            music = fit_length(music, frames)
            base = 10 ** (music_gain_db / 20)
            lifted = 10 ** (min(0.0, music_gain_db + DUCK_LIFT_DB) / 20)
            gain = _smooth(lifted + (base - lifted) * speaking, round(DUCK_SMOOTHING * sample_rate))
            mixed = voice + music * gain[:, None]
    peak = float(np.max(np.abs(mixed))) if len(mixed) else 0.0
    if peak > PEAK_CEILING:
        mixed = mixed * (PEAK_CEILING / peak)
    return write_wav(mixed, sample_rate)
