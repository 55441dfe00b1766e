"""Every banner size keeps its words legible, leaderboards included."""

from __future__ import annotations

from typing import Any

import pytest
from PIL import Image

from jobs.job_types import VISUAL_SIZES
from jobs.mediakit import images

BRAND = {"name": "Northwind Coffee", "colors": ["#6B3E26", "#F2E3C6", "#2F6F4E"]}
HEADLINE = "Autumn roasts are here for every single cafe in town"
SUBLINE = "Small-batch coffee, roasted within 48 hours of shipping"
CTA = "Shop the roasts"


@pytest.mark.parametrize("size", VISUAL_SIZES["banner"])
def test_it_draws_no_words_below_a_legible_size_on_any_banner(size, monkeypatch):
    drawn: list[tuple[int, list[str]]] = []
    real_fit = images.fit_text

    def recording_fit(*args: Any, **kwargs: Any):
        face, lines = real_fit(*args, **kwargs)
        if lines:
            drawn.append((face.size, lines))
        return face, lines

    monkeypatch.setattr(images, "fit_text", recording_fit)
    width, height = (int(n) for n in size.split("x"))
    png = images.render_banner(
        width, height, brand=BRAND, headline=HEADLINE, subline=SUBLINE, cta=CTA
    )

    assert images.image_info(png)["width"] == width
    assert all(px >= images.LEGIBLE_PX for px, _ in drawn), drawn
    texts = [" ".join(lines) for _, lines in drawn]
    assert CTA in texts  # the call to action always makes it, whole
    assert any(text.startswith("Autumn roasts") for text in texts)


def test_a_leaderboard_puts_the_button_on_the_right_in_the_accent_colour():
    from io import BytesIO

    png = images.render_banner(728, 90, brand=BRAND, headline="Autumn roasts", cta=CTA)
    with Image.open(BytesIO(png)) as picture:
        accent = (0x2F, 0x6F, 0x4E)
        right = picture.crop((480, 20, 728, 70)).getcolors(1 << 16) or []
        left = picture.crop((0, 20, 240, 70)).getcolors(1 << 16) or []
    assert any(colour == accent for _, colour in right)
    assert not any(colour == accent for _, colour in left)
