"""Narration as WAV bytes through the espeak-ng command-line synthesiser."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .wav import WavError, wav_info

ESPEAK = "espeak-ng"
MAX_CHARS = 20_000  # about 50 minutes of speech: far beyond any scene or script
_VOICE = re.compile(r"^[A-Za-z0-9_+\-]{1,40}$")


class SpeechUnavailable(RuntimeError):
    """The espeak-ng binary is not installed, so this machine cannot speak."""


class SpeechError(RuntimeError):
    """espeak-ng ran but did not produce usable audio.

    `permanent`: the same text and voice fail the same way every time (a bad voice, nothing
    to say), so a step should fail at once rather than try again; a timeout is not.
    """

    def __init__(self, message: str, *, permanent: bool = True) -> None:
        super().__init__(message)
        self.permanent = permanent


@dataclass(frozen=True)
class Voice:
    """An espeak-ng voice and delivery: the voice name, words per minute and pitch (0-99)."""

    name: str
    words_per_minute: int = 165
    pitch: int = 50
    # Set when the asked-for language has no espeak-ng voice and English stands in.
    substituted: str = ""


# The language codes the product accepts, as espeak-ng names its voices.
LANGUAGE_VOICES = {
    "en": "en-us",
    "en-us": "en-us",
    "en-gb": "en-gb",
    "es": "es",
    "es-419": "es-419",
    "es-mx": "es-419",
    "fr": "fr-fr",
    "fr-fr": "fr-fr",
    "fr-be": "fr-be",
    "fr-ch": "fr-ch",
    "fr-ca": "fr-fr",
    "de": "de",
    "it": "it",
    "pt": "pt",
    "pt-pt": "pt",
    "pt-br": "pt-br",
    "nl": "nl",
    "pl": "pl",
    "sv": "sv",
    "ja": "ja",
    "zh": "cmn",
    "zh-cn": "cmn",
    "ko": "ko",
    "hi": "hi",
    "ar": "ar",
    "ru": "ru",
    "tr": "tr",
    "vi": "vi",
}
# Deliveries a script or plan may ask for (the voice job's choices, plan tones, and the
# older male/female/neutral): a variant, a pace and a pitch, never a voice name.
DELIVERIES: dict[str, tuple[str, int, int]] = {
    "warm": ("+f3", 155, 45),
    "energetic": ("+m3", 185, 62),
    "calm": ("+f2", 145, 40),
    "authoritative": ("+m1", 155, 35),
    "neutral": ("", 165, 50),
    "male": ("+m3", 165, 45),
    "female": ("+f3", 165, 55),
    "professional": ("", 165, 48),
    "playful": ("+f4", 180, 60),
    "friendly": ("+f3", 165, 52),
}


@lru_cache(maxsize=1)
def installed_voices() -> frozenset[str]:
    """The voice (language) names this machine's espeak-ng knows; empty without espeak-ng."""
    binary = espeak_path()
    if binary is None:
        return frozenset()
    try:
        result = subprocess.run([binary, "--voices"], capture_output=True, timeout=20, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return frozenset()
    lines = result.stdout.decode("utf-8", "replace").splitlines()[1:]
    return frozenset(line.split()[1].lower() for line in lines if len(line.split()) > 1)


def voice_for(delivery: str = "", language: str = "en") -> Voice:
    """The espeak-ng voice for a delivery ("Energetic", "calm") in a plan's language.

    A delivery only picks the variant, pace and pitch; the voice name always comes from the
    language, so "energetic" is never mistaken for a voice. A language espeak-ng cannot
    speak is read in English and `substituted` says so.
    """
    code = str(language or "en").strip().lower().replace("_", "-")
    name = LANGUAGE_VOICES.get(code) or LANGUAGE_VOICES.get(code.split("-")[0]) or code
    substituted = ""
    known = installed_voices()
    if known and name not in known:
        substituted, name = code, "en-us"
    words = " ".join(str(delivery or "").lower().replace("-", " ").split())
    variant, rate, pitch = next(
        (DELIVERIES[w] for w in (words, *words.split()) if w in DELIVERIES), DELIVERIES["neutral"]
    )
    return Voice(name + variant, rate, pitch, substituted)


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
    base = voice.split("+")[0].lower()
    if installed_voices() and base not in installed_voices():
        raise SpeechError(f"espeak-ng has no voice named {voice!r}; use voice_for() to pick one")
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
            raise SpeechError(f"espeak-ng timed out after {timeout:g} s", permanent=False) from exc
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
