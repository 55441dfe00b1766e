"""Narration with word timings: each sentence spoken on its own and joined, so every word's
start and end are known to within a syllable or so (for captions and for fitting scenes)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .wav import read_wav, write_wav

SENTENCE = re.compile(r"[^.!?…]+(?:[.!?…]+[\"”»’)]*|$)")
SILENCE_LEVEL = 0.02  # of full scale: below this espeak-ng is between words
SENTENCE_GAP = 0.18  # seconds of quiet between sentences, as a reader pauses


@dataclass(frozen=True)
class Word:
    """A spoken word and when it is heard, in seconds from the start of the clip."""

    text: str
    start: float
    end: float

    def as_list(self) -> list[float | str]:
        return [self.text, round(self.start, 3), round(self.end, 3)]


@dataclass(frozen=True)
class Narration:
    """Spoken audio with its words timed; `speech_seconds` ends with the last word heard."""

    wav: bytes
    words: tuple[Word, ...]
    speech_seconds: float


def sentences(text: str) -> list[str]:
    """The text's sentences, stripped, each with at least one letter or digit."""
    found = [m.group(0).strip() for m in SENTENCE.finditer(" ".join(text.split()))]
    return [s for s in found if any(ch.isalnum() for ch in s)]


def _voiced_span(samples: np.ndarray, rate: int) -> tuple[float, float]:
    """Seconds from the first to the last sample above the silence level."""
    level = np.abs(samples).max(axis=1) if samples.ndim > 1 else np.abs(samples)
    loud = np.flatnonzero(level > SILENCE_LEVEL)
    if len(loud) == 0:
        return 0.0, 0.0
    return float(loud[0] / rate), float((loud[-1] + 1) / rate)


def _weight(word: str) -> float:
    """Roughly how long a word takes to say: its letters, plus a pause after punctuation."""
    letters = sum(ch.isalnum() for ch in word)
    pause = 3.0 if word[-1:] in ",;:" else 0.0
    return max(1.0, letters) + 1.0 + pause


def time_words(sentence: str, start: float, end: float) -> list[Word]:
    """The sentence's words spread over [start, end] in proportion to their length."""
    words = sentence.split()
    weights = [_weight(w) for w in words]
    total = sum(weights) or 1.0
    timed, cursor = [], start
    for word, weight in zip(words, weights, strict=True):
        span = (end - start) * weight / total
        timed.append(Word(word, cursor, cursor + span))
        cursor += span
    return timed


def narrate(text: str, speak: Callable[[str], bytes]) -> Narration:
    """Speak `text` sentence by sentence with `speak` (text -> WAV) and time every word.

    Each sentence's voiced span (its audio without leading and trailing quiet) bounds its
    words; inside it words are spread by length. Sentences are joined with a short pause.
    """
    parts: list[np.ndarray] = []
    words: list[Word] = []
    rate = 0
    offset = 0.0
    for number, sentence in enumerate(sentences(text) or [text]):
        samples, sample_rate = read_wav(speak(sentence))
        if rate and sample_rate != rate:
            raise ValueError("speech came back at two different sample rates")
        rate = sample_rate
        if number:
            gap = np.zeros((round(SENTENCE_GAP * rate), samples.shape[1]), dtype=np.float32)
            parts.append(gap)
            offset += len(gap) / rate
        first, last = _voiced_span(samples, rate)
        if last > first:
            words.extend(time_words(sentence, offset + first, offset + last))
        parts.append(samples)
        offset += len(samples) / rate
    audio = np.concatenate(parts) if parts else np.zeros((1, 1), dtype=np.float32)
    speech_end = words[-1].end if words else 0.0
    return Narration(write_wav(audio, rate or 22050), tuple(words), round(speech_end, 3))


def timed_clip(text: str, wav: bytes) -> Narration:
    """Word timings estimated for a clip spoken elsewhere (a hosted voice): the words spread
    over the clip's voiced span in proportion to their length."""
    samples, rate = read_wav(wav)
    first, last = _voiced_span(samples, rate)
    words = time_words(" ".join(text.split()), first, last) if last > first else []
    return Narration(wav, tuple(words), round(words[-1].end, 3) if words else 0.0)
