"""Brand colours: parsing, WCAG contrast, readable text colours and a derived palette."""

from __future__ import annotations

import colorsys
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

RGB = tuple[int, int, int]

WHITE: RGB = (255, 255, 255)
INK: RGB = (17, 24, 39)
BLACK: RGB = (0, 0, 0)
AA_CONTRAST = 4.5  # WCAG 2.x level AA for normal-size text

DEFAULT_PRIMARY: RGB = (31, 78, 121)
DEFAULT_SECONDARY: RGB = (46, 134, 171)
DEFAULT_ACCENT: RGB = (241, 143, 1)
DEFAULT_BACKGROUND: RGB = (248, 250, 252)

ROLES = ("primary", "secondary", "accent", "background")
_HEX = re.compile(r"^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")


def parse_color(value: str | Iterable[int]) -> RGB:
    """'#RRGGBB', '#RGB' (hash optional) or an (r, g, b) triple to an RGB tuple."""
    if isinstance(value, str):
        match = _HEX.match(value.strip())
        if not match:
            raise ValueError(f"not a hex colour: {value!r}")
        digits = match.group(1)
        if len(digits) == 3:
            digits = "".join(ch * 2 for ch in digits)
        return (int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16))
    triple = tuple(int(c) for c in value)
    if len(triple) != 3 or not all(0 <= c <= 255 for c in triple):
        raise ValueError(f"not an RGB triple: {value!r}")
    return triple  # type: ignore[return-value]


def to_hex(rgb: RGB) -> str:
    """An RGB tuple as '#rrggbb'."""
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def relative_luminance(rgb: RGB) -> float:
    """WCAG relative luminance, 0 for black to 1 for white."""

    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: RGB, b: RGB) -> float:
    """WCAG contrast ratio between two colours, from 1 (same) to 21 (black on white)."""
    la, lb = relative_luminance(a), relative_luminance(b)
    hi, lo = max(la, lb), min(la, lb)
    return (hi + 0.05) / (lo + 0.05)


def readable_on(bg: RGB | str, preferred: RGB | str | None = None) -> RGB:
    """A text colour with contrast >= 4.5 against `bg`, the preferred one when it passes.

    White or near-black ink are tried next; pure black or white as the last resort, one of
    which always reaches at least 4.58 against any colour.
    """
    bg = parse_color(bg)
    candidates = [WHITE, INK]
    if preferred is not None:
        candidates.insert(0, parse_color(preferred))
    for candidate in candidates:
        if contrast_ratio(candidate, bg) >= AA_CONTRAST:
            return candidate
    return max((WHITE, BLACK), key=lambda c: contrast_ratio(c, bg))


def readable_on_all(backgrounds: Iterable[RGB]) -> RGB | None:
    """A text colour readable against every colour in `backgrounds`, if one exists."""
    backgrounds = list(backgrounds)
    for candidate in (WHITE, INK, BLACK):
        if all(contrast_ratio(candidate, bg) >= AA_CONTRAST for bg in backgrounds):
            return candidate
    return None


def mix(a: RGB, b: RGB, t: float) -> RGB:
    """Linear blend from `a` (t=0) to `b` (t=1)."""
    t = min(1.0, max(0.0, t))
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))  # type: ignore[return-value]


def lighten(rgb: RGB, t: float) -> RGB:
    return mix(rgb, WHITE, t)


def darken(rgb: RGB, t: float) -> RGB:
    return mix(rgb, BLACK, t)


def rotate_hue(rgb: RGB, degrees: float) -> RGB:
    """The same colour with its hue turned by `degrees` on the colour wheel."""
    h, lum, s = colorsys.rgb_to_hls(*(c / 255 for c in rgb))
    r, g, b = colorsys.hls_to_rgb((h + degrees / 360) % 1.0, lum, s)
    return (round(r * 255), round(g * 255), round(b * 255))


def ensure_contrast(fg: RGB, bg: RGB, minimum: float = AA_CONTRAST) -> RGB:
    """`fg` nudged darker or lighter until it reaches `minimum` contrast against `bg`.

    Keeps the brand hue for coloured text (a wordmark, a chart label) where the raw brand
    colour would be too faint on the background.
    """
    if contrast_ratio(fg, bg) >= minimum:
        return fg
    toward = BLACK if relative_luminance(bg) > 0.18 else WHITE
    for step in range(1, 21):
        candidate = mix(fg, toward, step / 20)
        if contrast_ratio(candidate, bg) >= minimum:
            return candidate
    return readable_on(bg)


@dataclass(frozen=True)
class Palette:
    """The colours a renderer draws with, all derived from one brand profile."""

    primary: RGB
    secondary: RGB
    accent: RGB
    background: RGB

    @property
    def text(self) -> RGB:
        """Body text on the background."""
        return readable_on(self.background)

    @property
    def on_primary(self) -> RGB:
        return readable_on(self.primary)

    @property
    def on_accent(self) -> RGB:
        return readable_on(self.accent)

    @property
    def brand_text(self) -> RGB:
        """The primary colour, darkened or lightened enough to be read on the background."""
        return ensure_contrast(self.primary, self.background)


def _try_parse(value: Any) -> RGB | None:
    """A colour, or None: an unreadable colour in a profile must not break a render."""
    if isinstance(value, Mapping):
        value = value.get("hex")
    try:
        return parse_color(value)
    except (TypeError, ValueError):
        return None


def _colour_values(brand: Mapping[str, Any]) -> tuple[list[RGB], dict[str, RGB]]:
    """Valid colours from a brand profile: a list under 'colors' and/or named roles."""
    raw = brand.get("colors", brand.get("colours"))
    named_raw: dict[str, Any] = {f: brand.get(f"{f}_color") for f in ROLES}
    items: list[Any] = []
    if isinstance(raw, Mapping):
        named_raw.update({role: raw.get(role) for role in ROLES if raw.get(role)})
    elif isinstance(raw, list | tuple):
        items = list(raw)
    elif isinstance(raw, str):
        items = [part for part in re.split(r"[,\s]+", raw) if part]
    listed = [rgb for rgb in map(_try_parse, items) if rgb is not None]
    named = {role: rgb for role, v in named_raw.items() if v and (rgb := _try_parse(v))}
    return listed, named


def palette_from_brand(brand: Mapping[str, Any] | None) -> Palette:
    """A full palette from a brand profile such as {"colors": ["#0a3d62", "#f6b93b"]}.

    Missing roles are derived: secondary from the primary's hue, accent as its complement,
    background as a near-white tint of the primary (or the fourth listed colour).
    """
    listed, named = _colour_values(brand or {})
    primary = named.get("primary") or (listed[0] if listed else DEFAULT_PRIMARY)
    if "secondary" in named:
        secondary = named["secondary"]
    elif len(listed) > 1:
        secondary = listed[1]
    elif listed or "primary" in named:
        secondary = rotate_hue(mix(primary, WHITE, 0.15), 24)
    else:
        secondary = DEFAULT_SECONDARY
    if "accent" in named:
        accent = named["accent"]
    elif len(listed) > 2:
        accent = listed[2]
    elif listed or "primary" in named:
        accent = rotate_hue(primary, 180)
    else:
        accent = DEFAULT_ACCENT
    if "background" in named:
        background = named["background"]
    elif len(listed) > 3:
        background = listed[3]
    elif listed or "primary" in named:
        background = mix(primary, WHITE, 0.95)
    else:
        background = DEFAULT_BACKGROUND
    return Palette(primary=primary, secondary=secondary, accent=accent, background=background)
