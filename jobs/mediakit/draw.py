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


def cover(
    image: Image.Image, width: int, height: int, focus: tuple[float, float] = (0.5, 0.45)
) -> Image.Image:
    """`image` scaled to fill width x height and cropped around `focus` (fractions of it)."""
    scale = max(width / image.width, height / image.height)
    size = (max(width, round(image.width * scale)), max(height, round(image.height * scale)))
    scaled = image.convert("RGB").resize(size, Image.Resampling.LANCZOS)
    left = min(max(0, round(size[0] * focus[0] - width / 2)), size[0] - width)
    top = min(max(0, round(size[1] * focus[1] - height / 2)), size[1] - height)
    return scaled.crop((left, top, left + width, top + height))


def photo_backdrop(
    photo: Image.Image,
    width: int,
    height: int,
    shade: RGB,
    *,
    angle: float = 0.0,
    strength: float = 0.88,
    solid: float = 0.45,
) -> Image.Image:
    """The photo filling the canvas under a wash of `shade`, opaque where text goes.

    The wash runs from `strength` opacity at the start of `angle` (0 = left edge, 90 = top)
    to a third of it at the far side, so the photo shows where there are no words and text
    on the shaded side keeps its contrast whatever the photo holds. The first `solid` share
    of the way is fully shaded; `solid=1` is an even wash over the whole photo.
    """
    base = cover(photo, width, height)
    radians = math.radians(angle)
    dx, dy = math.cos(radians), math.sin(radians)
    xs = np.arange(width, dtype=np.float32)[None, :] * dx
    ys = np.arange(height, dtype=np.float32)[:, None] * dy
    projection = xs + ys
    lo, hi = float(projection.min()), float(projection.max())
    t = (projection - lo) / (hi - lo) if hi > lo else np.zeros_like(projection)
    rest = max(1e-6, 1 - solid)
    alpha = np.where(t <= solid, strength, strength - (strength * 0.65) * ((t - solid) / rest))
    mask = Image.fromarray(np.round(alpha * 255).astype(np.uint8), "L")
    return Image.composite(Image.new("RGB", (width, height), shade), base, mask)


def paste_logo(
    image: Image.Image,
    logo: Image.Image,
    box: Box,
    *,
    chip: RGB | None = (255, 255, 255),
    align: str = "left",
) -> Box:
    """The logo scaled into `box` (x, y, w, h), on a rounded chip so it reads on any backdrop.

    Returns the rectangle covered. The chip keeps a transparent logo legible on a photo or a
    brand colour of the same hue; `chip=None` draws the logo bare.
    """
    x, y, w, h = box
    pad = round(h * 0.18) if chip else 0
    inner_w, inner_h = max(1, w - 2 * pad), max(1, h - 2 * pad)
    mark = logo.convert("RGBA")
    scale = min(inner_w / mark.width, inner_h / mark.height)
    mark = mark.resize(
        (max(1, round(mark.width * scale)), max(1, round(mark.height * scale))),
        Image.Resampling.LANCZOS,
    )
    chip_w, chip_h = mark.width + 2 * pad, mark.height + 2 * pad
    left = x if align == "left" else x + (w - chip_w) // 2 if align == "center" else x + w - chip_w
    top = y + (h - chip_h) // 2
    if chip:
        draw = ImageDraw.Draw(image)
        draw.rounded_rectangle(
            (left, top, left + chip_w - 1, top + chip_h - 1), radius=max(4, pad), fill=chip
        )
    image.paste(mark, (left + pad, top + pad), mark)
    return (left, top, chip_w, chip_h)


def photo_panel(
    photo: Image.Image,
    width: int,
    height: int,
    shade: RGB,
    *,
    start: float = 0.5,
    blend: float = 0.12,
    side: str = "right",
) -> Image.Image:
    """A canvas of `shade` with the photo whole on one side, melting into the shade.

    side="right": the photo fills the canvas from `start` x width to the right edge;
    side="top": it fills the top, down to `start` x height. Over `blend` of the canvas it
    fades into the shade, so the words on the shade never sit on the picture.
    """
    if side == "top":
        bottom = round(height * start)
        ramp = max(1, round(height * blend))
        panel = cover(photo, width, bottom)
        fade = np.clip((bottom - np.arange(bottom, dtype=np.float32)) / ramp, 0, 1)
        alpha = np.repeat((fade * 255).astype(np.uint8)[:, None], width, axis=1)
        origin = (0, 0)
    else:
        left = round(width * start)
        ramp = max(1, round(width * blend))
        panel = cover(photo, width - left, height)
        fade = np.clip(np.arange(width - left, dtype=np.float32) / ramp, 0, 1)
        alpha = np.repeat((fade * 255).astype(np.uint8)[None, :], height, axis=0)
        origin = (left, 0)
    canvas = Image.new("RGB", (width, height), shade)
    canvas.paste(panel, origin, Image.fromarray(alpha, "L"))
    return canvas
