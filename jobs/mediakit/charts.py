"""Data charts drawn with Pillow: vertical and horizontal bars, lines and donuts."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from PIL import Image, ImageDraw

from .draw import Box
from .fonts import block_height, clean_text, draw_lines, fit_text, font
from .palette import RGB, Palette, darken, ensure_contrast, lighten, mix

CHART_KINDS = ("bar", "hbar", "line", "pie")
MAX_ITEMS = 24
_NUMBER = re.compile(r"^\s*([^\d\-+.]*)\s*([-+]?[\d,]*\.?\d+)\s*(.*?)\s*$")


@dataclass(frozen=True)
class Datum:
    """One labelled value of a chart, with the unit it was written in."""

    label: str
    value: float
    prefix: str = ""
    suffix: str = ""

    @property
    def display(self) -> str:
        return f"{self.prefix}{format_number(self.value)}{self.suffix}"


def format_number(value: float) -> str:
    """12345 -> '12,345'; 2.5e6 -> '2.5M'; 3.0 -> '3'; 0.125 -> '0.13'."""
    magnitude = abs(value)
    for limit, unit in ((1e12, "T"), (1e9, "B"), (1e6, "M")):
        if magnitude >= limit:
            return f"{value / limit:.1f}".rstrip("0").rstrip(".") + unit
    if float(value).is_integer():
        return f"{int(value):,}"
    digits = 1 if magnitude >= 10 else 2
    return f"{value:,.{digits}f}".rstrip("0").rstrip(".")


def parse_value(raw: Any) -> tuple[float, str, str] | None:
    """A number with its prefix and suffix from 42, '42%', '$1,200' or '3.5 hrs'."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int | float):
        return (float(raw), "", "") if math.isfinite(raw) else None
    if not isinstance(raw, str):
        return None
    match = _NUMBER.match(raw)
    if not match:
        return None
    prefix, number, suffix = match.groups()
    try:
        value = float(number.replace(",", ""))
    except ValueError:
        return None
    if not math.isfinite(value):
        return None
    return (
        value,
        prefix.strip()[:3],
        (" " + suffix if suffix and suffix[0].isalpha() else suffix)[:8],
    )


def normalise_data(data: Iterable[Mapping[str, Any]] | None) -> list[Datum]:
    """Valid items of [{"label": ..., "value": ...}], unparseable ones dropped, at most 24."""
    items: list[Datum] = []
    for entry in data or []:
        if not isinstance(entry, Mapping):
            continue
        parsed = parse_value(entry.get("value"))
        if parsed is None:
            continue
        value, prefix, suffix = parsed
        prefix = str(entry.get("prefix", prefix))[:3]
        suffix = str(entry.get("suffix", entry.get("unit", suffix)))[:8]
        if suffix and suffix[0].isalpha():
            suffix = " " + suffix
        label = clean_text(str(entry.get("label", ""))) or f"Item {len(items) + 1}"
        items.append(Datum(label[:80], value, prefix, suffix))
        if len(items) == MAX_ITEMS:
            break
    return items


def nice_ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    """Round tick values (steps of 1, 2, 2.5 or 5 x 10^k) covering [lo, hi]."""
    if hi <= lo:
        hi = lo + 1
    raw_step = (hi - lo) / max(1, count)
    power = 10 ** math.floor(math.log10(raw_step))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw_step)
    first = math.floor(lo / step) * step
    ticks = []
    value = first
    while value < hi + step * 0.999:
        ticks.append(round(value, 10))
        value += step
    return ticks


def series_colours(palette: Palette, n: int) -> list[RGB]:
    """Distinct colours for `n` slices, starting from the brand's own."""
    base = [palette.primary, palette.secondary, palette.accent]
    out: list[RGB] = []
    for i in range(n):
        colour = base[i % 3]
        round_ = i // 3
        if round_:
            colour = darken(colour, 0.3) if round_ % 2 else lighten(colour, 0.35)
        out.append(colour)
    return out


