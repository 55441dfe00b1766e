"""Video stills in the brand: a client's photo as a scene, typographic cards, the end card.

Every still leaves the bottom 40% of the frame free of its own words: the render burns the
scene's on-screen text there as a caption. The timeline adds the motion (slow pan and zoom
over a photo, the card's words easing in); these are the frames it moves over.
"""

from __future__ import annotations

import re

from PIL import Image, ImageDraw

from .draw import brand_backdrop, cover, paste_logo, photo_backdrop, to_png
from .fonts import block_height, clean_text, draw_lines, fit_text
from .images import Brand, _check_size
from .kit import BrandKit, Photo
from .palette import darken, ensure_contrast, lighten, mix, palette_from_brand, readable_on

# A figure worth setting large: "40%", "18 hours", "3x", "$12", "1,200 customers".
_FIGURE = re.compile(
    r"(?<![\w.])((?:[$€£]\s?)?\d[\d,.]*(?:\s?(?:%|x\b|×|k\b|m\b))?"
    r"(?:\s(?:hours?|minutes?|days?|weeks?|years?|months?|countries|cities|customers|people"
    r"|cups?|stores?|shops?|litres?|liters?|kg|grams?))?)",
    re.IGNORECASE,
)
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
CARD_WORDS = 14  # words on a card; more is a paragraph, not a card


