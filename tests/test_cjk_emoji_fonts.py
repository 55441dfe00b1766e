"""CJK text and emoji render as real glyphs through per-character font fallback, never as
empty boxes; QC holds an image whose text no installed font can draw."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image, ImageDraw

from approvals.qc import Brief, Deliverable, check_deliverable
from jobs.mediakit import render_banner, render_title_card
from jobs.mediakit.captions import subtitle_frame
from jobs.mediakit.fonts import clean_text, draw_lines, fit_text, font, wrap_text
from jobs.mediakit.glyphs import MISSING, draw_text, installed, runs, text_length

pytestmark = pytest.mark.skipif(
    not all(installed().values()),
    reason="fonts-noto-cjk and fonts-noto-color-emoji are not installed (make system-deps)",
)

BRAND = {"name": "Harbour Loaf", "colors": ["#1f4e79", "#f2c14e"]}
WHITE, BLACK = (255, 255, 255), (0, 0, 0)


def _ink(text: str, size: int = 96, width: int = 900) -> np.ndarray:
    """`text` in black on white through the renderer's layout; the darkness per pixel."""
    image = Image.new("RGB", (width, size * 2), WHITE)
    draw_lines(
        ImageDraw.Draw(image), (10, 10, width - 20, size * 2 - 20), [text], font(size), BLACK
    )
    return 255 - np.asarray(image.convert("L"), dtype=np.int32)


def _box(size: int = 96) -> np.ndarray:
    """The empty box DejaVu Sans draws for a character it does not have."""
    return _ink(MISSING, size)


def _crop(ink: np.ndarray) -> np.ndarray:
    rows, cols = np.nonzero(ink > 64)
    return ink[rows.min() : rows.max() + 1, cols.min() : cols.max() + 1]


