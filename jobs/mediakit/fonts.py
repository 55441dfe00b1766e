"""The bundled TrueType fonts and the text layout that fits words into a box.

Widths and drawing go through glyphs.py, which falls back per character to Noto Sans CJK and
Noto Color Emoji, so a headline in Japanese or with an emoji measures and draws as real
glyphs. Chinese and Japanese are written without spaces: they may break between any two
characters, except before closing punctuation.
"""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path
from typing import Literal

from PIL import ImageDraw, ImageFont

from .glyphs import draw_text, text_length

FONT_DIR = Path(__file__).resolve().parent / "fonts"
REGULAR = FONT_DIR / "DejaVuSans.ttf"
BOLD = FONT_DIR / "DejaVuSans-Bold.ttf"
LINE_SPACING = 1.22
ELLIPSIS = "…"
_EMOJI_FORMAT = frozenset("\u200d")

Align = Literal["left", "center", "right"]
VAlign = Literal["top", "middle", "bottom"]


def font(size: int, bold: bool = False, family: bytes | None = None) -> ImageFont.FreeTypeFont:
    """The brand's font file `family` at `size` pixels, else the bundled DejaVu Sans.

    A brand font is one weight: `bold` only chooses between the bundled faces.
    """
    if family:
        return _family_face(family, max(1, int(size)))
    return _bundled_face(max(1, int(size)), bold)


@lru_cache(maxsize=256)
def _bundled_face(size: int, bold: bool) -> ImageFont.FreeTypeFont:
    # Cached: loading a face costs ~1 ms.
    return ImageFont.truetype(str(BOLD if bold else REGULAR), size)


@lru_cache(maxsize=128)
def _family_face(family: bytes, size: int) -> ImageFont.FreeTypeFont:
    # bytes hash once and keep it, so the cache key costs nothing after the first call.
    return ImageFont.truetype(io.BytesIO(family), size)


def line_height(face: ImageFont.FreeTypeFont, spacing: float = LINE_SPACING) -> int:
    """Distance between baselines: font size times the spacing factor."""
    return max(1, round(face.size * spacing))


def block_height(face: ImageFont.FreeTypeFont, n_lines: int, spacing: float = LINE_SPACING) -> int:
    """Height of `n_lines` lines; the last line only needs the glyph height, not the gap."""
    if n_lines <= 0:
        return 0
    ascent, descent = face.getmetrics()
    return line_height(face, spacing) * (n_lines - 1) + ascent + descent


def clean_text(text: str) -> str:
    """Collapse whitespace and drop control characters, which fonts draw as boxes.

    The zero-width joiner and tag characters are kept: they build one emoji from several
    (a cook from a woman and a pan, a flag from its tags).
    """
    printable = "".join(
        ch if ch.isprintable() or ch in _EMOJI_FORMAT or "\U000e0020" <= ch <= "\U000e007f" else " "
        for ch in str(text or "")
    )
    return " ".join(printable.split())


# Kana, CJK ideographs and their punctuation and full-width forms (Hangul uses spaces).
_CJK_RANGES = (
    (0x3000, 0x30FF),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),
    (0xFF00, 0xFFEF),
    (0x20000, 0x2FFFF),
)
# Punctuation that must not start a line: it stays with the character before it.
_CLOSING = frozenset("、。，．・：；？！）」』】〕〉》ー…!?,.:;)]}%")


def _is_cjk(ch: str) -> bool:
    code = ord(ch)
    return any(low <= code <= high for low, high in _CJK_RANGES)


def _units(text: str) -> list[tuple[str, str]]:
    """(glue, piece) pairs: words joined by a space, and CJK characters joined by nothing."""
    units: list[tuple[str, str]] = []
    for word in clean_text(text).split(" "):
        if not word:
            continue
        glue = " "
        current = ""
        for ch in word:
            breakable = current and (_is_cjk(ch) or _is_cjk(current[-1])) and ch not in _CLOSING
            if breakable:
                units.append((glue, current))
                glue, current = "", ch
            else:
                current += ch
        units.append((glue, current))
    return units


def _break_word(word: str, face: ImageFont.FreeTypeFont, max_width: float) -> list[str]:
    """Split a word wider than the box (a URL, a hashtag) into pieces that fit."""
    pieces: list[str] = []
    current = ""
    for ch in word:
        if current and text_length(current + ch, face) > max_width:
            pieces.append(current)
            current = ch
        else:
            current += ch
    if current:
        pieces.append(current)
    return pieces