def photo_still(photo: Photo, width: int, height: int) -> bytes:
    """The photo filling the frame, cropped around its upper middle where subjects sit.

    A gentle darkening towards the bottom keeps the burned-in caption readable without
    hiding the picture.
    """
    width, height = _check_size(width, height)
    image = cover(photo.image, width, height, focus=(0.5, 0.42))
    fade = Image.linear_gradient("L").resize((width, height))
    fade = fade.point(lambda v: max(0, v - 150) * 90 // 105)  # 0 above 60%, ~35% at the foot
    image = Image.composite(Image.new("RGB", (width, height), (0, 0, 0)), image, fade)
    return to_png(image)


def card_text(narration: str, fallback: str = "") -> str:
    """The words for a typographic card: the narration's first sentence, kept short.

    A sentence longer than CARD_WORDS is cut at its last comma within them, else marked
    with an ellipsis.
    """
    first = _SENTENCE.split(clean_text(narration), maxsplit=1)[0] if narration.strip() else ""
    words = (first or clean_text(fallback)).split(" ")
    if len(words) <= CARD_WORDS:
        return " ".join(words).rstrip(".")
    head = " ".join(words[:CARD_WORDS])
    for mark in (";", ","):
        if mark in head:
            return head[: head.rindex(mark)]
    return head.rstrip(",;:") + "…"


def headline_figure(text: str) -> str:
    """The first figure in the text worth setting large ("18 hours", "40%"), or ""."""
    match = _FIGURE.search(text)
    if not match or not any(ch.isdigit() for ch in match.group(1)):
        return ""
    return match.group(1).strip().rstrip(".,")


def motion_card(
    width: int,
    height: int,
    *,
    brand: Brand,
    text: str,
    kicker: str = "",
    kit: BrandKit | None = None,
    variant: int = 0,
) -> bytes:
    """A typographic card: the scene's key words large in the brand's colours and font.

    A figure in the words ("18 hours") is also set on its own line, larger, in the accent
    colour. `variant` alternates a deep brand-colour card and a light one, so consecutive
    cards differ. The logo, when uploaded, sits small in the top corner. The block of words
    is centred in the upper 60% of the frame.
    """
    width, height = _check_size(width, height)
    palette = palette_from_brand(brand)
    family = kit.font if kit else None
    if variant % 2 == 0:
        image, ink = brand_backdrop(width, height, darken(palette.primary, 0.15), angle=135)
        figure_ink = ensure_contrast(lighten(palette.accent, 0.1), darken(palette.primary, 0.4))
    else:
        light = mix(palette.background, palette.secondary, 0.12)
        image, ink = brand_backdrop(width, height, light, angle=135)
        ink = ensure_contrast(palette.primary, light)
        figure_ink = ensure_contrast(palette.accent, light, 3.0)
    draw = ImageDraw.Draw(image)
    margin_x, margin_y = round(width * 0.09), round(height * 0.1)
    if kit is not None and kit.logo is not None:
        logo_w = round(width * 0.2)
        box = (width - margin_x - logo_w, margin_y // 2, logo_w, round(height * 0.09))
        paste_logo(image, kit.logo, box, align="right")
    box_w = width - 2 * margin_x
    area_top, area_h = margin_y + round(height * 0.04), round(height * 0.56) - margin_y
    rule_h = max(4, height // 110)
    gap = round(height * 0.03)
    # Measure every part first, then centre the block.
    kicker_face, kicker_lines = fit_text(
        draw,
        clean_text(kicker).upper(),
        box_w,
        round(height * 0.05),
        round(height * 0.035),
        12,
        True,
        max_lines=1,
        family=family,
    )
    kicker_h = block_height(kicker_face, len(kicker_lines))
    fixed = rule_h + gap + (kicker_h + gap if kicker_lines else 0)
    figure = headline_figure(text)
    figure_face, figure_lines = fit_text(
        draw,
        figure,
        box_w,
        round((area_h - fixed) * 0.45),
        round(height * 0.2),
        24,
        True,
        max_lines=1,
        family=family,
    )
    figure_h = block_height(figure_face, len(figure_lines))
    if figure_lines:
        fixed += figure_h + gap
    face, lines = fit_text(
        draw,
        text,
        box_w,
        area_h - fixed,
        round(height * (0.07 if figure_lines else 0.09)),
        18,
        True,
        max_lines=4,
        family=family,
    )
    y = area_top + max(0, (area_h - fixed - block_height(face, len(lines))) // 2)
    draw.rectangle((margin_x, y, margin_x + round(width * 0.08), y + rule_h), fill=palette.accent)
    y += rule_h + gap
    if kicker_lines:
        draw_lines(draw, (margin_x, y, box_w, kicker_h), kicker_lines, kicker_face, ink)
        y += kicker_h + gap
    if figure_lines:
        draw_lines(draw, (margin_x, y, box_w, figure_h), figure_lines, figure_face, figure_ink)
        y += figure_h + gap
    draw_lines(draw, (margin_x, y, box_w, block_height(face, len(lines))), lines, face, ink)
    return to_png(image)


def end_card(
    width: int,
    height: int,
    *,
    brand: Brand,
    name: str,
    line: str = "",
    kit: BrandKit | None = None,
    photo: Photo | None = None,
) -> bytes:
    """The closing frame: the uploaded logo large and centred, the brand line beneath.

    Without an uploaded logo the brand name is set as a wordmark. With a photo the card sits
    on it under a wash of the brand colour. The lower 40% stays clear for the caption (the
    call to action the scene's on-screen text carries).
    """
    width, height = _check_size(width, height)
    palette = palette_from_brand(brand)
    family = kit.font if kit else None
    if photo is not None:
        shade = darken(palette.primary, 0.3)
        image = photo_backdrop(photo.image, width, height, shade, strength=0.86, solid=1)
        ink = readable_on(shade)
    else:
        image, ink = brand_backdrop(width, height, palette.background, angle=90)
        ink = palette.brand_text
    draw = ImageDraw.Draw(image)
    area_top, area_h = round(height * 0.1), round(height * 0.5)
    line_h = round(height * 0.08) if clean_text(line) else 0
    mark_h = area_h - line_h - (round(height * 0.04) if line_h else 0)
    mark_w = round(width * 0.5)
    if kit is not None and kit.logo is not None:
        # A light chip only on a photo: on the light card the logo stands on its own.
        chip = (255, 255, 255) if photo is not None else None
        covered = paste_logo(
            image,
            kit.logo,
            ((width - mark_w) // 2, area_top, mark_w, mark_h),
            chip=chip,
            align="center",
        )
    else:
        face, lines = fit_text(
            draw,
            clean_text(name) or "Thank you",
            mark_w,
            mark_h,
            round(height * 0.14),
            20,
            True,
            max_lines=2,
            family=family,
        )
        covered = draw_lines(
            draw,
            ((width - mark_w) // 2, area_top, mark_w, mark_h),
            lines,
            face,
            ink,
            align="center",
            valign="middle",
        )
    if line_h:
        top = covered[1] + covered[3] + round(height * 0.04)
        face, lines = fit_text(
            draw,
            line,
            round(width * 0.7),
            line_h,
            round(height * 0.05),
            16,
            max_lines=2,
            family=family,
        )
        draw_lines(
            draw,
            (round(width * 0.15), top, round(width * 0.7), line_h),
            lines,
            face,
            ink,
            align="center",
        )
    rule_w = max(40, width // 10)
    rule_y = area_top + area_h + round(height * 0.03)
    draw.rectangle(
        ((width - rule_w) // 2, rule_y, (width + rule_w) // 2, rule_y + max(4, height // 110)),
        fill=palette.accent,
    )
    return to_png(image)