@pytest.mark.parametrize("char", ["春", "セ", "特", "가", "일"])
def test_a_cjk_character_draws_its_strokes_not_the_empty_box(char: str) -> None:
    ink, box = _crop(_ink(char)), _crop(_box())
    assert (ink > 64).sum() > 300  # real strokes
    # The box is a hollow rectangle: ink on its border, none in its middle. The glyph is not.
    same_shape = ink.shape == box.shape and np.abs(ink - box).mean() < 8
    assert not same_shape
    h, w = ink.shape
    middle = ink[h // 4 : 3 * h // 4, w // 4 : 3 * w // 4]
    assert (middle > 64).mean() > 0.05


def test_dejavu_alone_would_draw_boxes_for_the_same_text() -> None:
    # The check above is meaningful: without fallback, the first face has no CJK glyphs.
    face = font(96)
    assert bytes(face.getmask("春")) == bytes(face.getmask(MISSING))
    assert [r.face for r in runs("Sale 春", face)][-1] is not face


def test_an_emoji_draws_in_colour_even_when_the_text_is_black() -> None:
    ink = Image.new("RGB", (400, 200), WHITE)
    draw_text(ImageDraw.Draw(ink), (10, 10), "Bread 🍞", font(96), BLACK)
    pixels = np.asarray(ink, dtype=np.int32)
    spread = pixels.max(axis=2) - pixels.min(axis=2)
    coloured = spread > 60  # black text and white paper are grey: only the emoji has colour
    assert coloured.sum() > 1000
    # The emoji sits right of the word and is about as tall as the type.
    cols = np.nonzero(coloured.any(axis=0))[0]
    rows = np.nonzero(coloured.any(axis=1))[0]
    assert cols.min() > text_length("Bread ", font(96)) - 5
    assert 60 < rows.max() - rows.min() < 140


def test_an_emoji_sequence_draws_as_one_picture() -> None:
    # A woman cook is a woman, a joiner and a frying pan: one emoji, not two.
    face = font(96)
    assert clean_text("👩\u200d🍳") == "👩\u200d🍳"
    one = text_length("👩\u200d🍳", face)
    assert one == pytest.approx(text_length("👩", face), rel=0.05)
    assert text_length("👍🏽", face) == pytest.approx(text_length("👍", face), rel=0.05)


def test_a_red_heart_asked_for_as_emoji_is_red() -> None:
    image = Image.new("RGB", (300, 200), WHITE)
    draw_text(ImageDraw.Draw(image), (10, 10), "\u2764\ufe0f", font(96), BLACK)
    r, g, b = (np.asarray(image, dtype=np.int32)[..., i] for i in range(3))
    assert ((r > 150) & (g < 90) & (b < 90)).sum() > 500


def test_japanese_without_spaces_wraps_inside_its_box_and_keeps_punctuation_with_its_word() -> None:
    face = font(48)
    text = "新しいパンが毎週金曜日に届きます。お早めにどうぞ。"
    lines = wrap_text(text, face, 400)
    assert len(lines) >= 3
    assert "".join(lines) == text
    assert all(text_length(line, face) <= 400 for line in lines)
    assert not any(line.startswith(("。", "、")) for line in lines)


def test_fit_text_keeps_cjk_type_large_instead_of_shrinking_to_one_line() -> None:
    face, lines = fit_text(None, "春のセール、新しいパンが毎週金曜日に", 500, 300, 80)
    assert face.size >= 48
    assert len(lines) > 1


def _open(png: bytes) -> Image.Image:
    return Image.open(io.BytesIO(png)).convert("RGB")


def test_a_banner_in_japanese_with_an_emoji_passes_qc_and_shows_ink_and_colour() -> None:
    headline, subline = "春のセール 🎉", "新しいパンが毎週金曜日に届きます。"
    png = render_banner(1200, 628, brand=BRAND, headline=headline, subline=subline)
    image = np.asarray(_open(png), dtype=np.int32)
    text_column = image[150:500, 40:700]
    # White headline type on the brand's dark blue: many near-white pixels.
    assert (text_column.min(axis=2) > 230).sum() > 4000
    banner = Deliverable(kind="image", data=png, metadata={"text": f"{headline}\n{subline}"})
    found = check_deliverable(banner, Brief(sizes=((1200, 628),)))
    assert [f.check for f in found if f.blocking] == []


def test_qc_holds_a_banner_whose_script_no_installed_font_draws() -> None:
    png = render_banner(1200, 628, brand=BRAND, headline="ขายดี", subline="Fresh bread")
    banner = Deliverable(kind="image", data=png, metadata={"text": "ขายดี\nFresh bread"})
    found = [f for f in check_deliverable(banner, Brief()) if f.blocking]
    assert [f.check for f in found] == ["glyphs"]
    assert "U+0E02" in found[0].message


def test_a_video_title_card_and_its_caption_draw_korean_and_emoji() -> None:
    card = _open(render_title_card(1280, 720, brand=BRAND, text="가을 세일 🍞"))
    pixels = np.asarray(card, dtype=np.int32)
    assert ((pixels.max(axis=2) - pixels.min(axis=2)) > 100).sum() > 500  # the bread's colour
    layer = subtitle_frame(1280, 720, "매주 금요일 신선한 빵 ✨")
    alpha = np.asarray(layer, dtype=np.int32)
    white = (alpha[..., 3] == 255) & (alpha[..., :3].min(axis=2) > 230)
    assert white.sum() > 800
    yellow = (alpha[..., 0] > 200) & (alpha[..., 1] > 150) & (alpha[..., 2] < 100)
    assert yellow.sum() > 50  # the sparkles are drawn in their own colour


def test_latin_text_draws_exactly_as_before() -> None:
    # Text the first face covers is one plain draw call: existing visuals do not move.
    face = font(40)
    a = Image.new("RGB", (500, 80), WHITE)
    b = a.copy()
    draw_text(ImageDraw.Draw(a), (5, 5), "Fresh bread, every Friday", face, BLACK)
    ImageDraw.Draw(b).text((5, 5), "Fresh bread, every Friday", font=face, fill=BLACK)
    assert a.tobytes() == b.tobytes()
