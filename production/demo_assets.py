"""The demo client's brand assets, drawn with Pillow: a logo and three product photos.

Northwind Coffee needs a logo and photos for `make run` to show the asset library and the
visuals made from it, and the project ships no stock pictures. These are drawn scenes (light,
depth of field, materials), deterministic for a seed, and go through the same upload checks
as a client's files.
"""

from __future__ import annotations

import io
import math
import random

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from jobs.mediakit.fonts import BOLD, REGULAR
from production.models import Client

BROWN = (107, 62, 38)
CREAM = (242, 227, 198)
GREEN = (47, 111, 78)


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _jpeg(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, format="JPEG", quality=90)
    return buffer.getvalue()


def _vertical(width: int, height: int, top: tuple, bottom: tuple) -> Image.Image:
    t = np.linspace(0, 1, height, dtype=np.float32)[:, None, None]
    pixels = np.array(top, np.float32) * (1 - t) + np.array(bottom, np.float32) * t
    return Image.fromarray(np.repeat(pixels, width, axis=1).round().astype(np.uint8), "RGB")


def _bokeh(
    image: Image.Image, rng: random.Random, count: int, colours: list[tuple], box: tuple
) -> Image.Image:
    """Out-of-focus lights: soft discs, then a blur, over `box` (x0, y0, x1, y1)."""
    layer = Image.new("RGBA", image.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    x0, y0, x1, y1 = box
    for _ in range(count):
        r = rng.uniform(0.02, 0.07) * image.width
        cx, cy = rng.uniform(x0, x1), rng.uniform(y0, y1)
        colour = rng.choice(colours)
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=(*colour, rng.randint(40, 120)))
    layer = layer.filter(ImageFilter.GaussianBlur(image.width / 160))
    return Image.alpha_composite(image.convert("RGBA"), layer).convert("RGB")


def _wood(width: int, height: int, rng: random.Random, base: tuple = (152, 102, 62)) -> Image.Image:
    """A planed wooden surface: long wavy grain with a few darker boards."""
    y = np.arange(height, dtype=np.float32)[:, None]
    x = np.arange(width, dtype=np.float32)[None, :]
    phase = rng.uniform(0, 6)
    wave = np.sin(x / 210 + phase) * 7 + np.sin(x / 57 + phase * 2) * 2
    grain = np.sin((y + wave) / 2.3) * 0.5 + np.sin((y * 0.37 + wave * 1.7) / 1.1) * 0.25
    boards = ((y // max(1, height // 4)) % 2) * -10
    shade = grain * 14 + boards
    pixels = np.array(base, np.float32)[None, None, :] + shade[..., None] * np.array(
        [1.0, 0.8, 0.6]
    )
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), "RGB")


def _finish(image: Image.Image, rng: random.Random, light_from: float = 0.2) -> Image.Image:
    """A lens's look: warm light from one side, a vignette and a little film grain."""
    w, h = image.size
    x = np.linspace(0, 1, w, dtype=np.float32)[None, :]
    y = np.linspace(0, 1, h, dtype=np.float32)[:, None]
    light = 1.08 - 0.18 * np.abs(x - light_from)
    vignette = 1 - 0.35 * ((x - 0.5) ** 2 + (y - 0.5) ** 2) * 2
    pixels = np.asarray(image, np.float32) * (light * vignette)[..., None]
    noise = np.random.default_rng(rng.randint(0, 2**31)).normal(0, 2.2, pixels.shape[:2])
    pixels += noise[..., None]
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), "RGB")


