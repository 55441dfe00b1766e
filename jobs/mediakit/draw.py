"""Drawing primitives shared by the renderers: gradients, translucent shapes, PNG bytes."""

from __future__ import annotations

import io
import math

import numpy as np
from PIL import Image, ImageDraw

from .palette import RGB, darken, lighten, readable_on

Box = tuple[int, int, int, int]  # x, y, width, height


def linear_gradient(
    width: int, height: int, start: RGB, end: RGB, angle: float = 90.0
) -> Image.Image:
    """An RGB image blending `start` into `end` along `angle` degrees (90 = top to bottom)."""
    radians = math.radians(angle)
    dx, dy = math.cos(radians), math.sin(radians)
    xs = np.arange(width, dtype=np.float32)[None, :] * dx
    ys = np.arange(height, dtype=np.float32)[:, None] * dy
    projection = xs + ys
    lo, hi = float(projection.min()), float(projection.max())
    t = (projection - lo) / (hi - lo) if hi > lo else np.zeros_like(projection)
    a = np.array(start, dtype=np.float32)
    b = np.array(end, dtype=np.float32)
    pixels = a + (b - a) * t[..., None]
    return Image.fromarray(np.round(pixels).astype(np.uint8), "RGB")


def brand_backdrop(
    width: int, height: int, base: RGB, angle: float = 120.0
) -> tuple[Image.Image, RGB]:
    """A gradient from `base` to a shade of it, with a text colour readable on all of it.

    The gradient runs away from the text colour (darker under white text, lighter under
    dark text), so contrast only grows across the canvas.
    """
    text = readable_on(base)
    end = darken(base, 0.35) if sum(text) > 382 else lighten(base, 0.35)
    return linear_gradient(width, height, base, end, angle), text


def overlay(image: Image.Image, layer: Image.Image) -> Image.Image:
    """`layer` (RGBA) composited over `image`, returned as RGB."""
    return Image.alpha_composite(image.convert("RGBA"), layer).convert("RGB")


def blank_layer(width: int, height: int) -> Image.Image:
    return Image.new("RGBA", (width, height), (0, 0, 0, 0))


def regular_polygon(
    cx: float, cy: float, radius: float, sides: int, rotation: float = 0.0
) -> list[tuple[float, float]]:
    """Vertices of a regular polygon centred on (cx, cy)."""
    return [
        (
            cx + radius * math.cos(math.radians(rotation) + 2 * math.pi * k / sides),
            cy + radius * math.sin(math.radians(rotation) + 2 * math.pi * k / sides),
        )
        for k in range(sides)
    ]


def rounded_box(draw: ImageDraw.ImageDraw, box: Box, radius: int, fill: tuple[int, ...]) -> None:
    x, y, w, h = box
    draw.rounded_rectangle((x, y, x + w - 1, y + h - 1), radius=radius, fill=fill)


def to_png(image: Image.Image) -> bytes:
    """PNG bytes; Pillow writes no timestamps, so equal images give equal bytes."""
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=6)
    return buffer.getvalue()
