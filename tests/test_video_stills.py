"""Video stills: the client's photo of a described shot, a typographic card where none fits,
the end card with the uploaded logo; never an abstract picture standing in for a shot."""

from __future__ import annotations

import io
import subprocess

import numpy as np
import pytest
from PIL import Image

from jobs.mediakit import images, stills
from jobs.mediakit.ffmpeg import ffmpeg_exe
from jobs.mediakit.kit import BrandKit, Photo, photo_for
from jobs.mediakit.palette import palette_from_brand
from jobs.models import Output
from jobs.workflows.scene_stills import assign_photos, scene_still
from production.brand_library import brand_asset_create
from tests.factories import produce

MAGENTA = (255, 0, 255)
BRAND = {
    "name": "Northwind Coffee",
    "colors": ["#6B3E26", "#F2E3C6", "#2F6F4E"],
    "tagline": "Roasted close to home",
}


def solid(colour: tuple[int, int, int], size=(1600, 1000)) -> Image.Image:
    image = Image.new("RGB", size, colour)
    # A darker band, so a crop that is not a plain scale of the photo would show.
    image.paste(Image.new("RGB", (size[0], size[1] // 10), (20, 20, 20)), (0, size[1] // 2))
    return image


def logo() -> Image.Image:
    mark = Image.new("RGBA", (400, 200), (0, 0, 0, 0))
    mark.paste(Image.new("RGBA", (360, 160), (*MAGENTA, 255)), (20, 20))
    return mark


KIT = BrandKit(
    logo=logo(),
    photos=(
        Photo(solid((200, 120, 40)), "Cold brew bottles on the counter"),
        Photo(solid((40, 160, 200)), "Iced cold brew glass with milk"),
        Photo(solid((90, 50, 20)), "Freshly roasted coffee beans"),
    ),
)


def scene(index: int, prompt: str, narration: str = "", kind: str = "generated_image", **extra):
    return {
        "id": f"s{index}",
        "index": index,
        "title": extra.pop("title", f"Scene {index}"),
        "narration": narration,
        "on_screen_text": extra.pop("on_screen_text", ""),
        "visual": {"kind": kind, "prompt": prompt},
        **extra,
    }


SCENES = [
    scene(1, "Close-up of roasted coffee beans tumbling", "It starts with the beans."),
    scene(
        2,
        "A kitchen timer on the counter, slow drip",
        "We steep every batch for 18 hours in cold water.",
    ),
    scene(3, "Cold brew bottles lined up on the counter", "Then we bottle it by hand."),
    scene(
        4, "Logo on cream", "Find it in our cafés.", kind="title_card", on_screen_text="Order today"
    ),
]


def decode(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=int)


def near(pixels: np.ndarray, colour, tolerance: int = 40) -> np.ndarray:
    return np.abs(pixels - np.array(colour)).sum(axis=-1) <= tolerance


@pytest.fixture
def no_abstract_frames(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("an abstract frame was drawn for a described shot")

    monkeypatch.setattr(images, "render_scene_frame", refuse)


def test_a_photo_fits_a_shot_only_when_its_description_shares_its_words():
    assert photo_for(KIT, "Cold brew bottles lined up on the counter").title.startswith(
        "Cold brew bottles"
    )
    assert (
        photo_for(KIT, "Close-up of roasted coffee beans").title == "Freshly roasted coffee beans"
    )
    # One shared word ("counter"), or only the words every product shares, is not a fit.
    assert photo_for(KIT, "A kitchen timer on the counter") is None
    assert photo_for(KIT, "Cold brew being poured") is None
    assert photo_for(None, "anything") is None


def test_each_scene_gets_its_photo_a_card_or_the_end_card(no_abstract_frames):
    made = {
        s["id"]: scene_still(
            s, SCENES, width=1280, height=720, brand=BRAND, kit=KIT, title="Cold brew"
        )
        for s in SCENES
    }

    assert {k: v.source for k, v in made.items()} == {
        "s1": "photo",
        "s2": "card",
        "s3": "photo",
        "s4": "end_card",
    }
    assert made["s1"].photo_title == "Freshly roasted coffee beans"
    assert made["s3"].photo_title == "Cold brew bottles on the counter"
    for still in made.values():
        assert Image.open(io.BytesIO(still.png)).size == (1280, 720)


def test_a_photo_scene_is_the_photo_at_the_frame_size():
    still = decode(stills.photo_still(KIT.photos[0], 1280, 720))

    # The photo's own colour fills the upper frame; the dark band stays a band (a cover crop).
    assert near(still[50:300], (200, 120, 40), 30).mean() > 0.95
    band_rows = np.nonzero(near(still[:, 640], (20, 20, 20), 30))[0]
    assert 40 <= band_rows.size <= 100


def test_a_card_sets_the_scenes_words_in_the_brand_colours(monkeypatch):
    drawn = []
    original = stills.draw_lines
    monkeypatch.setattr(
        stills,
        "draw_lines",
        lambda draw, box, lines, face, fill, **kw: (
            drawn.append(" ".join(lines)) or original(draw, box, lines, face, fill, **kw)
        ),
    )
    png = stills.motion_card(
        1280,
        720,
        brand=BRAND,
        text=stills.card_text(SCENES[1]["narration"]),
        kicker="The wait",
        kit=KIT,
        variant=0,
    )

    assert drawn == ["THE WAIT", "18 hours", "We steep every batch for 18 hours in cold water"]
    pixels = decode(png)
    primary = palette_from_brand(BRAND).primary
    # The card is a deep shade of the brand's primary colour, with the logo top right.
    assert np.abs(pixels[400:700, :300].mean(axis=(0, 1)) - np.array(primary)).sum() < 120
    assert near(pixels[:100, 900:], MAGENTA).sum() > 200
    # The lower 40% is left to the burned-in caption: no words of the card there.
    assert np.abs(np.diff(pixels[440:700], axis=1)).max() < 12


def test_card_words_are_the_narrations_first_sentence_kept_short():
    assert stills.card_text("Pour it over ice. Then add milk.") == "Pour it over ice"
    long = "We steep every batch slowly, in cold filtered water, for a smoother and sweeter cup of coffee every time."
    assert stills.card_text(long) == "We steep every batch slowly, in cold filtered water"
    assert stills.card_text("", fallback="Timer on the counter") == "Timer on the counter"
    assert stills.headline_figure("Up 40% on last year") == "40%"
    assert stills.headline_figure("No figures here") == ""


def test_the_end_card_shows_the_uploaded_logo_large_and_centred():
    pixels = decode(stills.end_card(1280, 720, brand=BRAND, name="Northwind Coffee", kit=KIT))

    ys, xs = np.nonzero(near(pixels, MAGENTA))
    assert xs.size > 60_000  # a large mark, not a corner bug
    assert abs((xs.min() + xs.max()) / 2 - 640) < 20
    assert ys.max() < 720 * 0.62  # above the caption band


def test_without_uploads_scenes_become_cards_and_the_end_card_a_wordmark(
    no_abstract_frames, monkeypatch
):
    drawn = []
    original = stills.draw_lines
    monkeypatch.setattr(
        stills,
        "draw_lines",
        lambda draw, box, lines, face, fill, **kw: (
            drawn.append(" ".join(lines)) or original(draw, box, lines, face, fill, **kw)
        ),
    )
    sources = [
        scene_still(
            s, SCENES, width=640, height=360, brand=BRAND, kit=None, title="Cold brew"
        ).source
        for s in SCENES
    ]

    assert sources == ["card", "card", "card", "end_card"]
    assert "Northwind Coffee" in drawn


def test_consecutive_scenes_do_not_repeat_a_photo_when_another_fits():
    scenes = [
        scene(1, "Cold brew bottles on the counter"),
        scene(2, "Cold brew bottles on ice"),
        scene(3, "End"),
    ]
    kit = BrandKit(
        photos=(
            Photo(solid((1, 1, 1)), "Cold brew bottles on the counter"),
            Photo(solid((2, 2, 2)), "Cold brew bottles on ice"),
        )
    )

    chosen = assign_photos(scenes, kit)

    assert chosen["s1"].title == "Cold brew bottles on the counter"
    assert chosen["s2"].title == "Cold brew bottles on ice"
    assert "s3" not in chosen  # the last scene is the end card


TREATMENT = """## Scene 1: Beans
Narration: Great cold brew starts with beans roasted close to home.
Visual: Close-up of freshly roasted coffee beans.

## Scene 2: The wait
Narration: We steep every batch for 18 hours in cold water.
Visual: A kitchen timer ticking on the counter.

## Scene 3: Call to action
Narration: Find Northwind cold brew in our cafés.
On-screen text: Order today
"""


def png_bytes(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.mark.django_db
def test_a_rendered_video_shows_the_uploaded_photo_and_ends_on_the_uploaded_logo(
    acme, media_root, tmp_path
):
    brand_asset_create(client=acme, kind="logo", data=png_bytes(logo()), user=None)
    brand_asset_create(
        client=acme,
        kind="product_photo",
        data=png_bytes(solid((40, 160, 200))),
        title="Freshly roasted coffee beans",
        user=None,
    )

    job = produce(
        acme,
        job_type="video",
        title="Cold brew",
        inputs={"treatment": TREATMENT, "durationSeconds": 10},
    )

    frames = {
        o.metadata["scene_id"]: o for o in Output.objects.filter(job=job, key__startswith="frame_")
    }
    assert [frames[k].metadata["source"] for k in sorted(frames)] == ["photo", "card", "end_card"]
    video = Output.objects.get(job=job, kind="video")
    path = tmp_path / "video.mp4"
    path.write_bytes(video.file.read())
    last = tmp_path / "last.png"
    subprocess.run(
        [
            ffmpeg_exe(),
            "-v",
            "error",
            "-sseof",
            "-0.3",
            "-i",
            str(path),
            "-frames:v",
            "1",
            "-y",
            str(last),
        ],
        check=True,
        timeout=120,
    )
    first = tmp_path / "first.png"
    subprocess.run(
        [
            ffmpeg_exe(),
            "-v",
            "error",
            "-ss",
            "0.5",
            "-i",
            str(path),
            "-frames:v",
            "1",
            "-y",
            str(first),
        ],
        check=True,
        timeout=120,
    )
    end = np.asarray(Image.open(last).convert("RGB"), dtype=int)
    assert near(end, MAGENTA, 90).sum() > 0.04 * end.shape[0] * end.shape[1]
    opening = np.asarray(Image.open(first).convert("RGB"), dtype=int)
    assert near(opening[: opening.shape[0] // 3], (40, 160, 200), 60).mean() > 0.8


def test_a_title_card_between_scenes_carries_the_logo_and_the_brand_font(monkeypatch):
    families = []
    original = images.fit_text
    monkeypatch.setattr(
        images, "fit_text", lambda *a, **kw: families.append(kw.get("family")) or original(*a, **kw)
    )
    kit = BrandKit(logo=logo(), font=b"")  # no font file: the bundled face
    scenes = [
        scene(1, "Chapter two", kind="title_card", on_screen_text="Chapter two"),
        scene(2, "End"),
    ]

    still = scene_still(scenes[0], scenes, width=1280, height=720, brand=BRAND, kit=kit, title="x")

    assert still.source == "title_card"
    pixels = decode(still.png)
    assert near(pixels[:130], MAGENTA).sum() > 1000
    assert families == [b""]