def _muted(palette: Palette, bg: RGB) -> RGB:
    """Secondary text (ticks, labels) that still meets 4.5:1 on the background."""
    return ensure_contrast(mix(palette.text, bg, 0.3), bg)


def _no_data(draw: ImageDraw.ImageDraw, box: Box, colour: RGB, family: bytes | None = None) -> None:
    x, y, w, h = box
    face, lines = fit_text(draw, "No data to chart", w, h, max(14, h // 10), 12, family=family)
    draw_lines(draw, box, lines, face, colour, align="center", valign="middle")


def _value_font_size(box: Box) -> int:
    return int(min(28, max(12, min(box[2], box[3]) * 0.035)))


def draw_bar_chart(
    image: Image.Image,
    box: Box,
    items: list[Datum],
    palette: Palette,
    bg: RGB,
    family: bytes | None = None,
) -> Box:
    """Vertical bars with a value axis, gridlines, value labels and category labels.

    Returns the plot rectangle (inside the axes), which tests and callers can inspect.
    """
    draw = ImageDraw.Draw(image)
    x, y, w, h = box
    size = _value_font_size(box)
    small = font(size, family=family)
    muted = _muted(palette, bg)
    values = [d.value for d in items]
    ticks = nice_ticks(min(0.0, *values), max(0.0, *values))
    lo, hi = ticks[0], ticks[-1]
    tick_labels = [format_number(t) for t in ticks]
    axis_w = int(max(small.getlength(t) for t in tick_labels)) + size
    label_h = block_height(small, 2) + size // 2
    top_pad = block_height(small, 1) + size // 2
    # Negative bars carry their value below their end: keep room for it above the labels.
    bottom_pad = top_pad if lo < 0 else 0
    px0, py0 = x + axis_w, y + top_pad
    pw, ph = w - axis_w, h - top_pad - label_h - bottom_pad

    def y_of(v: float) -> float:
        return py0 + ph - (v - lo) / (hi - lo) * ph

    grid = mix(bg, palette.text, 0.15)
    for tick, text in zip(ticks, tick_labels, strict=True):
        ty = round(y_of(tick))
        draw.line((px0, ty, px0 + pw, ty), fill=grid, width=1)
        draw.text((px0 - size // 2, ty), text, font=small, fill=muted, anchor="rm")
    slot = pw / len(items)
    bar_w = max(2, round(slot * 0.62))
    zero = round(y_of(0.0))
    for i, datum in enumerate(items):
        bx = round(px0 + i * slot + (slot - bar_w) / 2)
        vy = round(y_of(datum.value))
        draw.rectangle((bx, min(vy, zero), bx + bar_w - 1, max(vy, zero)), fill=palette.primary)
        face, lines = fit_text(
            draw,
            datum.display,
            round(slot) - 4,
            block_height(small, 1),
            size,
            9,
            True,
            family=family,
        )
        label_y = vy - size // 4 if datum.value >= 0 else vy + size // 4 + block_height(face, 1)
        if lines:
            draw.text(
                (bx + bar_w / 2, label_y), lines[0], font=face, fill=palette.text, anchor="md"
            )
        face, lines = fit_text(
            draw,
            datum.label,
            round(slot) - 6,
            label_h - size // 2,
            size,
            9,
            max_lines=2,
            family=family,
        )
        draw_lines(
            draw,
            (
                round(px0 + i * slot) + 3,
                py0 + ph + bottom_pad + size // 2,
                round(slot) - 6,
                label_h,
            ),
            lines,
            face,
            muted,
            align="center",
        )
    axis = palette.text
    draw.line((px0, py0, px0, py0 + ph), fill=axis, width=2)
    draw.line((px0, zero, px0 + pw, zero), fill=axis, width=2)
    return (px0, py0, pw, ph)


def draw_hbar_chart(
    image: Image.Image,
    box: Box,
    items: list[Datum],
    palette: Palette,
    bg: RGB,
    family: bytes | None = None,
) -> Box:
    """Horizontal bars: long category labels on the left, values at the bar ends."""
    draw = ImageDraw.Draw(image)
    x, y, w, h = box
    size = _value_font_size(box)
    small = font(size, family=family)
    muted = _muted(palette, bg)
    label_w = int(w * 0.32)
    value_w = int(max(small.getlength(d.display) for d in items)) + size
    top = max(0.0, max(d.value for d in items))
    bottom = min(0.0, min(d.value for d in items))
    # Values sit beyond the bar ends: on the right, and on the left for negative bars.
    left_w = value_w if bottom < 0 else 0
    px0 = x + label_w + size // 2 + left_w
    pw = w - label_w - size // 2 - value_w - left_w
    slot = h / len(items)
    bar_h = max(2, round(slot * 0.6))
    span = (top - bottom) or 1.0
    zero = px0 + (0 - bottom) / span * pw
    for i, datum in enumerate(items):
        by = round(y + i * slot + (slot - bar_h) / 2)
        end = px0 + (datum.value - bottom) / span * pw
        draw.rectangle(
            (round(min(zero, end)), by, round(max(zero, end)), by + bar_h - 1), fill=palette.primary
        )
        face, lines = fit_text(
            draw, datum.label, label_w, round(slot) - 2, size, 9, max_lines=2, family=family
        )
        draw_lines(
            draw,
            (x, round(y + i * slot), label_w, round(slot)),
            lines,
            face,
            muted,
            align="right",
            valign="middle",
        )
        negative = datum.value < 0
        value_x = round(end) - size // 3 if negative else round(max(zero, end)) + size // 3
        draw.text(
            (value_x, by + bar_h / 2),
            datum.display,
            font=small,
            fill=palette.text,
            anchor="rm" if negative else "lm",
        )
    draw.line((round(zero), y, round(zero), y + h), fill=palette.text, width=2)
    return (px0, y, pw, h)


def draw_line_chart(
    image: Image.Image,
    box: Box,
    items: list[Datum],
    palette: Palette,
    bg: RGB,
    family: bytes | None = None,
) -> Box:
    """A line through the values in order, with markers, value labels and an axis."""
    draw = ImageDraw.Draw(image)
    x, y, w, h = box
    size = _value_font_size(box)
    small = font(size, family=family)
    muted = _muted(palette, bg)
    values = [d.value for d in items]
    ticks = nice_ticks(min(values + [0.0]), max(values + [0.0]))
    lo, hi = ticks[0], ticks[-1]
    axis_w = int(max(small.getlength(format_number(t)) for t in ticks)) + size
    label_h = block_height(small, 2) + size // 2
    top_pad = block_height(small, 1) + size
    px0, py0, pw, ph = x + axis_w, y + top_pad, w - axis_w, h - top_pad - label_h
    grid = mix(bg, palette.text, 0.15)
    for tick in ticks:
        ty = round(py0 + ph - (tick - lo) / (hi - lo) * ph)
        draw.line((px0, ty, px0 + pw, ty), fill=grid, width=1)
        draw.text((px0 - size // 2, ty), format_number(tick), font=small, fill=muted, anchor="rm")
    slot = pw / len(items)
    points = [
        (px0 + (i + 0.5) * slot, py0 + ph - (d.value - lo) / (hi - lo) * ph)
        for i, d in enumerate(items)
    ]
    if len(points) > 1:
        draw.line(points, fill=palette.primary, width=max(4, size // 5), joint="curve")
    radius = max(6, round(size / 2.5))
    for (px, py), datum in zip(points, items, strict=True):
        draw.ellipse(
            (px - radius, py - radius, px + radius, py + radius),
            fill=palette.accent,
            outline=palette.primary,
            width=2,
        )
        draw.text(
            (px, py - radius - 4),
            datum.display,
            font=font(size, True, family),
            fill=palette.text,
            anchor="md",
        )
    for i, datum in enumerate(items):
        face, lines = fit_text(
            draw,
            datum.label,
            round(slot) - 6,
            label_h - size // 2,
            size,
            9,
            max_lines=2,
            family=family,
        )
        draw_lines(
            draw,
            (round(px0 + i * slot) + 3, py0 + ph + size // 2, round(slot) - 6, label_h),
            lines,
            face,
            muted,
            align="center",
        )
    draw.line((px0, py0, px0, py0 + ph), fill=palette.text, width=2)
    draw.line((px0, py0 + ph, px0 + pw, py0 + ph), fill=palette.text, width=2)
    return (px0, py0, pw, ph)


def draw_pie_chart(
    image: Image.Image,
    box: Box,
    items: list[Datum],
    palette: Palette,
    bg: RGB,
    family: bytes | None = None,
) -> Box:
    """A donut of the positive values with a legend of labels and percentages."""
    draw = ImageDraw.Draw(image)
    x, y, w, h = box
    positive = [d for d in items if d.value > 0]
    if not positive:
        _no_data(draw, box, palette.text, family)
        return box
    size = _value_font_size(box)
    total = sum(d.value for d in positive)
    colours = series_colours(palette, len(positive))
    side_by_side = w >= h
    diameter = int(min(w * 0.5, h) if side_by_side else min(w, h * 0.55))
    cx = x + (diameter // 2 if side_by_side else w // 2)
    cy = y + (h // 2 if side_by_side else diameter // 2)
    bounds = (cx - diameter // 2, cy - diameter // 2, cx + diameter // 2, cy + diameter // 2)
    angle = -90.0
    for datum, colour in zip(positive, colours, strict=True):
        sweep = datum.value / total * 360
        draw.pieslice(bounds, angle, angle + sweep, fill=colour)
        angle += sweep
    hole = diameter * 0.3
    draw.ellipse((cx - hole, cy - hole, cx + hole, cy + hole), fill=bg)
    if side_by_side:
        legend = (x + diameter + size * 2, y, w - diameter - size * 2, h)
    else:
        legend = (x, y + diameter + size, w, h - diameter - size)
    lx, ly, lw, lh = legend
    row = max(size + 8, min(lh // len(positive), size * 2))
    for i, (datum, colour) in enumerate(zip(positive, colours, strict=True)):
        ry = ly + i * row
        if ry + row > ly + lh:
            break
        draw.rectangle(
            (lx, ry + row // 2 - size // 2, lx + size, ry + row // 2 + size // 2), fill=colour
        )
        share = f"{datum.value / total * 100:.0f}%"
        text = f"{datum.label}: {datum.display} ({share})"
        face, lines = fit_text(draw, text, lw - size * 2, row, size, 9, max_lines=1, family=family)
        draw_lines(
            draw,
            (lx + size * 2, ry, lw - size * 2, row),
            lines,
            face,
            palette.text,
            valign="middle",
        )
    return (bounds[0], bounds[1], diameter, diameter)


def draw_chart(
    image: Image.Image,
    box: Box,
    data: Iterable[Mapping[str, Any]] | None,
    palette: Palette,
    *,
    kind: str = "bar",
    bg: RGB | None = None,
    family: bytes | None = None,
) -> Box:
    """Draw `data` as a chart of `kind` inside `box`; returns the plot rectangle.

    `family` is the brand's font file: every label and value is set in it.
    """
    if kind not in CHART_KINDS:
        raise ValueError(f"unknown chart kind {kind!r}; expected one of {', '.join(CHART_KINDS)}")
    background = bg or palette.background
    items = normalise_data(data)
    if not items:
        _no_data(ImageDraw.Draw(image), box, palette.text, family)
        return box
    drawer = {
        "bar": draw_bar_chart,
        "hbar": draw_hbar_chart,
        "line": draw_line_chart,
        "pie": draw_pie_chart,
    }[kind]
    return drawer(image, box, items, palette, background, family)
