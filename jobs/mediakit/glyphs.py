"""Font fallback per character, so CJK text and emoji draw as real glyphs, never as boxes.

A line of text is cut into runs, each drawn with the first font that has a glyph for its
characters: the chosen face (bundled DejaVu Sans or the brand's font), then Noto Sans CJK,
then Noto Color Emoji. Emoji prefer the colour font. The colour font holds bitmaps at one
size only (109 px), so its runs are drawn at that size and scaled to the line's size.
Coverage is read from the font itself: a character is covered when its glyph differs from
the empty box the font draws for a code point it lacks.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

# Debian's fonts-noto-cjk and fonts-noto-color-emoji (scripts/system-deps.sh installs them).
NOTO_DIRS = (
    Path("/usr/share/fonts/opentype/noto"),
    Path("/usr/share/fonts/truetype/noto"),
    Path("/usr/share/fonts/noto"),
    Path("/usr/local/share/fonts"),
)
CJK_FILES = {False: "NotoSansCJK-Regular.ttc", True: "NotoSansCJK-Bold.ttc"}
EMOJI_FILE = "NotoColorEmoji.ttf"
EMOJI_STRIKE = 109  # the only size the colour emoji bitmaps come in
MISSING = "\U000f0000"  # a private-use code point no font maps: its glyph is the empty box

# Characters that join the run before them: zero-width joiner, variation selectors, skin
# tones, the keycap mark and tag characters (flag sequences).
_JOINERS = frozenset(
    {0x200D, 0xFE0E, 0xFE0F, 0x20E3, *range(0x1F3FB, 0x1F400), *range(0xE0020, 0xE0080)}
)
# Symbols below U+1F000 that show as emoji by default (Unicode's Emoji_Presentation).
_BMP_EMOJI = frozenset(
    {
        *range(0x231A, 0x231C),
        *range(0x23E9, 0x23ED),
        0x23F0,
        0x23F3,
        *range(0x25FD, 0x25FF),
        *range(0x2614, 0x2616),
        *range(0x2648, 0x2654),
        0x267F,
        0x2693,
        0x26A1,
        *range(0x26AA, 0x26AC),
        *range(0x26BD, 0x26BF),
        *range(0x26C4, 0x26C6),
        0x26CE,
        0x26D4,
        0x26EA,
        *range(0x26F2, 0x26F4),
        0x26F5,
        0x26FA,
        0x26FD,
        0x2705,
        *range(0x270A, 0x270C),
        0x2728,
        0x274C,
        0x274E,
        *range(0x2753, 0x2756),
        0x2757,
        *range(0x2795, 0x2798),
        0x27B0,
        0x27BF,
        *range(0x2B1B, 0x2B1D),
        0x2B50,
        0x2B55,
    }
)


def _find(name: str) -> Path | None:
    for folder in NOTO_DIRS:
        path = folder / name
        if path.is_file():
            return path
    return None


@lru_cache(maxsize=256)
def cjk_face(size: int, bold: bool = False) -> ImageFont.FreeTypeFont | None:
    """Noto Sans CJK at `size`, or None when the font is not installed."""
    path = _find(CJK_FILES[bold]) or _find(CJK_FILES[False])
    return ImageFont.truetype(str(path), size, index=0) if path else None


@lru_cache(maxsize=1)
def emoji_face() -> ImageFont.FreeTypeFont | None:
    """Noto Color Emoji at its bitmap size, or None when it is not installed."""
    path = _find(EMOJI_FILE)
    return ImageFont.truetype(str(path), EMOJI_STRIKE) if path else None


def installed() -> dict[str, bool]:
    """Which fallback fonts this machine has, for setup checks and test skips."""
    return {"cjk": cjk_face(24) is not None, "emoji": emoji_face() is not None}


def _key(face: ImageFont.FreeTypeFont) -> tuple[str, str]:
    # Coverage does not depend on the size, so one answer serves every size of a face.
    return face.getname()  # type: ignore[return-value]


@lru_cache(maxsize=64)
def _box_mask(key: tuple[str, str], size: int, face: ImageFont.FreeTypeFont) -> bytes:
    del key, size
    return bytes(face.getmask(MISSING))


@lru_cache(maxsize=1 << 16)
def _covers(key: tuple[str, str], char: str, face: ImageFont.FreeTypeFont) -> bool:
    if face is emoji_face():
        left, top, right, bottom = face.getbbox(char)
        return bottom > top and right > left
    return bytes(face.getmask(char)) != _box_mask(key, face.size, face)


def covers(face: ImageFont.FreeTypeFont, char: str) -> bool:
    """Whether `face` has a real glyph for `char` (not its empty box)."""
    return _covers(_key(face), char, face)


def is_emoji(char: str) -> bool:
    code = ord(char)
    return code >= 0x1F000 and code < 0x1FB00 or code in _BMP_EMOJI


def _joins(char: str) -> bool:
    return ord(char) in _JOINERS


def drawable(char: str, primary: ImageFont.FreeTypeFont | None = None) -> bool:
    """Whether some font of the chain has a glyph for `char` (the primary face, when given,
    then the bundled faces, Noto Sans CJK and Noto Color Emoji)."""
    if char.isspace() or _joins(char):
        return True
    return _face_for(char, primary or _reference(), None) is not None


@lru_cache(maxsize=1)
def _reference() -> ImageFont.FreeTypeFont:
    from .fonts import font

    return font(32)


def _is_bold(face: ImageFont.FreeTypeFont) -> bool:
    return "bold" in str(face.getname()[1]).lower()


def _face_for(
    char: str,
    primary: ImageFont.FreeTypeFont,
    previous: ImageFont.FreeTypeFont | None,
    wants_emoji: bool = False,
) -> ImageFont.FreeTypeFont | None:
    """The face that draws `char`, or None when no installed font has it."""
    emoji = emoji_face()
    if emoji is not None and (wants_emoji or is_emoji(char)) and covers(emoji, char):
        return emoji
    if covers(primary, char):
        return primary
    if previous is not None and previous is not primary and covers(previous, char):
        return previous
    cjk = cjk_face(primary.size, _is_bold(primary))
    if cjk is not None and covers(cjk, char):
        return cjk
    if emoji is not None and covers(emoji, char):
        return emoji
    return None


@dataclass(frozen=True)
class Run:
    """Consecutive characters drawn with one face; `scale` sizes a colour-emoji run."""

    text: str
    face: ImageFont.FreeTypeFont
    scale: float = 1.0

    @property
    def colour(self) -> bool:
        return self.face is emoji_face()

    def length(self) -> float:
        return self.face.getlength(self.text) * self.scale


def runs(text: str, primary: ImageFont.FreeTypeFont) -> list[Run]:
    """`text` cut into runs by the face that can draw each character.

    Spaces, joiners and combining marks stay with the run before them; a character no font
    has stays with the primary face (and QC reports it).
    """
    pieces: list[list] = []
    for i, char in enumerate(text):
        attach = pieces and (
            _joins(char)
            or unicodedata.category(char) in ("Mn", "Me")
            or (char.isspace() and pieces[-1][1] is not emoji_face())
        )
        if attach:
            pieces[-1][0] += char
            continue
        previous = pieces[-1][1] if pieces else None
        # A symbol followed by VS16 asks for its emoji form (U+2764 U+FE0F is a red heart).
        wants_emoji = text[i + 1 : i + 2] == "\ufe0f"
        face = primary if char.isspace() else _face_for(char, primary, previous, wants_emoji)
        face = face or primary
        if pieces and pieces[-1][1] is face:
            pieces[-1][0] += char
        else:
            pieces.append([char, face])
    emoji_scale = primary.size / EMOJI_STRIKE
    return [Run(t, f, emoji_scale if f is emoji_face() else 1.0) for t, f in pieces]


def text_length(text: str, face: ImageFont.FreeTypeFont) -> float:
    """The advance width of `text` drawn with fallback: what the renderer will use."""
    parts = runs(text, face)
    if not parts or len(parts) == 1 and parts[0].face is face:
        return face.getlength(text)
    return sum(part.length() for part in parts)


def draw_text(
    draw: ImageDraw.ImageDraw,
    xy: tuple[float, float],
    text: str,
    face: ImageFont.FreeTypeFont,
    fill: tuple[int, ...] | str,
    *,
    anchor: str = "la",
) -> None:
    """Draw `text` at `xy` (anchor "la": left edge, ascender line), falling back per run.

    Text the primary face covers is one ordinary draw.text call. Otherwise every run sits
    on the primary face's baseline; colour emoji are drawn at their bitmap size and scaled.
    """
    parts = runs(text, face)
    if not parts or len(parts) == 1 and parts[0].face is face:
        draw.text(xy, text, font=face, fill=fill, anchor=anchor)
        return
    if anchor != "la":
        raise ValueError("Fallback text is drawn from its top-left corner (anchor 'la').")
    x, top = xy
    baseline = top + face.getmetrics()[0]
    for part in parts:
        if part.colour:
            _paste_emoji(draw, (x, baseline), part)
        else:
            draw.text((x, baseline), part.text, font=part.face, fill=fill, anchor="ls")
        x += part.length()


def _paste_emoji(draw: ImageDraw.ImageDraw, at: tuple[float, float], part: Run) -> None:
    face = part.face
    ascent, descent = face.getmetrics()
    width = max(1, math.ceil(face.getlength(part.text)))
    strip = Image.new("RGBA", (width, ascent + descent), (0, 0, 0, 0))
    ImageDraw.Draw(strip).text((0, ascent), part.text, font=face, embedded_color=True, anchor="ls")
    size = (max(1, round(width * part.scale)), max(1, round((ascent + descent) * part.scale)))
    strip = strip.resize(size, Image.Resampling.LANCZOS)
    target: Image.Image = draw._image  # type: ignore[attr-defined]
    x, baseline = round(at[0]), round(at[1] - ascent * part.scale)
    if target.mode == "RGBA":
        target.alpha_composite(strip, (max(0, x), max(0, baseline)))
    else:
        target.paste(strip.convert(target.mode), (x, baseline), strip)