def logo_png() -> bytes:
    """Northwind Coffee's logo: a roasted bean under a north star in a ring, and the wordmark."""
    scale = 3  # drawn large, then reduced: smooth edges
    w, h = 900 * scale, 300 * scale
    image = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    cx, cy, r = 150 * scale, 150 * scale, 128 * scale
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=BROWN)
    draw.ellipse(
        (cx - r + 14 * scale, cy - r + 14 * scale, cx + r - 14 * scale, cy + r - 14 * scale),
        outline=CREAM,
        width=5 * scale,
    )
    # The bean: a cream ellipse with a brown S-shaped crease.
    bw, bh = 62 * scale, 86 * scale
    bean = Image.new("RGBA", (bw * 2 + 8, bh * 2 + 8), (0, 0, 0, 0))
    bd = ImageDraw.Draw(bean)
    bd.ellipse((4, 4, 4 + bw * 2, 4 + bh * 2), fill=CREAM)
    points = [
        (4 + bw + math.sin(t / 20 * math.pi * 2) * bw * 0.22, 4 + bh * 2 * (0.08 + 0.84 * t / 20))
        for t in range(21)
    ]
    bd.line(points, fill=BROWN, width=9 * scale, joint="curve")
    bean = bean.rotate(-28, resample=Image.Resampling.BICUBIC, expand=True)
    image.alpha_composite(bean, (cx - bean.width // 2, cy - bean.height // 2 + 14 * scale))
    # A four-pointed north star above the bean.
    sx, sy, s = cx + 58 * scale, cy - 78 * scale, 24 * scale
    draw.polygon(
        [
            (sx, sy - s),
            (sx + s * 0.28, sy - s * 0.28),
            (sx + s, sy),
            (sx + s * 0.28, sy + s * 0.28),
            (sx, sy + s),
            (sx - s * 0.28, sy + s * 0.28),
            (sx - s, sy),
            (sx - s * 0.28, sy - s * 0.28),
        ],
        fill=(232, 178, 92),
    )
    word = ImageFont.truetype(str(BOLD), 78 * scale)
    small = ImageFont.truetype(str(REGULAR), 33 * scale)
    draw.text((318 * scale, 92 * scale), "NORTHWIND", font=word, fill=BROWN, anchor="lm")
    draw.text(
        (322 * scale, 196 * scale),
        "C O F F E E   R O A S T E R S",
        font=small,
        fill=GREEN,
        anchor="lm",
    )
    return _png(image.resize((900, 300), Image.Resampling.LANCZOS))


def _bottle(size: tuple[int, int], label_text: str) -> Image.Image:
    """An amber glass bottle of cold brew with a cream label, drawn upright on transparency."""
    w, h = size
    bottle = Image.new("RGBA", size, (0, 0, 0, 0))
    d = ImageDraw.Draw(bottle)
    neck_w, body_top = w * 0.36, h * 0.3
    glass = (58, 30, 14, 255)
    d.rounded_rectangle((0, body_top, w - 1, h - 1), radius=int(w * 0.16), fill=glass)
    d.polygon(
        [
            (w * 0.04, body_top + w * 0.12),
            ((w - neck_w) / 2, h * 0.14),
            ((w + neck_w) / 2, h * 0.14),
            (w * 0.96, body_top + w * 0.12),
        ],
        fill=glass,
    )
    d.rectangle(((w - neck_w) / 2, h * 0.06, (w + neck_w) / 2, h * 0.16), fill=glass)
    d.rounded_rectangle(
        ((w - neck_w) / 2 - 4, 0, (w + neck_w) / 2 + 4, h * 0.075), radius=6, fill=(30, 30, 28, 255)
    )
    # Label: cream paper with a green band and the name.
    top, bottom = h * 0.5, h * 0.82
    d.rectangle((0, top, w - 1, bottom), fill=(*CREAM, 255))
    d.rectangle((0, bottom - (bottom - top) * 0.22, w - 1, bottom), fill=(*GREEN, 255))
    face = ImageFont.truetype(str(BOLD), max(10, int(w * 0.12)))
    sub = ImageFont.truetype(str(REGULAR), max(8, int(w * 0.1)))
    d.text((w / 2, top + (bottom - top) * 0.3), label_text, font=face, fill=BROWN, anchor="mm")
    d.text((w / 2, top + (bottom - top) * 0.56), "COLD BREW", font=sub, fill=BROWN, anchor="mm")
    # Glass: a highlight down the left, a darker right edge, light through the shoulder.
    shine = Image.new("L", size, 0)
    sd = ImageDraw.Draw(shine)
    sd.rounded_rectangle(
        (w * 0.12, body_top + w * 0.1, w * 0.22, h * 0.95), radius=int(w * 0.05), fill=150
    )
    sd.rectangle(
        ((w - neck_w) / 2 + neck_w * 0.15, h * 0.08, (w - neck_w) / 2 + neck_w * 0.3, h * 0.2),
        fill=120,
    )
    shine = shine.filter(ImageFilter.GaussianBlur(w * 0.03))
    white = Image.new("RGBA", size, (255, 244, 230, 255))
    alpha = np.minimum(np.asarray(shine), np.asarray(bottle.getchannel("A")))
    white.putalpha(Image.fromarray((alpha * 0.55).astype(np.uint8), "L"))
    bottle.alpha_composite(white)
    return bottle


def bottles_photo(seed: int = 7) -> bytes:
    """Three bottles of cold brew on a wooden counter in a warm café, background out of focus."""
    rng = random.Random(seed)
    w, h = 1800, 1200
    image = _vertical(w, h, (64, 44, 32), (126, 88, 60))
    image = _bokeh(
        image,
        rng,
        70,
        [(255, 206, 140), (255, 226, 180), (240, 170, 90), (160, 200, 150)],
        (0, 0, w, h * 0.7),
    )
    # A window's light falling from the left.
    wash = Image.new("L", (w, h), 0)
    ImageDraw.Draw(wash).polygon([(0, 0), (w * 0.45, 0), (w * 0.2, h), (0, h)], fill=70)
    wash = wash.filter(ImageFilter.GaussianBlur(120))
    image = Image.composite(Image.new("RGB", (w, h), (255, 236, 205)), image, wash)
    counter_top = int(h * 0.66)
    wood = _wood(w, h - counter_top, rng)
    image.paste(wood, (0, counter_top))
    ImageDraw.Draw(image).rectangle((0, counter_top, w, counter_top + 5), fill=(196, 150, 104))
    shadows = Image.new("L", (w, h), 0)
    sd = ImageDraw.Draw(shadows)
    placements = [(0.34, 1.0), (0.5, 1.12), (0.66, 0.95)]
    bottles = []
    for i, (fx, s) in enumerate(placements):
        bw, bh = int(210 * s), int(560 * s)
        x = int(w * fx - bw / 2)
        y = counter_top + int(h * 0.16) - bh + (30 if i == 1 else 0)
        sd.ellipse((x - bw * 0.1, y + bh - 22, x + bw * 1.6, y + bh + 40), fill=150)
        bottles.append((x, y, _bottle((bw, bh), "NORTHWIND")))
    shadows = shadows.filter(ImageFilter.GaussianBlur(22))
    image = Image.composite(Image.new("RGB", (w, h), (30, 18, 10)), image, shadows)
    image = image.convert("RGBA")
    for x, y, bottle in sorted(bottles, key=lambda b: b[1]):
        image.alpha_composite(bottle, (x, y))
    # Reflections of the bottles in the varnish.
    for x, y, bottle in bottles:
        reflection = bottle.transpose(Image.Transpose.FLIP_TOP_BOTTOM).crop(
            (0, 0, bottle.width, bottle.height // 4)
        )
        reflection.putalpha(reflection.getchannel("A").point(lambda a: a * 22 // 100))
        image.alpha_composite(reflection, (x, y + bottle.height))
    return _jpeg(_finish(image.convert("RGB"), rng, light_from=0.15))


def iced_glass_photo(seed: int = 11) -> bytes:
    """A tall glass of iced cold brew with a splash of milk on a café table, plants behind."""
    rng = random.Random(seed)
    w, h = 1800, 1200
    image = _vertical(w, h, (86, 104, 78), (160, 150, 120))
    image = _bokeh(
        image,
        rng,
        90,
        [(120, 170, 100), (70, 120, 70), (230, 230, 200), (200, 220, 160)],
        (0, 0, w, h * 0.65),
    )
    table_top = int(h * 0.72)
    image.paste(_wood(w, h - table_top, rng, base=(196, 160, 118)), (0, table_top))
    image = image.convert("RGBA")
    gw, gh = 360, 700
    gx, gy = (w - gw) // 2, table_top + 60 - gh
    shadow = Image.new("L", (w, h), 0)
    ImageDraw.Draw(shadow).ellipse(
        (gx - 30, table_top + 20, gx + gw + 180, table_top + 110), fill=140
    )
    image = Image.composite(
        Image.new("RGBA", (w, h), (40, 30, 20, 255)),
        image,
        shadow.filter(ImageFilter.GaussianBlur(25)),
    )
    glass = Image.new("RGBA", (gw, gh), (0, 0, 0, 0))
    # Coffee: darker at the foot, a creamy cloud where milk is sinking in near the top.
    liquid_top = int(gh * 0.18)
    coffee = _vertical(gw, gh - liquid_top, (150, 92, 52), (46, 24, 12)).convert("RGBA")
    cloud = Image.new("L", coffee.size, 0)
    cd = ImageDraw.Draw(cloud)
    for _ in range(26):
        cx, cy = rng.uniform(0, gw), rng.uniform(0, (gh - liquid_top) * 0.45)
        r = rng.uniform(20, 70)
        cd.ellipse((cx - r, cy - r * 0.6, cx + r, cy + r * 0.6), fill=rng.randint(90, 200))
    cloud = cloud.filter(ImageFilter.GaussianBlur(18))
    milk = Image.new("RGBA", coffee.size, (226, 196, 160, 255))
    coffee = Image.composite(milk, coffee, cloud)
    mask = Image.new("L", (gw, gh), 0)
    ImageDraw.Draw(mask).rounded_rectangle((8, 0, gw - 8, gh - 1), radius=26, fill=255)
    body = Image.new("RGBA", (gw, gh), (0, 0, 0, 0))
    body.paste(coffee, (0, liquid_top))
    glass.paste(
        body,
        (0, 0),
        Image.fromarray(np.minimum(np.asarray(mask), np.asarray(body.getchannel("A"))), "L"),
    )
    # Ice: translucent rounded cubes catching light.
    for _ in range(9):
        s = rng.randint(80, 120)
        cube = Image.new("RGBA", (s, s), (0, 0, 0, 0))
        ImageDraw.Draw(cube).rounded_rectangle(
            (0, 0, s - 1, s - 1),
            radius=s // 5,
            fill=(235, 240, 245, 120),
            outline=(255, 255, 255, 170),
            width=4,
        )
        cube = cube.rotate(rng.uniform(-30, 30), expand=True, resample=Image.Resampling.BICUBIC)
        glass.alpha_composite(
            cube,
            (rng.randint(10, gw - cube.width - 10), rng.randint(liquid_top - 40, int(gh * 0.5))),
        )
    rim = ImageDraw.Draw(glass)
    rim.rounded_rectangle((8, 0, gw - 8, gh - 1), radius=26, outline=(255, 255, 255, 150), width=5)
    rim.rectangle((30, 20, 52, gh - 40), fill=(255, 255, 255, 70))
    # Condensation: small bright beads on the cold glass.
    for _ in range(160):
        x, y, r = rng.uniform(20, gw - 20), rng.uniform(liquid_top, gh - 20), rng.uniform(1.5, 4.5)
        rim.ellipse((x - r, y - r, x + r, y + r), fill=(255, 255, 255, rng.randint(60, 150)))
    straw = Image.new("RGBA", (26, 520), (*GREEN, 255))
    straw = straw.rotate(-12, expand=True)
    image.alpha_composite(straw, (gx + gw // 2 + 40, gy - 200))
    image.alpha_composite(glass, (gx, gy))
    return _jpeg(_finish(image.convert("RGB"), rng, light_from=0.7))


def _bean_sprite(rng: random.Random, tone: float) -> Image.Image:
    """One roasted bean seen from above: shaded oval, oily sheen, the centre crease."""
    bw, bh = 52, 72
    y, x = np.mgrid[0:bh, 0:bw].astype(np.float32)
    nx, ny = (x - bw / 2) / (bw / 2), (y - bh / 2) / (bh / 2)
    r2 = nx**2 + ny**2
    inside = r2 <= 1
    # Rounder in the middle: light falls off towards the rim, a sheen upper left.
    light = 0.55 + 0.45 * np.sqrt(np.clip(1 - r2, 0, 1))
    sheen = np.exp(-((nx + 0.35) ** 2 + (ny + 0.4) ** 2) / 0.08) * 0.35
    base = np.array([98, 54, 30], np.float32) * tone
    pixels = base[None, None, :] * light[..., None] + 255 * sheen[..., None] * np.array(
        [1.0, 0.85, 0.7]
    )
    alpha = np.where(inside, 255, 0).astype(np.uint8)
    sprite = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), "RGB").convert("RGBA")
    sprite.putalpha(Image.fromarray(alpha, "L").filter(ImageFilter.GaussianBlur(0.8)))
    crease = [
        (bw / 2 + math.sin(t / 10 * math.pi * 1.6) * bw * 0.1, bh * (0.1 + 0.8 * t / 10))
        for t in range(11)
    ]
    ImageDraw.Draw(sprite).line(crease, fill=(28, 14, 6, 255), width=3, joint="curve")
    return sprite


def beans_photo(seed: int = 3) -> bytes:
    """Freshly roasted beans filling the frame, sharp in the middle and soft at the edges."""
    rng = random.Random(seed)
    w, h = 1800, 1200
    image = Image.new("RGBA", (w, h), (40, 22, 12, 255))
    sprites = [_bean_sprite(rng, tone) for tone in (0.8, 0.9, 1.0, 1.1, 1.2)]
    for _ in range(1500):
        bean = rng.choice(sprites).rotate(
            rng.uniform(0, 360), expand=True, resample=Image.Resampling.BICUBIC
        )
        x, y = rng.randint(-40, w), rng.randint(-40, h)
        image.alpha_composite(bean, (max(0, x), max(0, y)))
    image = image.convert("RGB")
    # Depth of field: the edges fall out of focus.
    blurred = image.filter(ImageFilter.GaussianBlur(9))
    focus = (
        Image.radial_gradient("L").resize((w, h)).point(lambda v: min(255, max(0, (v - 90) * 2)))
    )
    image = Image.composite(blurred, image, focus)
    return _jpeg(_finish(image, rng, light_from=0.3))


# What the demo client uploads: (kind, title, file name, drawing).
DEMO_ASSETS = (
    ("logo", "Northwind Coffee logo", "northwind-logo.png", logo_png),
    ("product_photo", "Cold brew bottles on the counter", "bottles.jpg", bottles_photo),
    ("product_photo", "Iced cold brew glass with milk", "iced-glass.jpg", iced_glass_photo),
    ("product_photo", "Freshly roasted coffee beans", "beans.jpg", beans_photo),
)


def seed_demo_assets(client: Client) -> int:
    """Upload the demo logo and photos for `client` once; returns how many were added.

    They go through the same checks as any upload. A client that already has assets keeps
    what it has.
    """
    from production.brand_library import brand_asset_create

    if client.brand_assets.exists():
        return 0
    for kind, title, name, draw in DEMO_ASSETS:
        brand_asset_create(
            client=client, kind=kind, data=draw(), title=title, original_name=name, user=None
        )
    return len(DEMO_ASSETS)
