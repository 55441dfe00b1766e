"""Chart data in treatments: 'label: value' lines (%, $, k/m suffixes) and markdown tables."""

from __future__ import annotations

import math
import re

from jobs.planner.text import has_words
from jobs.planner.treatment import clip

_VALUE = (
    r"([-+]?)\s*([$€£¥]?)\s*(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?\s*"
    r"(?:(%|k|mm|m|bn|b|million|thousand|billion)(?![a-z]))?\+?"
)
_VALUE_ONLY = re.compile(rf"^{_VALUE}\s*([a-z/%]{{0,16}})\s*$", re.IGNORECASE)
_DATA_LINE = re.compile(rf"^([^:=|]{{1,60}}?)\s*[:=]\s*{_VALUE}\s*([a-z/%]{{0,16}})\s*$", re.I)
_MULTIPLIERS = {"k": 1e3, "thousand": 1e3, "m": 1e6, "mm": 1e6, "million": 1e6}
_MULTIPLIERS.update({"b": 1e9, "bn": 1e9, "billion": 1e9})


def _value(sign: str, digits: str, decimals: str | None, suffix: str | None) -> float:
    number = float(digits.replace(",", "") + (decimals or ""))
    number *= _MULTIPLIERS.get((suffix or "").lower(), 1.0)
    return -number if sign == "-" else number


def _point(label: str, match: re.Match[str], offset: int) -> dict[str, object] | None:
    sign, currency, digits, decimals, suffix, unit = match.groups()[offset : offset + 6]
    label = clip(label.strip(" -–—.:"), 80)
    if not has_words(label):
        return None
    value = _value(sign, digits, decimals, suffix)
    if not math.isfinite(value):  # "9" * 400 overflows to infinity
        return None
    point: dict[str, object] = {"label": label, "value": value}
    shown_unit = "%" if suffix == "%" else currency or (unit or "").strip()
    if shown_unit:
        point["unit"] = shown_unit[:16]
    return point


def data_point(text: str) -> dict[str, object] | None:
    """A chart point from a 'Q1: $1.2m' line, or None when the line is not one."""
    if len(text) > 120:
        return None
    match = _DATA_LINE.match(text)
    if not match:
        return None
    return _point(match.group(1), match, 1)


def table_cells(line: str) -> list[str]:
    """The cells of a markdown table row, without emphasis marks."""
    return [cell.strip().replace("*", "") for cell in line.strip().strip("|").split("|")]


def is_rule_row(cells: list[str]) -> bool:
    """Whether a row is the |---|---| line under a table header."""
    return all(re.fullmatch(r":?-{2,}:?", cell) for cell in cells if cell) and any(cells)


def table_points(rows: list[str]) -> list[dict[str, object]]:
    """Chart points from table rows: the first cell labels, the first numeric cell is the value."""
    points: list[dict[str, object]] = []
    for row in rows:
        cells = table_cells(row)
        if is_rule_row(cells) or len(cells) < 2:
            continue
        for cell in cells[1:]:
            match = _VALUE_ONLY.match(cell) if len(cell) <= 40 else None
            if match:
                point = _point(cells[0], match, 0)
                if point:
                    points.append(point)
                break
    return points
