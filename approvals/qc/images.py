"""Image QC: blank or near-uniform pictures, the wrong size, glyphs the font cannot draw,
text cut at the edge of the frame, and text too faint to read.

The pixel checks work on the luminance of a copy scaled to at most MAX_SIDE pixels, so a
large banner costs the same as a small one. Text running off the edge shows as lines of
lettering (rows or columns with many sharp light-dark changes) that start or end at the
frame, where a layout keeps a margin; a change most lines share at the same place is the
edge of a band or panel and is left out.
Contrast is read in tiles that hold edges (text and shapes): readable text gives some tile
a WCAG contrast of 3 or more between its darkest and lightest pixels.
"""

from __future__ import annotations

import io
import unicodedata

import numpy as np
from PIL import Image

from approvals.qc.brief import ASPECTS, Brief
from approvals.qc.findings import Finding, blocking
from jobs.mediakit import glyphs

MAX_SIDE = 640
TILE = 16
BLANK_SHARE = 0.005  # fewer tiles than this holding anything is a blank image
EDGE_JUMP = 60  # a luminance step (0-255) between neighbouring pixels that reads as a stroke
TEXT_LINE_JUMPS = 6  # a row or column crossing lettering meets this many strokes
MIN_TEXT_LINES = 5
EDGE_MARGIN = 0.04
EDGE_SHARE = 0.1
BAND_SHARE = 0.3
SOFT_EDGE = 3  # a tile whose lightest and darkest pixels differ this much holds something
READABLE_CONTRAST = 3.0
MIN_READABLE_TILES = 2


def _gray(image: Image.Image) -> np.ndarray:
    scaled = image.convert("RGB")
    scaled.thumbnail((MAX_SIDE, MAX_SIDE))
    return np.asarray(scaled.convert("L"), dtype=np.float32)


def _linear(image: Image.Image) -> np.ndarray:
    scaled = image.convert("RGB")
    scaled.thumbnail((MAX_SIDE, MAX_SIDE))
    rgb = np.asarray(scaled, dtype=np.float32) / 255
    lin = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    return lin @ np.array([0.2126, 0.7152, 0.0722], dtype=np.float32)


def check_blank(luminance: np.ndarray) -> list[Finding]:
    edged, _ = readable_tiles(luminance)
    tiles = max(1, (luminance.shape[0] // TILE) * (luminance.shape[1] // TILE))
    if edged / tiles < BLANK_SHARE:
        return [blocking("blank", "The image is blank or almost one flat colour.")]
    return []


def check_size(width: int, height: int, brief: Brief) -> list[Finding]:
    if brief.sizes and (width, height) not in brief.sizes:
        wanted = ", ".join(f"{w}×{h}" for w, h in brief.sizes)
        return [blocking("size", f"The image is {width}×{height}; the brief asks for {wanted}.")]
    aspect = ASPECTS.get(brief.aspect_ratio)
    if aspect and abs(width / height - aspect) / aspect > 0.02:
        return [
            blocking(
                "size",
                f"The image is {width}×{height}, not the {brief.aspect_ratio} the brief asks for.",
            )
        ]
    return []


def drawable(char: str) -> bool:
    """Whether the renderer has a glyph for `char` in one of its fonts, fallbacks included
    (Noto Sans CJK and Noto Color Emoji when installed), not its empty-box glyph."""
    return glyphs.drawable(char)


def undrawable(text: str) -> list[str]:
    chars = []
    for char in dict.fromkeys(text):
        if char.isspace() or unicodedata.category(char) in ("Cc", "Cf", "Mn"):
            continue
        if not drawable(char):
            chars.append(char)
    return chars


def check_glyphs(text: str) -> list[Finding]:
    missing = undrawable(text)
    if not missing:
        return []
    # Code points, since a page showing the message may lack the glyphs as well.
    shown = ", ".join(f"U+{ord(char):04X}" for char in missing[:8])
    shown += ", …" if len(missing) > 8 else ""
    return [
        blocking(
            "glyphs",
            f"The font cannot draw {len(missing)} character(s) of the image's text ({shown}): "
            "they render as empty boxes.",
        )
    ]


def edge_reach(gray: np.ndarray) -> float:
    """The largest share of text lines (rows or columns with many sharp light-dark changes)
    whose lettering starts or ends within EDGE_MARGIN of one edge of the picture."""
    worst = 0.0
    for lines in (gray, gray.T):
        jumps = np.abs(np.diff(lines, axis=1)) > EDGE_JUMP
        # A change most lines share at one place is the edge of a band or panel, not a letter.
        jumps[:, jumps.mean(axis=0) > BAND_SHARE] = False
        text_lines = np.flatnonzero(jumps.sum(axis=1) >= TEXT_LINE_JUMPS)
        if len(text_lines) < MIN_TEXT_LINES:
            continue
        width = lines.shape[1]
        first = np.array([np.flatnonzero(jumps[r])[0] for r in text_lines]) / width
        last = np.array([np.flatnonzero(jumps[r])[-1] for r in text_lines]) / width
        near = max(np.mean(first < EDGE_MARGIN), np.mean(last > 1 - EDGE_MARGIN))
        worst = max(worst, float(near))
    return worst


def check_text_off_edge(gray: np.ndarray) -> list[Finding]:
    reach = edge_reach(gray)
    if reach >= EDGE_SHARE:
        return [
            blocking(
                "text_off_edge",
                f"Lettering runs into the edge of the image on {reach:.0%} of its text lines: "
                "words are cut.",
            )
        ]
    return []


def readable_tiles(luminance: np.ndarray) -> tuple[int, int]:
    """(tiles with soft or sharp edges, those whose contrast reaches READABLE_CONTRAST)."""
    h, w = luminance.shape
    h, w = h - h % TILE, w - w % TILE
    if not h or not w:
        return 0, 0
    tiles = luminance[:h, :w].reshape(h // TILE, TILE, w // TILE, TILE).swapaxes(1, 2)
    tiles = tiles.reshape(-1, TILE * TILE)
    gray = tiles ** (1 / 2.2) * 255
    spread = np.percentile(gray, 97, axis=1) - np.percentile(gray, 3, axis=1)
    edged = spread > SOFT_EDGE
    low = np.percentile(tiles, 3, axis=1)
    high = np.percentile(tiles, 97, axis=1)
    ratio = (high + 0.05) / (low + 0.05)
    return int(edged.sum()), int(np.sum(edged & (ratio >= READABLE_CONTRAST)))


def check_contrast(luminance: np.ndarray) -> list[Finding]:
    edged, readable = readable_tiles(luminance)
    if edged and readable < MIN_READABLE_TILES:
        return [
            blocking(
                "contrast",
                "Nothing in the image reaches a contrast of 3:1: its text is too faint to read.",
            )
        ]
    return []


def check_image(data: bytes, brief: Brief, *, text: str = "") -> list[Finding]:
    """Every image check; `text` is the text the image was meant to show, when known."""
    try:
        with Image.open(io.BytesIO(data)) as opened:
            opened.load()
            image = opened.copy()
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        return [blocking("unreadable", f"The image cannot be read: {exc}.")]
    luminance = _linear(image)
    findings = [*check_size(image.width, image.height, brief)]
    blank = check_blank(luminance)
    if blank:
        return findings + blank
    findings += check_glyphs(text)
    findings += check_text_off_edge(_gray(image))
    if text:
        findings += check_contrast(luminance)
    return findings
