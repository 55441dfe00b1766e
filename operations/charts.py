"""Server-rendered SVG bar charts (no script, no CDN): stacked bars over days, horizontal bars."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape

from django.utils.safestring import SafeString, mark_safe

Series = tuple[str, str, Sequence[float]]  # label, colour, one value per bar


def _nice_max(value: float) -> float:
    """The axis top: 1, 2 or 5 times a power of ten at or above `value`."""
    if value <= 0:
        return 1.0
    power = 10 ** (len(str(int(value))) - 1) if value >= 1 else 0.1
    while power > value:
        power /= 10
    for step in (1, 2, 5, 10):
        if step * power >= value:
            return step * power
    return 10 * power


def stacked_bars(
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    fmt: Callable[[float], str] = lambda v: f"{v:g}",
    width: int = 640,
    height: int = 220,
) -> SafeString:
    """One stacked bar per label; a legend, four gridlines and every few labels under the axis."""
    left, right, top, bottom = 48, 8, 28, 36
    plot_w, plot_h = width - left - right, height - top - bottom
    totals = [sum(s[2][i] for s in series) for i in range(len(labels))]
    top_value = _nice_max(max(totals, default=0))
    slot = plot_w / max(len(labels), 1)
    bar = max(2.0, slot * 0.7)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{escape(title)}" class="chart">',
        f"<title>{escape(title)}</title>",
    ]
    for i in range(5):
        y = top + plot_h - plot_h * i / 4
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" class="tick">'
            f"{escape(fmt(top_value * i / 4))}</text>"
        )
    every = max(1, round(len(labels) / 8))
    for index, label in enumerate(labels):
        x = left + slot * index + (slot - bar) / 2
        base = top + plot_h
        tip = [escape(label)]
        for name, colour, values in series:
            value = values[index]
            h = plot_h * value / top_value
            if h > 0:
                parts.append(
                    f'<rect x="{x:.1f}" y="{base - h:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                    f'fill="{escape(colour)}"><title>{escape(label)}: {escape(name)} '
                    f"{escape(fmt(value))}</title></rect>"
                )
            base -= h
            tip.append(f"{name} {fmt(value)}")
        if index % every == 0:
            parts.append(
                f'<text x="{x + bar / 2:.1f}" y="{height - bottom + 16}" text-anchor="middle" '
                f'class="tick">{escape(label)}</text>'
            )
    x = left
    for name, colour, _ in series:
        parts.append(
            f'<rect x="{x}" y="8" width="10" height="10" fill="{escape(colour)}"/>'
            f'<text x="{x + 14}" y="17" class="legend">{escape(name)}</text>'
        )
        x += 24 + 7 * len(name)
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def horizontal_bars(
    title: str,
    rows: Sequence[tuple[str, float]],
    *,
    maximum: float | None = None,
    fmt: Callable[[float], str] = lambda v: f"{v:g}",
    colour: str = "#2f6db5",
    width: int = 640,
) -> SafeString:
    """One labelled bar per row, longest first as given."""
    label_w, row_h, top = 220, 22, 8
    height = top * 2 + row_h * max(len(rows), 1)
    top_value = maximum if maximum else _nice_max(max((v for _, v in rows), default=0))
    plot_w = width - label_w - 60
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{escape(title)}" class="chart">',
        f"<title>{escape(title)}</title>",
    ]
    for index, (label, value) in enumerate(rows):
        y = top + row_h * index
        w = plot_w * value / top_value if top_value else 0
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 15}" text-anchor="end" class="tick">'
            f"{escape(label)}</text>"
            f'<rect x="{label_w}" y="{y + 4}" width="{w:.1f}" height="{row_h - 8}" '
            f'fill="{escape(colour)}"><title>{escape(label)}: {escape(fmt(value))}</title></rect>'
            f'<text x="{label_w + w + 6:.1f}" y="{y + 15}" class="tick">{escape(fmt(value))}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