def words_fit(text: str, face: ImageFont.FreeTypeFont, max_width: float) -> bool:
    """True when every word of `text` fits on a line of its own, so none has to be split."""
    return all(text_length(piece, face) <= max_width for _, piece in _units(text))


def wrap_text(text: str, face: ImageFont.FreeTypeFont, max_width: float) -> list[str]:
    """Greedy word wrap of `text` into lines no wider than `max_width` pixels.

    Lines break between words; a single word wider than the box (a URL) is split only
    because nothing else can make it fit. `fit_text` shrinks the type first.
    """
    lines: list[str] = []
    current = ""
    for glue, word in _units(text):
        candidate = f"{current}{glue}{word}" if current else word
        if text_length(candidate, face) <= max_width:
            current = candidate
            continue
        if current:
            lines.append(current)
        if text_length(word, face) <= max_width:
            current = word
        else:
            *whole, current = _break_word(word, face, max_width)
            lines.extend(whole)
    if current:
        lines.append(current)
    return lines


def _ellipsize(line: str, face: ImageFont.FreeTypeFont, max_width: float) -> str:
    """Shorten `line` and end it with an ellipsis so that it fits `max_width`."""
    while line and text_length(line.rstrip() + ELLIPSIS, face) > max_width:
        line = line[:-1]
    return line.rstrip() + ELLIPSIS if line else ""


def fit_text(
    draw: ImageDraw.ImageDraw | None,
    text: str,
    box_w: int,
    box_h: int,
    max_size: int,
    min_size: int = 12,
    bold: bool = False,
    *,
    max_lines: int | None = None,
    spacing: float = LINE_SPACING,
    family: bytes | None = None,
) -> tuple[ImageFont.FreeTypeFont, list[str]]:
    """The largest font between `max_size` and `min_size` at which `text` fits the box.

    Lines break only between words: a size at which some word is wider than the box is
    skipped, so "Slow-steeped" shrinks rather than becoming "Slow-steepe / d". Every returned
    line is at most `box_w` wide and the block is at most `box_h` tall. When the text cannot
    fit even at `min_size`, the last line that fits ends in an ellipsis: a visual must never
    spill off its canvas. `draw` is accepted for symmetry with Pillow calls; measuring uses
    the font itself, which gives the same advances. `family` is a brand font file.
    """
    del draw
    min_size = max(6, min(min_size, max_size))
    size = max_size
    while True:
        face = font(size, bold, family)
        lines = wrap_text(text, face, box_w)
        too_many = max_lines is not None and len(lines) > max_lines
        fits = not too_many and block_height(face, len(lines), spacing) <= box_h
        if fits and (words_fit(text, face, box_w) or size <= min_size):
            return face, lines
        if size <= min_size:
            break
        # Shrink by ~6% per step: fine enough to fill the box, few enough steps to be fast.
        size = max(min_size, min(size - 1, int(size * 0.94)))
    allowed = 0
    while block_height(face, allowed + 1, spacing) <= box_h:
        allowed += 1
    if max_lines is not None:
        allowed = min(allowed, max_lines)
    if allowed == 0:
        return face, []
    if len(lines) > allowed:
        kept = lines[:allowed]
        kept[-1] = _ellipsize(kept[-1] + " " + lines[allowed], face, box_w)
        lines = kept
    return face, lines


def draw_lines(
    draw: ImageDraw.ImageDraw,
    box: tuple[int, int, int, int],
    lines: list[str],
    face: ImageFont.FreeTypeFont,
    fill: tuple[int, ...],
    *,
    align: Align = "left",
    valign: VAlign = "top",
    spacing: float = LINE_SPACING,
) -> tuple[int, int, int, int]:
    """Draw `lines` inside `box` (x, y, w, h); returns the rectangle actually covered."""
    x, y, w, h = box
    total = block_height(face, len(lines), spacing)
    if valign == "middle":
        top = y + (h - total) // 2
    elif valign == "bottom":
        top = y + h - total
    else:
        top = y
    step = line_height(face, spacing)
    left_most, right_most = x + w, x
    for i, line in enumerate(lines):
        width = text_length(line, face)
        if align == "center":
            lx = x + (w - width) / 2
        elif align == "right":
            lx = x + w - width
        else:
            lx = x
        # Anchor "la" puts the ascender line at `top`, so block_height() is the true extent.
        draw_text(draw, (round(lx), top + i * step), line, face, fill, anchor="la")
        left_most, right_most = min(left_most, round(lx)), max(right_most, round(lx + width))
    if not lines:
        return (x, top, 0, 0)
    return (left_most, top, right_most - left_most, total)
