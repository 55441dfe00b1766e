"""Audio QC: silence, clipping, a duration far from the plan and an unusual sample rate."""

from __future__ import annotations

import numpy as np

from approvals.qc.findings import Finding, blocking
from jobs.mediakit.wav import WavError, read_wav

SAMPLE_RATES = frozenset({16000, 22050, 24000, 32000, 44100, 48000})
SILENT_RMS = 0.004  # about -48 dBFS
WINDOW_SECONDS = 0.05
MAX_GAP_SECONDS = 2.5
CLIP_LEVEL = 0.999
MAX_CLIPPED_SHARE = 0.001
DURATION_RANGE = (0.6, 1.6)


def _window_rms(mono: np.ndarray, rate: int) -> np.ndarray:
    size = max(1, int(rate * WINDOW_SECONDS))
    usable = len(mono) - len(mono) % size
    if not usable:
        return np.sqrt(np.mean(mono**2, keepdims=True)) if len(mono) else np.zeros(1)
    return np.sqrt(np.mean(mono[:usable].reshape(-1, size) ** 2, axis=1))


def _longest_run(mask: np.ndarray) -> int:
    best = run = 0
    for value in mask:
        run = run + 1 if value else 0
        best = max(best, run)
    return best


def check_samples(samples: np.ndarray, rate: int) -> list[Finding]:
    """Silence and clipping of float samples shaped (frames, channels)."""
    if samples.size == 0:
        return [blocking("silence", "The audio holds no sound at all (zero length).")]
    mono = samples.mean(axis=1) if samples.ndim == 2 else samples
    findings = []
    rms = _window_rms(mono, rate)
    silent = rms < SILENT_RMS
    if silent.mean() > 0.9:
        findings.append(blocking("silence", "The audio is silent."))
    else:
        # Quiet lead-in and tail are normal; a long hole in the middle is not.
        sounding = np.flatnonzero(~silent)
        inner = silent[sounding[0] : sounding[-1] + 1]
        gap = _longest_run(inner) * WINDOW_SECONDS
        if gap >= MAX_GAP_SECONDS:
            findings.append(
                blocking("silence", f"The audio goes silent for {gap:.1f} s in the middle.")
            )
        elif silent.mean() > 0.5:
            findings.append(blocking("silence", f"{silent.mean():.0%} of the audio is silence."))
    clipped = float(np.mean(np.abs(samples) >= CLIP_LEVEL))
    if clipped > MAX_CLIPPED_SHARE:
        findings.append(
            blocking("clipping", f"{clipped:.2%} of the samples are clipped: the sound distorts.")
        )
    return findings


def check_duration(actual: float, expected: float | None, what: str = "the plan") -> list[Finding]:
    if not expected or expected <= 0:
        return []
    low, high = DURATION_RANGE
    if not low <= actual / expected <= high:
        return [
            blocking(
                "duration", f"The audio lasts {actual:.1f} s; {what} calls for {expected:.0f} s."
            )
        ]
    return []


def check_audio(data: bytes, *, expected_seconds: float | None = None) -> list[Finding]:
    try:
        samples, rate = read_wav(data)
    except WavError as exc:
        return [blocking("unreadable", f"The audio cannot be read: {exc}.")]
    findings = []
    if rate not in SAMPLE_RATES:
        findings.append(
            blocking(
                "sample_rate",
                f"The audio is sampled at {rate} Hz; deliverables use 16, 22.05, 24, 32, 44.1 "
                "or 48 kHz.",
            )
        )
    findings += check_samples(samples, rate)
    findings += check_duration(len(samples) / rate if rate else 0.0, expected_seconds)
    return findings
