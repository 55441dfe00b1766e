"""Narration as WAV bytes through the espeak-ng command-line synthesiser."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from .wav import WavError, wav_info

ESPEAK = "espeak-ng"
MAX_CHARS = 20_000  # about 50 minutes of speech: far beyond any scene or script
_VOICE = re.compile(r"^[A-Za-z0-9_+\-]{1,40}$")


class SpeechUnavailable(RuntimeError):
    """The espeak-ng binary is not installed, so this machine cannot speak."""


class SpeechError(RuntimeError):
    """espeak-ng ran but did not produce usable audio."""


def espeak_path() -> str | None:
    return shutil.which(ESPEAK)


def espeak_available() -> bool:
    """Whether the espeak-ng binary is on PATH."""
    return espeak_path() is not None


def speakable(text: str) -> str:
    """Text safe to hand to the synthesiser: printable, single-spaced, bounded in length."""
    cleaned = "".join(ch if ch.isprintable() else " " for ch in str(text or ""))
    return " ".join(cleaned.split())[:MAX_CHARS]


def synthesise_speech(
    text: str,
    *,
    voice: str = "en-us",
    words_per_minute: int = 165,
    pitch: int | None = None,
    timeout: float = 120.0,
) -> bytes:
    """Spoken `text` as WAV bytes (espeak-ng's own 22.05 kHz mono 16-bit).

    The text travels through a file, never through a shell or an argument, so quotes,
    leading dashes and markup-like characters are read, not interpreted.
    """
    binary = espeak_path()
    if binary is None:
        raise SpeechUnavailable(
            "espeak-ng is not installed; install the 'espeak-ng' package to produce narration"
        )
    words = speakable(text)
    if not any(ch.isalnum() for ch in words):
        raise SpeechError("nothing speakable in the narration text")
    if not _VOICE.match(voice):
        raise SpeechError(f"invalid voice name: {voice!r}")
    rate = min(450, max(80, int(words_per_minute)))
    with tempfile.TemporaryDirectory(prefix="speech-") as tmp:
        text_path = Path(tmp) / "text.txt"
        wav_path = Path(tmp) / "speech.wav"
        text_path.write_text(words, encoding="utf-8")
        args = [binary, "-v", voice, "-s", str(rate), "-w", str(wav_path), "-f", str(text_path)]
        if pitch is not None:
            args[1:1] = ["-p", str(min(99, max(0, int(pitch))))]
        try:
            result = subprocess.run(args, capture_output=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired as exc:
            raise SpeechError(f"espeak-ng timed out after {timeout:g} s") from exc
        stderr = result.stderr.decode("utf-8", "replace").strip()
        if result.returncode != 0:
            raise SpeechError(f"espeak-ng failed ({result.returncode}): {stderr[-500:]}")
        if not wav_path.exists():
            raise SpeechError(f"espeak-ng wrote no audio: {stderr[-500:]}")
        audio = wav_path.read_bytes()
    try:
        if wav_info(audio)["duration_seconds"] <= 0:
            raise SpeechError("espeak-ng produced an empty recording")
    except WavError as exc:
        raise SpeechError(f"espeak-ng produced unreadable audio: {exc}") from exc
    return audio
