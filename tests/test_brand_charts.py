"""Charts in the client's brand: its uploaded font sets every word, its logo sits in the header,
its colours fill the bars. Checked on the rendered PNG's pixels."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from jobs.mediakit import images
from jobs.mediakit.brand_assets import brand_kit
from jobs.mediakit.fonts import BOLD
from jobs.mediakit.kit import BrandKit
from jobs.mediakit.palette import palette_from_brand
from production.brand_library import brand_asset_create

SERIF = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf")
MAGENTA = (255, 0, 255)
BRAND = {"name": "Northwind Coffee", "colors": ["#1f6f50", "#f2a541"]}
DATA = [
    {"label": "Seattle", "value": 12},
    {"label": "Portland", "value": 7},
    {"label": "Tacoma", "value": 4},
]
TITLE = "Cafes"  # short: set at the header's largest size in any face
pytestmark = pytest.mark.skipif(not SERIF.exists(), reason="DejaVu Serif is not installed")


def logo_png() -> bytes:
    logo = Image.new("RGBA", (300, 100), (0, 0, 0, 0))
    logo.paste(Image.new("RGBA", (260, 80), (*MAGENTA, 255)), (20, 10))
    out = io.BytesIO()
    logo.save(out, format="PNG")
    return out.getvalue()


def pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)


def near(array: np.ndarray, colour: tuple[int, int, int], tolerance: int = 40) -> np.ndarray:
    return np.abs(array - np.array(colour)).sum(axis=2) <= tolerance


def ink_box(mask: np.ndarray) -> tuple[int, int, int, int]:
    ys, xs = np.nonzero(mask)
    return int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1


def title_mask(png: bytes, header_h: int, right: int) -> np.ndarray:
    """The title's letters: header pixels that are far from the band's colours."""
    header = pixels(png)[:header_h, :right]
    band = np.median(header[:, :20].reshape(-1, 3), axis=0)
    return np.abs(header - band).sum(axis=2) > 200


def reference_mask(face: ImageFont.FreeTypeFont, text: str) -> np.ndarray:
    canvas = Image.new("L", (800, 200), 0)
    ImageDraw.Draw(canvas).text((20, 20), text, font=face, fill=255)
    return np.asarray(canvas) > 128


def shape(mask: np.ndarray) -> np.ndarray:
    x0, y0, x1, y1 = ink_box(mask)
    return mask[y0:y1, x0:x1]


def overlap(a: np.ndarray, b: np.ndarray) -> float:
    """Share of letter pixels two masks have in common (intersection over union)."""
    h, w = max(a.shape[0], b.shape[0]), max(a.shape[1], b.shape[1])
    pa, pb = np.zeros((h, w), bool), np.zeros((h, w), bool)
    pa[: a.shape[0], : a.shape[1]] = a
    pb[: b.shape[0], : b.shape[1]] = b
    return float((pa & pb).sum() / max(1, (pa | pb).sum()))


@pytest.mark.django_db
def test_a_chart_uses_the_uploaded_font_logo_and_brand_colours(acme, globex, media_root):
    brand_asset_create(client=acme, kind="logo", data=logo_png(), user=None)
    brand_asset_create(client=acme, kind="font", data=SERIF.read_bytes(), user=None)
    kit = brand_kit(acme)
    assert kit.font == SERIF.read_bytes() and kit.logo is not None
    assert brand_kit(globex).font is None  # another client's font is not theirs

    chart = images.render_chart(1280, 720, brand=BRAND, title=TITLE, data=DATA, kind="bar", kit=kit)
    plain = images.render_chart(1280, 720, brand=BRAND, title=TITLE, data=DATA, kind="bar")
    header_h = round(720 * 0.16)
    array = pixels(chart)

    # The logo: magenta in the header's right quarter, nowhere without a kit.
    logo = near(array[:header_h], MAGENTA)
    assert logo.sum() > 2000 and ink_box(logo)[0] > 1280 * 0.7
    assert near(pixels(plain), MAGENTA).sum() == 0

    # The bars are the brand's primary colour.
    primary = palette_from_brand(BRAND).primary
    assert near(array[header_h:], primary, 12).sum() > 20000

    # The title is set in the brand's serif: its letters match that face drawn at the
    # header's size and not the bundled sans.
    size = round(header_h * 0.3)
    drawn = shape(title_mask(chart, header_h, 900))
    serif = shape(reference_mask(ImageFont.truetype(str(SERIF), size), TITLE))
    sans = shape(reference_mask(ImageFont.truetype(str(BOLD), size), TITLE))
    assert abs(drawn.shape[1] - serif.shape[1]) <= 2 and abs(drawn.shape[0] - serif.shape[0]) <= 2
    assert overlap(drawn, serif) > 0.9
    assert overlap(drawn, sans) < overlap(drawn, serif) - 0.08

    # The labels under the bars too: the chart with the brand font differs from the plain
    # one below the header, where only words and bars are drawn.
    assert (pixels(chart)[header_h:] != pixels(plain)[header_h:]).any()


def test_every_chart_kind_draws_in_the_brand_font_without_error():
    kit = BrandKit(logo=Image.open(io.BytesIO(logo_png())), font=SERIF.read_bytes())
    for kind in ("bar", "hbar", "line", "pie"):
        png = images.render_chart(
            640, 360, brand=BRAND, title="Share", data=DATA, kind=kind, kit=kit
        )
        with_sans = images.render_chart(
            640, 360, brand=BRAND, title="Share", data=DATA, kind=kind, kit=BrandKit(font=None)
        )
        assert (pixels(png)[60:] != pixels(with_sans)[60:]).any(), kind
