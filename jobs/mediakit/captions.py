"""Captions from timed words: cues of a few words each, written as SRT and WebVTT, and
drawn as transparent subtitle frames for burning into a video."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PIL import Image, ImageDraw

from .fonts import font, wrap_text
from .glyphs import draw_text, text_length

MAX_CUE_CHARS = 42  # one comfortable subtitle line
MAX_CUE_WORDS = 8
MAX_CUE_SECONDS = 4.0
MIN_CUE_SECONDS = 0.6
ORPHAN_ROOM = 12  # characters a cue may run over to keep a sentence's last word


@dataclass(frozen=True)
class Cue:
    """A caption shown from `start` to `end` seconds of the video."""

    start: float
    end: float
    text: str


def cues_from_words(words: Sequence[tuple[str, float, float]]) -> list[Cue]:
    """Words (text, start, end) grouped into cues that break at sentence ends and stay short."""
    cues: list[Cue] = []
    group: list[tuple[str, float, float]] = []

    def flush() -> None:
        if group:
            text = " ".join(w[0] for w in group)
            cues.append(Cue(group[0][1], max(group[-1][2], group[0][1] + MIN_CUE_SECONDS), text))
            group.clear()

    for word in words:
        if group:
            text = " ".join(w[0] for w in group) + " " + word[0]
            too_long = len(text) > MAX_CUE_CHARS or len(group) >= MAX_CUE_WORDS
            too_slow = word[2] - group[0][1] > MAX_CUE_SECONDS
            # A sentence's last word stays with its cue rather than standing alone.
            last_word = word[0][-1:] in ".!?…" and len(text) <= MAX_CUE_CHARS + ORPHAN_ROOM
            after_comma = group[-1][0][-1:] in ",;:" and len(text) > MAX_CUE_CHARS * 0.6
            if ((too_long or too_slow) and not last_word) or after_comma:
                flush()
        group.append(word)
        if word[0][-1:] in ".!?…":
            flush()
    flush()
    # A minimum length must not run a cue into the next one.
    return [
        Cue(c.start, min(c.end, nxt.start) if nxt else c.end, c.text)
        for c, nxt in zip(cues, [*cues[1:], None], strict=True)
    ]


def _clock(seconds: float, separator: str) -> str:
    millis = max(0, round(seconds * 1000))
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    secs, millis = divmod(millis, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{separator}{millis:03d}"


def to_srt(cues: Sequence[Cue]) -> str:
    """SubRip text: numbered cues, comma before the milliseconds."""
    blocks = [
        f"{n}\n{_clock(c.start, ',')} --> {_clock(c.end, ',')}\n{c.text}"
        for n, c in enumerate(cues, start=1)
    ]
    return "\n\n".join(blocks) + "\n" if blocks else ""


def to_vtt(cues: Sequence[Cue]) -> str:
    """WebVTT text: the header, then cues with a dot before the milliseconds."""
    blocks = [f"{_clock(c.start, '.')} --> {_clock(c.end, '.')}\n{c.text}" for c in cues]
    return "WEBVTT\n\n" + "\n\n".join(blocks) + ("\n" if blocks else "")


def subtitle_frame(width: int, height: int, text: str) -> Image.Image:
    """A transparent frame with `text` in white on a dark box near the bottom edge."""
    layer = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    size = max(14, round(min(width, height) * 0.042))
    face = font(size, bold=True)
    lines = wrap_text(text, face, width * 0.84)[:2]
    draw = ImageDraw.Draw(layer)
    line_height = round(size * 1.3)
    bottom = height - round(height * 0.05)
    top = bottom - line_height * len(lines)
    for number, line in enumerate(lines):
        y = top + number * line_height
        text_width = text_length(line, face)
        x = (width - text_width) / 2
        pad = round(size * 0.35)
        draw.rectangle(
            (x - pad, y - pad / 2, x + text_width + pad, y + line_height - pad / 3),
            fill=(0, 0, 0, 170),
        )
        draw_text(draw, (x, y), line, face, (255, 255, 255, 255))
    return layer
