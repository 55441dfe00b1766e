"""Visual jobs draw with the client's uploaded logo, photos and font, and keep their words whole."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from jobs.mediakit import fonts, images
from jobs.mediakit.brand_assets import brand_kit, client_font, client_logo, client_photos
from jobs.mediakit.fonts import BOLD, fit_text, font
from jobs.mediakit.kit import BrandKit, Photo
from jobs.mediakit.palette import contrast_ratio, darken, palette_from_brand, readable_on
from jobs.models import Output
from production.brand_library import brand_asset_create
from tests.factories import produce

MAGENTA = (255, 0, 255)


def png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def magenta_logo() -> Image.Image:
    logo = Image.new("RGBA", (300, 100), (0, 0, 0, 0))
    logo.paste(Image.new("RGBA", (260, 80), (*MAGENTA, 255)), (20, 10))
    return logo


def striped_photo(colour=(0, 200, 230)) -> Image.Image:
    photo = Image.new("RGB", (1200, 800), colour)
    for x in range(0, 1200, 80):
        photo.paste(Image.new("RGB", (40, 800), (255, 255, 255)), (x, 0))
    return photo


@pytest.fixture
def recorded_lines(monkeypatch) -> list[list[str]]:
    """Every block of lines the renderers draw, in order."""
    drawn: list[list[str]] = []
    original = images.draw_lines

    def record(draw, box, lines, face, fill, **kwargs):
        drawn.append(list(lines))
        return original(draw, box, lines, face, fill, **kwargs)

    monkeypatch.setattr(images, "draw_lines", record)
    return drawn


def decode(data: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(data)).convert("RGB"), dtype=int)


def near(pixels: np.ndarray, colour: tuple[int, int, int], tolerance: int = 30) -> np.ndarray:
    return np.abs(pixels - np.array(colour)).sum(axis=-1) <= tolerance


# --- brand_assets.py reads what was uploaded ----------------------------------------------------


@pytest.mark.django_db
def test_it_reads_a_clients_logo_photos_and_font_and_nothing_of_another_client(
    acme, globex, media_root
):
    brand_asset_create(client=acme, kind="logo", data=png(magenta_logo()), user=None)
    brand_asset_create(
        client=acme, kind="product_photo", data=png(striped_photo()), title="Trail pack", user=None
    )
    brand_asset_create(client=acme, kind="font", data=BOLD.read_bytes(), user=None)
    brand_asset_create(
        client=globex, kind="team_photo", data=png(striped_photo((200, 0, 0))), user=None
    )

    logo = client_logo(acme)
    assert logo is not None and logo.mode == "RGBA" and logo.size == (300, 100)
    assert logo.getpixel((150, 50)) == (*MAGENTA, 255)
    photos = client_photos(acme)
    assert [(p.title, p.kind, p.image.size) for p in photos] == [
        ("Trail pack", "product_photo", (1200, 800))
    ]
    face = client_font(acme, 40)
    assert face is not None and face.size == 40 and face.getname()[0] == "DejaVu Sans"
    kit = brand_kit(acme)
    assert kit.logo is not None and len(kit.photos) == 1 and kit.font == BOLD.read_bytes()
    assert client_logo(globex) is None and client_font(globex, 20) is None
    assert [p.kind for p in brand_kit(globex).photos] == ["team_photo"]


@pytest.mark.django_db
def test_a_client_without_assets_gets_an_empty_kit(acme):
    assert brand_kit(acme).empty


# --- words stay whole ---------------------------------------------------------------------------


def test_a_word_is_never_split_when_a_smaller_size_fits_it_whole():
    face, lines = fit_text(
        None, "Slow-steeped cold brew, ready when you are", 180, 120, 40, 12, True
    )

    assert "Slow-steeped" in " ".join(lines).split(" ")
    assert all(face.getlength(line) <= 180 for line in lines)
    # At the largest size the word would not fit the box: the text was set smaller instead.
    assert font(40, True).getlength("Slow-steeped") > 180 and face.size < 40


@pytest.mark.parametrize("size", ["300x250", "728x90", "1200x628", "1500x500"])
def test_banners_break_lines_only_between_words(size, recorded_lines):
    width, height = (int(v) for v in size.split("x"))
    headline = "Slow-steeped cold brew, ready when you are"
    subline = "Eighteen-hour extraction, bottled in Portland"

    images.render_banner(
        width,
        height,
        brand={"name": "Northwind Coffee"},
        headline=headline,
        subline=subline,
        cta="Order today",
    )

    words = set(f"{headline} {subline} Order today NORTHWIND COFFEE".split())
    drawn = [word for block in recorded_lines for line in block for word in line.split()]
    assert drawn
    for word in drawn:
        assert word in words or word.endswith("…"), f"{word!r} is a piece of a word on {size}"
    assert "Slow-steeped" in drawn


# --- the logo job and the social image ----------------------------------------------------------


@pytest.mark.django_db
def test_the_logo_job_draws_exactly_the_name_it_is_given(acme, media_root, recorded_lines):
    job = produce(
        acme,
        job_type="visual",
        title="Cold brew mark",
        inputs={"visualType": "logo", "headline": "Northwind Cold Brew", "sizes": ["512x512"]},
    )

    output = Output.objects.get(job=job, kind="image")
    assert output.metadata["text"].startswith("Northwind Cold Brew")
    texts = [" ".join(block) for block in recorded_lines]
    assert "NC" in texts  # the monogram of the given name
    assert "Northwind Cold Brew" in texts  # the wordmark, whole, on however many lines
    assert not any("Acme" in text for text in texts)


@pytest.mark.django_db
def test_the_social_image_keeps_its_call_to_action(acme, media_root, recorded_lines):
    job = produce(
        acme,
        job_type="visual",
        title="Launch post",
        inputs={
            "visualType": "social_image",
            "headline": "Cold brew is back",
            "callToAction": "Order today",
            "sizes": ["1080x1080"],
        },
    )

    output = Output.objects.get(job=job, kind="image")
    assert "Order today" in output.metadata["text"]
    assert ["Order today"] in recorded_lines
    # The button is drawn in the accent colour, below the headline.
    pixels = decode(output.file.read())
    accent = palette_from_brand(acme.brand()).accent
    # (The accent rule above the headline is narrower than the button.)
    rows = np.nonzero(near(pixels, accent, 12).sum(axis=1) > 200)[0]
    assert rows.size and rows.min() > 1080 * 0.55


# --- logo, photos and font from the kit ---------------------------------------------------------


def kit_with(**parts) -> BrandKit:
    return BrandKit(**parts)


@pytest.mark.parametrize(
    ("render", "corner"),
    [
        (
            lambda kit: images.render_banner(1200, 628, brand={}, headline="Cold brew", kit=kit),
            (0, 0, 600, 200),
        ),
        (
            lambda kit: images.render_banner(300, 250, brand={}, headline="Cold brew", kit=kit),
            (0, 0, 300, 90),
        ),
        (
            lambda kit: images.render_banner(728, 90, brand={}, headline="Cold brew", kit=kit),
            (0, 0, 250, 90),
        ),
        (
            lambda kit: images.render_social_image(
                1080, 1080, brand={}, headline="Cold brew", kit=kit
            ),
            (0, 0, 540, 250),
        ),
        (
            lambda kit: images.render_infographic(
                1080, 1350, brand={}, title="Farms", data=[{"label": "A", "value": 1}], kit=kit
            ),
            (0, 1350 - 135, 540, 1350),
        ),
    ],
    ids=["banner", "rectangle", "leaderboard", "social", "infographic"],
)
def test_the_uploaded_logo_is_on_banners_social_images_and_infographics(render, corner):
    with_logo = decode(render(kit_with(logo=magenta_logo())))
    without = decode(render(None))

    x0, y0, x1, y1 = corner
    assert near(with_logo[y0:y1, x0:x1], MAGENTA).sum() > 500
    assert near(without, MAGENTA).sum() == 0


def test_a_photo_shows_behind_the_headline_under_a_shade_that_keeps_text_legible():
    brand = {"name": "Northwind Coffee", "colors": ["#6B3E26", "#F2E3C6", "#2F6F4E"]}
    white = Photo(image=Image.new("RGB", (1600, 900), (255, 255, 255)), title="Bottles")
    kit = kit_with(photos=(Photo(image=striped_photo(), title="Bottles"),))

    banner = decode(images.render_banner(1200, 628, brand=brand, headline="Cold brew", kit=kit))
    # The photo shows on the right, where there are no words.
    assert near(banner[:, 900:], (0, 200, 230), 160).sum() > 5000
    # Worst case, a white photo: everywhere the words go, the shade still reads against them.
    colours = {"colors": brand["colors"]}  # no name drawn: only the backdrop is sampled
    backdrop = decode(
        images.render_banner(1200, 628, brand=colours, headline="", kit=kit_with(photos=(white,)))
    )
    shade = darken(palette_from_brand(brand).primary, 0.35)
    text = readable_on(shade)
    column = backdrop[: 628 - 20, : round(1200 * images.PHOTO_PANEL)].reshape(-1, 3)
    assert min_contrast(text, column) >= 4.5
    social = decode(
        images.render_social_image(
            1080, 1080, brand=colours, headline="", kit=kit_with(photos=(white,))
        )
    )
    assert min_contrast(text, social[round(1080 * 0.5) :, :].reshape(-1, 3)) >= 4.5


def min_contrast(text: tuple[int, int, int], pixels: np.ndarray) -> float:
    return min(contrast_ratio(text, tuple(int(c) for c in px)) for px in np.unique(pixels, axis=0))


def test_the_brand_font_sets_the_words(monkeypatch):
    families = []
    original = images.fit_text

    def spy(*args, **kwargs):
        families.append(kwargs.get("family"))
        return original(*args, **kwargs)

    monkeypatch.setattr(images, "fit_text", spy)
    data = BOLD.read_bytes()
    images.render_banner(
        1200, 628, brand={"name": "N"}, headline="Cold brew", cta="Go", kit=kit_with(font=data)
    )

    assert families and all(family is data for family in families)
    assert fonts.font(30, family=data).getname() == ("DejaVu Sans", "Bold")
