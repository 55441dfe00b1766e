"""Brand images: sizes, modes, legible text, deterministic output and real charts."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image, ImageDraw

from jobs.mediakit.fonts import block_height, fit_text, font
from jobs.mediakit.images import (
    burn_caption,
    image_info,
    render_banner,
    render_chart,
    render_infographic,
    render_logo,
    render_scene_frame,
    render_social_image,
    render_title_card,
)
from jobs.mediakit.palette import (
    AA_CONTRAST,
    contrast_ratio,
    palette_from_brand,
    parse_color,
    readable_on,
)

BRAND = {"name": "Northwind Coffee", "colors": ["#6f4e37", "#d4a373", "#2a9d8f"]}


def open_png(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def test_it_renders_a_banner_at_1200x628_in_rgb():
    png = render_banner(brand=BRAND, headline="Fresh roasted every morning", cta="Order now")
    assert image_info(png) == {"width": 1200, "height": 628, "mode": "RGB", "format": "PNG"}


@pytest.mark.parametrize("size", [(1080, 1080), (1080, 1350), (1080, 1920)])
def test_it_renders_social_images_at_each_platform_size(size):
    png = render_social_image(
        *size, brand=BRAND, headline="Autumn blend", body="Now in store.", handle="@nw"
    )
    info = image_info(png)
    assert (info["width"], info["height"], info["mode"]) == (*size, "RGB")


def test_it_renders_the_same_bytes_for_the_same_inputs():
    first = render_banner(brand=BRAND, headline="Same in, same out", subline="Always.")
    second = render_banner(brand=BRAND, headline="Same in, same out", subline="Always.")
    assert first == second
    assert render_banner(brand=BRAND, headline="Different in") != first


def test_it_generates_scene_frames_from_prompt_and_seed_deterministically():
    def frame(seed: int, prompt: str = "sunset over the ocean") -> bytes:
        return render_scene_frame(640, 360, brand=BRAND, prompt=prompt, title="Hook", seed=seed)

    assert frame(1) == frame(1)
    assert frame(1) != frame(2)
    assert frame(1) != frame(1, "a forest at night")
    assert image_info(frame(1))["width"] == 640


@pytest.mark.parametrize(
    "background",
    [
        "#ffffff",
        "#000000",
        "#777777",
        "#767676",
        "#6f4e37",
        "#f4d35e",
        "#2a9d8f",
        "#ff0000",
        "#0000ff",
        "#00ff00",
    ],
)
def test_it_picks_text_colours_with_at_least_aa_contrast(background):
    bg = parse_color(background)
    assert contrast_ratio(readable_on(bg), bg) >= AA_CONTRAST


def test_it_keeps_a_preferred_text_colour_only_when_it_is_readable():
    assert readable_on("#ffffff", preferred="#1f4e79") == (31, 78, 121)
    assert readable_on("#ffffff", preferred="#ffff00") != (255, 255, 0)


def test_it_measures_contrast_as_wcag_does():
    assert contrast_ratio((0, 0, 0), (255, 255, 255)) == pytest.approx(21.0)
    assert contrast_ratio((118, 118, 118), (255, 255, 255)) == pytest.approx(4.54, abs=0.01)


def test_it_parses_short_and_long_hex_colours_and_rejects_others():
    assert parse_color("#abc") == (0xAA, 0xBB, 0xCC)
    assert parse_color("0A3D62") == (10, 61, 98)
    with pytest.raises(ValueError):
        parse_color("#12345")
    with pytest.raises(ValueError):
        parse_color("blue")


def test_it_derives_a_whole_palette_from_one_brand_colour():
    palette = palette_from_brand({"colors": ["#c0392b", "not a colour"]})
    assert palette.primary == (0xC0, 0x39, 0x2B)
    assert len({palette.primary, palette.secondary, palette.accent, palette.background}) == 4
    assert contrast_ratio(palette.text, palette.background) >= AA_CONTRAST
    assert contrast_ratio(palette.brand_text, palette.background) >= AA_CONTRAST


def test_it_falls_back_to_default_colours_without_a_brand():
    palette = palette_from_brand(None)
    assert palette == palette_from_brand({"colors": []})
    assert contrast_ratio(palette.on_primary, palette.primary) >= AA_CONTRAST


@pytest.mark.parametrize(
    "text",
    [
        "A short headline",
        "A much longer headline that has to wrap onto several lines to fit inside its box " * 3,
        "https://example.com/an/extremely/long/unbroken/address/that/cannot/wrap/at/spaces/at/all",
        "word " * 400,
    ],
)
def test_it_fits_text_inside_its_box_whatever_its_length(text):
    draw = ImageDraw.Draw(Image.new("RGB", (10, 10)))
    face, lines = fit_text(draw, text, 400, 150, 60, 14, True)
    assert lines
    assert all(face.getlength(line) <= 400 for line in lines)
    assert block_height(face, len(lines)) <= 150
    assert 14 <= face.size <= 60


def test_it_ends_text_that_cannot_fit_with_an_ellipsis():
    draw = ImageDraw.Draw(Image.new("RGB", (10, 10)))
    face, lines = fit_text(draw, "word " * 400, 300, 60, 30, 14)
    assert face.size == 14
    assert lines[-1].endswith("…")


def test_it_keeps_title_card_text_inside_the_safe_margins():
    # Dark brand colour, so the text is white and any white pixel in a margin is overflow.
    png = render_title_card(1280, 720, brand={"colors": ["#1f4e79"]}, text="Overflow? " * 200)
    image = open_png(png)
    margins = [(0, 0, 120, 720), (1160, 0, 1280, 720), (0, 0, 1280, 100), (0, 620, 1280, 720)]
    for box in margins:
        strip = image.crop(box)
        brightest = np.asarray(strip, dtype=int).sum(axis=2).max()
        assert brightest < 3 * 200, f"text spilled into margin {box}"
    assert np.asarray(image.crop((120, 100, 1160, 620)), dtype=int).sum(axis=2).max() > 3 * 240


def test_it_draws_infographic_bars_in_the_brand_colour_with_heights_matching_values():
    primary = (0xC0, 0x39, 0x2B)
    data = [
        {"label": "North", "value": 40},
        {"label": "South", "value": 20},
        {"label": "East", "value": "10%"},
    ]
    png = render_infographic(
        brand={"colors": ["#c0392b"]}, title="Sales by region", data=data, caption="Q3"
    )
    image = open_png(png)
    assert image.size == (1080, 1350) and image.mode == "RGB"
    pixels = image.load()
    top = int(1350 * 0.25)  # below the header, whose gradient starts at the brand colour
    columns = [x for x in range(1080) if any(pixels[x, y] == primary for y in range(top, 1350, 3))]
    runs: list[list[int]] = []
    for x in columns:
        if runs and x == runs[-1][-1] + 1:
            runs[-1].append(x)
        else:
            runs.append([x])
    bars = [run for run in runs if len(run) > 40]
    assert len(bars) == 3
    heights = []
    for run in bars:
        centre = run[len(run) // 2]
        heights.append(sum(1 for y in range(top, 1350) if pixels[centre, y] == primary))
    assert heights[0] == pytest.approx(2 * heights[1], rel=0.03)
    assert heights[1] == pytest.approx(2 * heights[2], rel=0.06)


@pytest.mark.parametrize("kind", ["bar", "hbar", "line", "pie"])
def test_it_renders_every_chart_kind_with_the_brand_colour(kind):
    data = [{"label": "A", "value": 3}, {"label": "B", "value": 5}, {"label": "C", "value": 2}]
    png = render_chart(960, 540, brand={"colors": ["#c0392b"]}, title="Chart", data=data, kind=kind)
    image = open_png(png)
    assert image.size == (960, 540)
    plot = image.crop((0, 120, 960, 540))
    assert plot.getcolors(1 << 20) is not None
    assert any(colour == (0xC0, 0x39, 0x2B) for _, colour in plot.getcolors(1 << 20))


def test_it_refuses_an_unknown_chart_kind():
    with pytest.raises(ValueError, match="unknown chart kind"):
        render_chart(
            640, 360, brand=BRAND, title="x", data=[{"label": "a", "value": 1}], kind="radar"
        )


def test_it_draws_a_logo_mark_in_the_brand_colour_with_a_wordmark():
    png = render_logo(brand={"colors": ["#2a9d8f"]}, name="Blue Harbour", tagline="Since 1990")
    image = open_png(png)
    assert image.size == (512, 512)
    assert image.getpixel((256, int(512 * 0.36) - 90)) == (0x2A, 0x9D, 0x8F)
    wordmark = image.crop((40, 330, 472, 420))
    assert len(wordmark.getcolors(1 << 20)) > 10  # antialiased glyphs, not an empty band


def test_it_burns_a_caption_into_the_bottom_of_an_image_only():
    plain = Image.new("RGB", (640, 360), (255, 255, 255))
    buffer = io.BytesIO()
    plain.save(buffer, format="PNG")
    captioned = open_png(burn_caption(buffer.getvalue(), "A caption at the bottom"))
    assert captioned.crop((0, 0, 640, 180)).getcolors() == [(640 * 180, (255, 255, 255))]
    darkest = np.asarray(captioned.crop((0, 250, 640, 360)), dtype=int).sum(axis=2).min()
    assert darkest < 3 * 110


def test_it_caches_fonts_by_size_and_weight():
    assert font(20) is font(20)
    assert font(20, bold=True) is not font(20)
