"""Brand visuals as PNG bytes: banners, social images, infographics, logos, scene frames."""

from __future__ import annotations

import hashlib
import io
import random
from collections.abc import Iterable, Mapping
from typing import Any

from PIL import Image, ImageDraw, ImageFilter

from .charts import draw_chart
from .draw import (
    blank_layer,
    brand_backdrop,
    linear_gradient,
    overlay,
    paste_logo,
    photo_backdrop,
    photo_panel,
    regular_polygon,
    rounded_box,
    to_png,
)
from .fonts import block_height, clean_text, draw_lines, fit_text
from .glyphs import text_length
from .kit import BrandKit, Photo, photo_for
from .palette import (
    INK,
    RGB,
    WHITE,
    Palette,
    darken,
    ensure_contrast,
    lighten,
    mix,
    palette_from_brand,
    readable_on,
    rotate_hue,
)

Brand = Mapping[str, Any] | None
MAX_SIDE = 4096
SOCIAL_SIZES = {"square": (1080, 1080), "portrait": (1080, 1350), "story": (1080, 1920)}
# Banners this much wider than tall get a single-row layout.
STRIP_RATIO = 4
# Banners less than this much wider than tall (300x250) give the words the full width.
NARROW_RATIO = 1.6
# Where a landscape banner's photo begins (share of the width); the words stay left of it.
PHOTO_PANEL = 0.5
# Smallest type drawn for secondary text; below it a line is left out rather than squinted at.
LEGIBLE_PX = 10
CAPTION_BAND = (*INK, 178)  # 70% ink: white text on it stays above 4.5:1 over any image


def _check_size(width: int, height: int) -> tuple[int, int]:
    width, height = int(width), int(height)
    if not (64 <= width <= MAX_SIDE and 64 <= height <= MAX_SIDE):
        raise ValueError(f"image size {width}x{height} outside 64..{MAX_SIDE} pixels")
    return width, height


def _brand_name(brand: Brand) -> str:
    return clean_text(str((brand or {}).get("name", "")))[:60]


def _rng(*parts: object) -> random.Random:
    """A random generator fixed by its inputs: same inputs, same picture."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8")).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def image_info(png_bytes: bytes) -> dict[str, Any]:
    """Width, height, mode and format of an encoded image."""
    with Image.open(io.BytesIO(png_bytes)) as image:
        return {
            "width": image.width,
            "height": image.height,
            "mode": image.mode,
            "format": image.format,
        }


def _family(kit: BrandKit | None) -> bytes | None:
    return kit.font if kit else None


def _banner_photo(kit: BrandKit | None, *texts: str) -> Photo | None:
    """The photo that fits the words best; any photo suits a banner when none is named."""
    if kit is None or not kit.photos:
        return None
    return photo_for(kit, " ".join(texts)) or kit.photos[0]


def _name_or_logo(
    image: Image.Image,
    kit: BrandKit | None,
    name: str,
    box: tuple[int, int, int, int],
    colour: RGB,
    *,
    align: str = "left",
) -> tuple[int, int, int, int]:
    """The uploaded logo in `box`, else the brand name in capitals; returns what it covered."""
    x, y, w, h = box
    if kit is not None and kit.logo is not None:
        return paste_logo(image, kit.logo, box, align=align)
    if not name:
        return (x, y, 0, 0)
    draw = ImageDraw.Draw(image)
    face, lines = fit_text(
        draw, name.upper(), w, h, round(h * 0.7), 10, True, max_lines=1, family=_family(kit)
    )
    return draw_lines(draw, box, lines, face, colour, align=align, valign="middle")  # type: ignore[arg-type]


def _button(
    image: Image.Image,
    text: str,
    *,
    left: int,
    bottom: int,
    max_w: int,
    max_size: int,
    min_size: int,
    palette: Palette,
    kit: BrandKit | None,
) -> int:
    """A rounded call-to-action button whose bottom edge is at `bottom`; returns its height."""
    draw = ImageDraw.Draw(image)
    face, lines = fit_text(
        draw, text, max_w, max_size * 2, max_size, min_size, True, max_lines=1, family=_family(kit)
    )
    if not lines:
        return 0
    pad_x, pad_y = round(face.size * 1.1), round(face.size * 0.6)
    button_w = round(text_length(lines[0], face)) + 2 * pad_x
    button_h = block_height(face, 1) + 2 * pad_y
    rounded_box(draw, (left, bottom - button_h, button_w, button_h), button_h // 2, palette.accent)
    draw_lines(
        draw,
        (left + pad_x, bottom - button_h + pad_y, button_w, button_h),
        lines,
        face,
        palette.on_accent,
    )
    return button_h


def render_banner(
    width: int = 1200,
    height: int = 628,
    *,
    brand: Brand,
    headline: str,
    subline: str = "",
    cta: str = "",
    kit: BrandKit | None = None,
) -> bytes:
    """A web banner: headline and subline, a call-to-action button, the logo or brand name.

    With a brand kit the client's photo fills the canvas under a shade of the brand colour
    (solid behind the words, the photo showing beside them), the uploaded logo sits top left
    on a light chip and the brand font sets the words. Near-square banners (300x250) give the
    words the full width, so no word has to be split.
    """
    width, height = _check_size(width, height)
    if width >= STRIP_RATIO * height:
        return _render_strip_banner(
            width, height, brand=brand, headline=headline, subline=subline, cta=cta, kit=kit
        )
    palette = palette_from_brand(brand)
    family = _family(kit)
    narrow = width < NARROW_RATIO * height
    margin = round(min(width, height) * 0.09)
    column = width - 2 * margin if narrow else round(width * 0.6) - margin
    photo = _banner_photo(kit, headline, subline)
    if photo is not None:
        shade = darken(palette.primary, 0.35)
        if narrow:
            image = photo_backdrop(photo.image, width, height, shade, strength=0.8, solid=1)
        else:
            # The words on the shade at the left, the photo whole at the right.
            image = photo_panel(photo.image, width, height, shade, start=PHOTO_PANEL)
            column = round(width * PHOTO_PANEL) - 2 * margin
        text = readable_on(shade)
    else:
        image, text = brand_backdrop(width, height, palette.primary, angle=20)
        if not narrow:
            # Decoration stays right of the text column (x > 0.64 w) so it never sits under words.
            layer = blank_layer(width, height)
            shapes = ImageDraw.Draw(layer)
            r = width * 0.27
            cx, cy = width * 0.64 + r, height * 0.42
            shapes.ellipse((cx - r, cy - r, cx + r, cy + r), fill=(*palette.secondary, 120))
            r2 = width * 0.12
            cx2, cy2 = width * 0.64 + r2 * 1.3, height * 0.9
            shapes.ellipse((cx2 - r2, cy2 - r2, cx2 + r2, cy2 + r2), fill=(*palette.accent, 170))
            image = overlay(image, layer)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, height - max(6, height // 60), width, height), fill=palette.accent)

    top, bottom = margin, height - margin
    name_h = round(height * (0.13 if kit is not None and kit.logo is not None else 0.06))
    covered = _name_or_logo(image, kit, _brand_name(brand), (margin, top, column, name_h), text)
    if covered[3]:
        top = covered[1] + covered[3] + round(height * 0.05)
    if cta:
        button_h = _button(
            image,
            cta,
            left=margin,
            bottom=bottom,
            max_w=column - margin,
            max_size=round(height * 0.06),
            min_size=round(height * 0.045) if not narrow else LEGIBLE_PX + 2,
            palette=palette,
            kit=kit,
        )
        bottom -= button_h + round(height * 0.06)
    available = bottom - top
    sub_h = round(available * 0.3) if subline else 0
    head_face, head_lines = fit_text(
        draw, headline, column, available - sub_h, round(height * 0.12), 14, True, family=family
    )
    head_h = block_height(head_face, len(head_lines))
    sub_face, sub_lines = fit_text(
        draw,
        subline,
        column,
        available - head_h - round(height * 0.03),
        round(height * 0.05),
        LEGIBLE_PX + 1,
        family=family,
    )
    sub_block = block_height(sub_face, len(sub_lines))
    gap = round(height * 0.03) if sub_lines else 0
    start = top + (available - head_h - gap - sub_block) // 2
    draw_lines(draw, (margin, start, column, head_h), head_lines, head_face, text)
    draw_lines(draw, (margin, start + head_h + gap, column, sub_block), sub_lines, sub_face, text)
    return to_png(image)


def _render_strip_banner(
    width: int,
    height: int,
    *,
    brand: Brand,
    headline: str,
    subline: str,
    cta: str,
    kit: BrandKit | None = None,
) -> bytes:
    """A leaderboard (e.g. 728x90): one row, logo and headline left, the button right.

    Stacking name, headline, subline and button in 90 pixels would shrink them to 6 px type;
    here the headline gets the height, and secondary text is drawn only where it stays legible.
    """
    palette = palette_from_brand(brand)
    family = _family(kit)
    photo = _banner_photo(kit, headline, subline)
    if photo is not None:
        shade = darken(palette.primary, 0.35)
        image = photo_backdrop(photo.image, width, height, shade, strength=0.82, solid=1)
        text = readable_on(shade)
    else:
        image, text = brand_backdrop(width, height, palette.primary, angle=20)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, height - max(3, height // 30), width, height), fill=palette.accent)
    margin = round(height * 0.2)
    left, right = margin, width - margin
    if kit is not None and kit.logo is not None:
        covered = paste_logo(
            image, kit.logo, (margin, margin, round(width * 0.2), height - 2 * margin)
        )
        left = covered[0] + covered[2] + margin
    if cta:
        face, lines = fit_text(
            draw,
            cta,
            round(width * 0.28),
            round(height * 0.3),
            round(height * 0.2),
            LEGIBLE_PX,
            True,
            max_lines=1,
            family=family,
        )
        if lines:
            pad_x, pad_y = round(face.size * 0.9), round(face.size * 0.5)
            button_w = round(text_length(lines[0], face)) + 2 * pad_x
            button_h = block_height(face, 1) + 2 * pad_y
            top = (height - button_h) // 2
            box = (right - button_w, top, button_w, button_h)
            rounded_box(draw, box, button_h // 2, palette.accent)
            draw_lines(
                draw,
                (right - button_w + pad_x, top + pad_y, button_w, button_h),
                lines,
                face,
                palette.on_accent,
            )
            right -= button_w + margin
    column = right - left
    available = height - 2 * margin
    sub_face, sub_lines = fit_text(
        draw,
        subline,
        column,
        round(available * 0.35),
        round(height * 0.16),
        LEGIBLE_PX,
        max_lines=1,
        family=family,
    )
    if sub_face.size < LEGIBLE_PX or not subline:
        sub_lines = []
    gap = round(height * 0.04) if sub_lines else 0
    sub_h = block_height(sub_face, len(sub_lines))
    head_face, head_lines = fit_text(
        draw,
        headline,
        column,
        available - sub_h - gap,
        round(height * 0.3),
        12,
        True,
        max_lines=2,
        family=family,
    )
    head_h = block_height(head_face, len(head_lines))
    start = (height - head_h - gap - sub_h) // 2
    draw_lines(draw, (left, start, column, head_h), head_lines, head_face, text)
    draw_lines(draw, (left, start + head_h + gap, column, sub_h), sub_lines, sub_face, text)
    return to_png(image)


def render_social_image(
    width: int = 1080,
    height: int = 1080,
    *,
    brand: Brand,
    headline: str,
    body: str = "",
    handle: str = "",
    cta: str = "",
    kit: BrandKit | None = None,
) -> bytes:
    """A social post image (1080x1080, 1080x1350 or 1080x1920): headline, body, call to
    action and a footer with the brand name and handle.

    With a brand kit the client's photo fills the top half and fades into a shade of the
    brand colour under the words; the uploaded logo sits top left on a light chip.
    """
    width, height = _check_size(width, height)
    palette = palette_from_brand(brand)
    family = _family(kit)
    margin = round(width * 0.08)
    corner = round(min(width, height) * 0.2)
    photo = _banner_photo(kit, headline, body)
    if photo is not None:
        shade = darken(palette.primary, 0.35)
        # The photo whole in the top half, melting into the shade the words sit on.
        image = photo_panel(photo.image, width, height, shade, start=0.5, blend=0.12, side="top")
        text = readable_on(shade)
        top = round(height * 0.49)
    else:
        image, text = brand_backdrop(width, height, palette.primary, angle=65)
        layer = blank_layer(width, height)
        shapes = ImageDraw.Draw(layer)
        shapes.ellipse(
            (width - corner, -corner, width + corner, corner), fill=(*palette.accent, 200)
        )
        shapes.ellipse(
            (width - corner * 1.5, -corner * 1.5, width + corner * 1.5, corner * 1.5),
            outline=(*palette.secondary, 160),
            width=max(4, width // 120),
        )
        image = overlay(image, layer)
        top = corner + round(height * 0.04)
    if kit is not None and kit.logo is not None:
        paste_logo(image, kit.logo, (margin, margin, round(width * 0.34), round(width * 0.12)))
    draw = ImageDraw.Draw(image)

    footer_h = round(height * 0.1)
    footer_bg = darken(palette.primary, 0.45)
    draw.rectangle((0, height - footer_h, width, height), fill=footer_bg)
    footer_text = readable_on(footer_bg)
    name = _brand_name(brand)
    footer = "  ·  ".join(part for part in (name, clean_text(handle)) if part)
    if footer:
        face, lines = fit_text(
            draw,
            footer,
            width - 2 * margin,
            round(footer_h * 0.5),
            round(footer_h * 0.32),
            12,
            True,
            max_lines=1,
            family=family,
        )
        draw_lines(
            draw,
            (margin, height - footer_h, width - 2 * margin, footer_h),
            lines,
            face,
            footer_text,
            valign="middle",
        )

    bottom = height - footer_h - margin
    if cta:
        button_h = _button(
            image,
            cta,
            left=margin,
            bottom=bottom,
            max_w=width - 2 * margin,
            max_size=round(width * 0.04),
            min_size=20,
            palette=palette,
            kit=kit,
        )
        bottom -= button_h + round(height * 0.04)
    bar_h = max(6, width // 90)
    bar_gap = round(height * 0.03)
    available = bottom - top - bar_h - bar_gap
    body_share = 0.38 if body else 0
    text_w = width - 2 * margin
    head_max = round(available * (1 - body_share))
    head_face, head_lines = fit_text(
        draw, headline, text_w, head_max, round(width * 0.095), 20, True, family=family
    )
    head_h = block_height(head_face, len(head_lines))
    gap = round(height * 0.03)
    body_max = max(0, available - head_h - gap)
    body_face, body_lines = fit_text(
        draw, body, text_w, body_max, round(width * 0.042), 14, family=family
    )
    body_h = block_height(body_face, len(body_lines))
    used = bar_h + bar_gap + head_h + (gap + body_h if body_lines else 0)
    # Centre the block in the free space, leaning upwards: tall story formats look balanced.
    lean = 2 if photo is None else 1
    y = top + max(0, (bottom - top - used) * lean // 5)
    draw.rectangle((margin, y, margin + width // 8, y + bar_h), fill=palette.accent)
    y += bar_h + bar_gap
    draw_lines(draw, (margin, y, text_w, head_h), head_lines, head_face, text)
    draw_lines(draw, (margin, y + head_h + gap, text_w, body_h), body_lines, body_face, text)
    return to_png(image)


def render_title_card(
    width: int, height: int, *, brand: Brand, text: str, kit: BrandKit | None = None
) -> bytes:
    """A full-frame title: centred text on the brand gradient with an accent rule.

    With a brand kit the brand font sets the title and the logo sits small at the top.
    """
    width, height = _check_size(width, height)
    palette = palette_from_brand(brand)
    image, ink = brand_backdrop(width, height, palette.primary, angle=135)
    draw = ImageDraw.Draw(image)
    margin_x, margin_y = round(width * 0.1), round(height * 0.15)
    if kit is not None and kit.logo is not None:
        logo_w, logo_h = round(width * 0.2), round(height * 0.09)
        paste_logo(
            image, kit.logo, ((width - logo_w) // 2, margin_y // 3, logo_w, logo_h), align="center"
        )
    box_w, box_h = width - 2 * margin_x, height - 2 * margin_y
    rule_h = max(4, height // 120)
    face, lines = fit_text(
        draw,
        text,
        box_w,
        box_h - rule_h * 5,
        round(min(width, height) * 0.11),
        16,
        True,
        family=_family(kit),
    )
    used = draw_lines(
        draw,
        (margin_x, margin_y, box_w, box_h - rule_h * 5),
        lines,
        face,
        ink,
        align="center",
        valign="middle",
    )
    rule_w = max(40, width // 8)
    rule_y = used[1] + used[3] + rule_h * 2
    draw.rectangle(
        ((width - rule_w) // 2, rule_y, (width + rule_w) // 2, rule_y + rule_h), fill=palette.accent
    )
    return to_png(image)


def _monogram(name: str) -> str:
    words = [w for w in clean_text(name).split(" ") if any(ch.isalnum() for ch in w)]
    letters = [next(ch for ch in w if ch.isalnum()) for w in words[:2]]
    return "".join(letters).upper() or "?"


def render_logo(
    size: int = 512, *, brand: Brand, name: str, tagline: str = "", kit: BrandKit | None = None
) -> bytes:
    """A logo: a monogram in a brand-coloured shape above the wordmark and tagline.

    The wordmark is `name` exactly as given (never the brand profile's name), on up to two
    lines, shrinking rather than cutting it; the brand font sets it when one was uploaded.
    """
    size, _ = _check_size(size, size)
    family = _family(kit)
    palette = palette_from_brand(brand)
    background = palette.background
    image = Image.new("RGB", (size, size), background)
    draw = ImageDraw.Draw(image)
    rng = _rng("logo", name, palette)
    cx, cy, radius = size / 2, size * 0.36, size * 0.24
    shape = rng.choice(["circle", "rounded", "hexagon", "diamond"])
    if shape == "circle":
        draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), fill=palette.primary)
    elif shape == "rounded":
        rounded_box(
            draw,
            (round(cx - radius), round(cy - radius), round(2 * radius), round(2 * radius)),
            round(radius * 0.35),
            palette.primary,
        )
    elif shape == "hexagon":
        draw.polygon(regular_polygon(cx, cy, radius * 1.08, 6, 30), fill=palette.primary)
    else:
        draw.polygon(regular_polygon(cx, cy, radius * 1.18, 4, 90), fill=palette.primary)
    # An accent dot gives the mark a second brand colour without touching the letters.
    dot = radius * 0.22
    dx, dy = cx + radius * 0.78, cy - radius * 0.78
    draw.ellipse(
        (dx - dot, dy - dot, dx + dot, dy + dot),
        fill=palette.accent,
        outline=background,
        width=max(2, size // 128),
    )
    inner = round(radius * 1.2)
    face, lines = fit_text(
        draw, _monogram(name), inner, inner, round(radius * 0.95), 10, True, max_lines=1
    )
    draw_lines(
        draw,
        (round(cx - inner / 2), round(cy - inner / 2), inner, inner),
        lines,
        face,
        palette.on_primary,
        align="center",
        valign="middle",
    )

    margin = round(size * 0.08)
    word_top = round(cy + radius * 1.25)
    word_h = round(size * 0.14)
    face, lines = fit_text(
        draw,
        clean_text(name) or "Brand",
        size - 2 * margin,
        word_h,
        round(size * 0.11),
        8,
        True,
        max_lines=2,
        family=family,
    )
    used = draw_lines(
        draw,
        (margin, word_top, size - 2 * margin, word_h),
        lines,
        face,
        palette.brand_text,
        align="center",
    )
    if tagline:
        tag_top = used[1] + used[3] + round(size * 0.025)
        tag_h = size - margin // 2 - tag_top
        muted = ensure_contrast(mix(palette.text, background, 0.25), background)
        face, lines = fit_text(
            draw, tagline, size - 2 * margin, tag_h, round(size * 0.045), 9, max_lines=2
        )
        draw_lines(
            draw, (margin, tag_top, size - 2 * margin, tag_h), lines, face, muted, align="center"
        )
    return to_png(image)


def _titled_page(
    width: int,
    height: int,
    palette: Palette,
    title: str,
    header_share: float,
    *,
    family: bytes | None = None,
    logo: Image.Image | None = None,
) -> tuple[Image.Image, int]:
    """A light page with a brand-coloured header holding `title` in the brand's font and,
    when there is one, the brand's logo at the header's right; returns the header height."""
    image = Image.new("RGB", (width, height), palette.background)
    header_h = round(height * header_share)
    band, ink = brand_backdrop(width, header_h, palette.primary, angle=0)
    image.paste(band, (0, 0))
    draw = ImageDraw.Draw(image)
    margin = round(width * 0.07)
    text_w = width - 2 * margin
    if logo is not None:
        # The logo sits in the header's right quarter; the title keeps the rest.
        logo_h = round(header_h * 0.62)
        covered = paste_logo(
            image,
            logo,
            (width - margin - width // 4, (header_h - logo_h) // 2, width // 4, logo_h),
            align="right",
        )
        text_w = covered[0] - margin - round(margin * 0.5)
    face, lines = fit_text(
        draw,
        title,
        text_w,
        header_h - 2 * round(header_h * 0.15),
        round(header_h * 0.3),
        14,
        True,
        family=family,
    )
    draw_lines(draw, (margin, 0, text_w, header_h), lines, face, ink, valign="middle")
    draw.rectangle((0, header_h, width, header_h + max(4, height // 150)), fill=palette.accent)
    return image, header_h


def render_chart(
    width: int,
    height: int,
    *,
    brand: Brand,
    title: str,
    data: Iterable[Mapping[str, Any]],
    kind: str = "bar",
    kit: BrandKit | None = None,
) -> bytes:
    """A titled chart (bar, hbar, line or pie) of [{"label": ..., "value": ...}].

    In the brand's colours; with a kit, every word is set in the brand's font and the
    uploaded logo sits in the header.
    """
    width, height = _check_size(width, height)
    palette = palette_from_brand(brand)
    family = _family(kit)
    logo = kit.logo if kit is not None else None
    image, header_h = _titled_page(width, height, palette, title, 0.16, family=family, logo=logo)
    margin = round(min(width, height) * 0.07)
    top = header_h + margin
    box = (margin, top, width - 2 * margin, height - top - margin)
    draw_chart(image, box, data, palette, kind=kind, family=family)
    return to_png(image)


def render_infographic(
    width: int = 1080,
    height: int = 1350,
    *,
    brand: Brand,
    title: str,
    data: Iterable[Mapping[str, Any]],
    caption: str = "",
    kit: BrandKit | None = None,
) -> bytes:
    """An infographic: title header, a bar chart of the data, a caption and brand footer.

    The footer carries the uploaded logo when there is one, else the brand name.
    """
    width, height = _check_size(width, height)
    palette = palette_from_brand(brand)
    family = _family(kit)
    image, header_h = _titled_page(width, height, palette, title, 0.2, family=family)
    draw = ImageDraw.Draw(image)
    margin = round(width * 0.07)
    footer_h = round(height * 0.06)
    footer_bg = darken(palette.primary, 0.3)
    draw.rectangle((0, height - footer_h, width, height), fill=footer_bg)
    name = _brand_name(brand)
    if kit is not None and kit.logo is not None:
        box = (
            margin,
            height - footer_h + round(footer_h * 0.12),
            width // 3,
            round(footer_h * 0.76),
        )
        paste_logo(image, kit.logo, box)
    elif name:
        face, lines = fit_text(
            draw,
            name,
            width - 2 * margin,
            round(footer_h * 0.6),
            round(footer_h * 0.4),
            10,
            True,
            max_lines=1,
        )
        draw_lines(
            draw,
            (margin, height - footer_h, width - 2 * margin, footer_h),
            lines,
            face,
            readable_on(footer_bg),
            valign="middle",
        )
    bottom = height - footer_h - margin
    if caption:
        cap_max = round(height * 0.12)
        face, lines = fit_text(
            draw, caption, width - 2 * margin, cap_max, round(height * 0.024), 12
        )
        cap_h = block_height(face, len(lines))
        draw_lines(
            draw, (margin, bottom - cap_h, width - 2 * margin, cap_h), lines, face, palette.text
        )
        bottom -= cap_h + margin
    top = header_h + margin
    box = (margin, top, width - 2 * margin, bottom - top)
    draw_chart(image, box, data, palette, kind="bar", family=family)
    return to_png(image)


# Words in a prompt that colour the artwork, so "sunset over the sea" looks warm and blue.
MOOD_COLOURS: dict[str, RGB] = {
    "sunset": (240, 120, 60),
    "sunrise": (250, 170, 80),
    "fire": (220, 70, 30),
    "warm": (235, 140, 70),
    "ocean": (20, 110, 170),
    "sea": (30, 120, 180),
    "water": (40, 140, 200),
    "sky": (90, 160, 230),
    "forest": (40, 120, 60),
    "nature": (70, 150, 80),
    "green": (60, 160, 90),
    "night": (20, 24, 60),
    "dark": (30, 30, 45),
    "city": (70, 80, 110),
    "tech": (40, 70, 160),
    "data": (50, 90, 170),
    "gold": (210, 170, 60),
    "desert": (215, 175, 115),
    "snow": (225, 235, 245),
    "coffee": (120, 80, 50),
    "health": (60, 170, 150),
    "calm": (120, 170, 200),
}


def _scene_colours(palette: Palette, prompt: str, rng: random.Random) -> list[RGB]:
    words = {w.strip(".,!?;:\"'()").lower() for w in prompt.split()}
    hints = [colour for word, colour in MOOD_COLOURS.items() if word in words]
    base = [palette.primary, palette.secondary, palette.accent]
    if hints:
        base = [mix(c, hints[i % len(hints)], 0.55) for i, c in enumerate(base)] + hints[:2]
    turn = rng.uniform(-12, 12)  # a small per-seed hue drift so sibling scenes differ
    return [rotate_hue(c, turn) for c in base]


def _text_band(
    image: Image.Image,
    text: str,
    *,
    region: tuple[int, int, int, int],
    max_size: int,
    min_size: int,
    bold: bool,
    anchor: str,
) -> Image.Image:
    """`text` on a translucent ink band fitted to it, placed at the top or bottom of `region`."""
    x, y, w, h = region
    pad = max(8, max_size // 2)
    probe = ImageDraw.Draw(image)
    face, lines = fit_text(
        probe, text, w - 2 * pad, h - 2 * pad, max_size, min_size, bold, max_lines=3
    )
    if not lines:
        return image
    text_w = max(round(text_length(line, face)) for line in lines)
    band_w, band_h = text_w + 2 * pad, block_height(face, len(lines)) + 2 * pad
    bx = x + (w - band_w) // 2
    by = y if anchor == "top" else y + h - band_h
    layer = blank_layer(*image.size)
    draw = ImageDraw.Draw(layer)
    draw.rounded_rectangle(
        (bx, by, bx + band_w - 1, by + band_h - 1), radius=pad, fill=CAPTION_BAND
    )
    draw_lines(
        draw,
        (bx + pad, by + pad, band_w - 2 * pad, band_h - 2 * pad),
        lines,
        face,
        (*WHITE, 255),
        align="center",
    )
    return Image.alpha_composite(image.convert("RGBA"), layer)


def caption_overlay(width: int, height: int, text: str) -> Image.Image:
    """A transparent RGBA frame with `text` on a legible band near the bottom.

    Kept inside the title-safe area (6% margins), so a gentle zoom never crops it.
    """
    width, height = _check_size(width, height)
    layer = blank_layer(width, height)
    text = clean_text(text)
    if not text:
        return layer
    margin_x, margin_y = round(width * 0.07), round(height * 0.06)
    region = (margin_x, round(height * 0.6), width - 2 * margin_x, round(height * 0.4) - margin_y)
    size = round(min(width, height) * 0.045)
    return _text_band(
        layer, text, region=region, max_size=size, min_size=14, bold=False, anchor="bottom"
    )


def burn_caption(png_bytes: bytes, text: str) -> bytes:
    """The image with `text` burned in as a bottom caption band."""
    with Image.open(io.BytesIO(png_bytes)) as source:
        image = source.convert("RGBA")
    return to_png(
        Image.alpha_composite(image, caption_overlay(image.width, image.height, text)).convert(
            "RGB"
        )
    )


def render_scene_frame(
    width: int,
    height: int,
    *,
    brand: Brand,
    prompt: str,
    title: str = "",
    caption: str = "",
    seed: int = 0,
) -> bytes:
    """A storyboard frame: abstract artwork generated from the prompt and seed, with text.

    Soft blurred shapes over a gradient, a few crisp lines, a vignette, then the optional
    title (top band) and caption (bottom band). The same inputs always give the same bytes.
    """
    width, height = _check_size(width, height)
    palette = palette_from_brand(brand)
    rng = _rng("scene", prompt, seed, width, height, palette)
    colours = _scene_colours(palette, prompt, rng)
    start, end = rng.sample(colours[:3], 2)
    image = linear_gradient(
        width, height, darken(start, 0.25), lighten(end, 0.1), rng.uniform(0, 360)
    )

    # Soft shapes are drawn small and blurred, then scaled up: cheap bokeh at any size.
    small_w, small_h = max(32, width // 4), max(32, height // 4)
    soft = blank_layer(small_w, small_h)
    draw = ImageDraw.Draw(soft)
    for _ in range(rng.randint(6, 11)):
        colour = rng.choice(colours)
        alpha = rng.randint(70, 170)
        cx, cy = rng.uniform(0, small_w), rng.uniform(0, small_h)
        r = rng.uniform(0.08, 0.35) * min(small_w, small_h) * 1.6
        kind = rng.random()
        if kind < 0.55:
            draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=(*colour, alpha))
        elif kind < 0.8:
            draw.polygon(
                regular_polygon(cx, cy, r, rng.choice([3, 4, 5, 6]), rng.uniform(0, 360)),
                fill=(*colour, alpha),
            )
        else:
            draw.rectangle((0, cy - r / 4, small_w, cy + r / 4), fill=(*colour, alpha // 2))
    soft = soft.filter(ImageFilter.GaussianBlur(radius=max(1.5, min(small_w, small_h) / 40)))
    image = overlay(image, soft.resize((width, height), Image.Resampling.BILINEAR))

    crisp = blank_layer(width, height)
    draw = ImageDraw.Draw(crisp)
    line_w = max(2, min(width, height) // 240)
    for _ in range(rng.randint(2, 4)):
        colour = rng.choice(colours + [WHITE])
        cx, cy = rng.uniform(0, width), rng.uniform(0, height)
        r = rng.uniform(0.1, 0.3) * min(width, height)
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=(*colour, 120), width=line_w)
    for _ in range(rng.randint(1, 3)):
        y0, y1 = rng.uniform(0, height), rng.uniform(0, height)
        draw.line((0, y0, width, y1), fill=(*WHITE, 60), width=line_w)
    image = overlay(image, crisp)
    image = Image.composite(
        image, Image.new("RGB", image.size, darken(start, 0.7)), _vignette(width, height)
    )

    margin_x, margin_y = round(width * 0.07), round(height * 0.07)
    if clean_text(title):
        region = (margin_x, margin_y, width - 2 * margin_x, round(height * 0.38))
        size = round(min(width, height) * 0.075)
        image = _text_band(
            image, title, region=region, max_size=size, min_size=16, bold=True, anchor="top"
        )
    if clean_text(caption):
        image = Image.alpha_composite(
            image.convert("RGBA"), caption_overlay(width, height, caption)
        )
    return to_png(image.convert("RGB"))


def _vignette(width: int, height: int) -> Image.Image:
    """A mask that is opaque in the middle and fades a little towards the corners."""
    small = Image.radial_gradient("L").resize((width, height), Image.Resampling.BILINEAR)
    # radial_gradient is 0 in the centre and 255 at the edge; keep at least ~75% of the image.
    return small.point(lambda v: 255 - min(255, v * 70 // 255))
