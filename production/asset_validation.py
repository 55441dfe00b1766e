"""Brand asset uploads checked by their content, never by their name or declared type.

An image must open in Pillow, pass `verify()` and decode fully, within byte and pixel limits
(a decompression bomb is refused from its header, before any pixel is decoded). It is then
re-encoded from its pixels, which drops EXIF, GPS and every other metadata block. An SVG logo
is parsed with defusedxml (no DTDs, no entities), refused if it holds scripts, event
handlers, foreignObject or any reference outside itself, and rasterised to PNG with CairoSVG
in its safe mode (no entities; it fetches nothing but data: URLs, which the check already
refused); only the PNG is kept. A font must be a TrueType
or OpenType file that Pillow's FreeType loads and draws Latin letters with.
"""

from __future__ import annotations

import io
import re
import warnings
from dataclasses import dataclass

from defusedxml import ElementTree as SafeXML
from defusedxml.common import DefusedXmlException
from PIL import Image, ImageFont, ImageOps, UnidentifiedImageError

MAX_IMAGE_BYTES = 15 * 1024 * 1024
MAX_SVG_BYTES = 1024 * 1024
MAX_FONT_BYTES = 8 * 1024 * 1024
# 50 megapixels: a 24 MP camera photo fits, a bomb (a small file that decodes to gigapixels)
# does not. Checked from the header, before decoding.
MAX_PIXELS = 50_000_000
MAX_SIDE = 12_000
# What is stored: photos are scaled down to this longest side, logos rasterised to it.
STORED_PHOTO_SIDE = 3000
LOGO_RASTER_SIDE = 1200
IMAGE_FORMATS = {"PNG", "JPEG", "WEBP"}

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
FORBIDDEN_SVG_ELEMENTS = {"script", "foreignobject", "iframe", "embed", "object", "handler"}
# url(...) in styles and presentation attributes may only point inside the document.
_EXTERNAL_URL = re.compile(r"url\(\s*['\"]?\s*(?!#)", re.IGNORECASE)
_IMPORT = re.compile(r"@import", re.IGNORECASE)
_LENGTH = re.compile(r"^\s*([0-9]*\.?[0-9]+)\s*(px)?\s*$")


class AssetRejected(ValueError):
    """An upload that is not what it must be; the message is for the person who sent it."""


@dataclass(frozen=True)
class CheckedAsset:
    """What is stored for an accepted upload: clean bytes and what they are."""

    content: bytes
    extension: str
    mime_type: str
    source_format: str
    width: int = 0
    height: int = 0
    font_family: str = ""


def check_image(
    data: bytes, *, keep_alpha: bool, max_side: int = STORED_PHOTO_SIDE
) -> CheckedAsset:
    """A raster image re-encoded from its pixels: PNG when it keeps alpha, else JPEG."""
    if len(data) > MAX_IMAGE_BYTES:
        raise AssetRejected(f"The file is larger than {MAX_IMAGE_BYTES // (1024 * 1024)} MB.")
    source_format = _probe_image(data)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                # Turn the pixels upright before the orientation tag is dropped with the rest.
                image = ImageOps.exif_transpose(image)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise AssetRejected("The image is too large to decode safely.") from None
    except (OSError, SyntaxError, ValueError):
        raise AssetRejected("The image is damaged and cannot be decoded.") from None
    has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    image = image.convert("RGBA") if keep_alpha and has_alpha else _flatten(image)
    if max(image.size) > max_side:
        image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    # A fresh encode of the pixels alone: no EXIF, XMP, ICC or text chunks come along.
    buffer = io.BytesIO()
    if image.mode == "RGBA" or keep_alpha:
        image.save(buffer, format="PNG", optimize=True)
        extension, mime = "png", "image/png"
    else:
        image.save(buffer, format="JPEG", quality=90, optimize=True)
        extension, mime = "jpg", "image/jpeg"
    return CheckedAsset(
        content=buffer.getvalue(),
        extension=extension,
        mime_type=mime,
        source_format=source_format.lower(),
        width=image.width,
        height=image.height,
    )


def _probe_image(data: bytes) -> str:
    """The format Pillow reads from the header, after limits and a structural verify()."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            fmt = image.format or ""
            width, height = image.size
            if fmt not in IMAGE_FORMATS:
                raise AssetRejected(
                    f"{fmt or 'This'} images are not accepted: send PNG, JPEG or WebP."
                )
            if width * height > MAX_PIXELS or max(width, height) > MAX_SIDE:
                raise AssetRejected(
                    f"The image is {width}×{height} pixels; at most {MAX_PIXELS // 1_000_000} "
                    f"megapixels and {MAX_SIDE} pixels a side are accepted."
                )
            image.verify()
    except AssetRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise AssetRejected("The image is too large to decode safely.") from None
    except UnidentifiedImageError:
        raise AssetRejected("The file is not an image (PNG, JPEG or WebP).") from None
    except (OSError, SyntaxError, ValueError):
        raise AssetRejected("The image is damaged and cannot be decoded.") from None
    return fmt


def _flatten(image: Image.Image) -> Image.Image:
    """RGB on white: a transparent photo would turn black as JPEG."""
    if image.mode in ("RGBA", "LA", "PA", "P"):
        rgba = image.convert("RGBA")
        base = Image.new("RGB", rgba.size, (255, 255, 255))
        base.paste(rgba, mask=rgba.getchannel("A"))
        return base
    return image.convert("RGB")


# --- SVG ---------------------------------------------------------------------------------------


def looks_like_svg(data: bytes) -> bool:
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith(b"<?xml") or head.startswith(b"<svg") or b"<svg" in head


def check_svg_logo(data: bytes) -> CheckedAsset:
    """A sanitised SVG rasterised to a transparent PNG; the SVG itself is not kept."""
    if len(data) > MAX_SVG_BYTES:
        raise AssetRejected(f"SVG files are accepted up to {MAX_SVG_BYTES // 1024} KB.")
    root = _parse_svg(data)
    _refuse_active_content(root)
    width, height = _raster_size(root)
    png = _rasterise(data, width, height)
    checked = check_image(png, keep_alpha=True, max_side=LOGO_RASTER_SIDE)
    return CheckedAsset(
        content=checked.content,
        extension="png",
        mime_type="image/png",
        source_format="svg",
        width=checked.width,
        height=checked.height,
    )


def _parse_svg(data: bytes):  # noqa: ANN202 (an ElementTree element)
    try:
        root = SafeXML.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise AssetRejected("SVG files with a DOCTYPE or entities are not accepted.") from None
    except SafeXML.ParseError:
        raise AssetRejected("The file is not well-formed SVG.") from None
    if root.tag != f"{{{SVG_NS}}}svg":
        raise AssetRejected("The file is not an SVG image.")
    return root


def _local_name(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].lower()


def _refuse_active_content(root) -> None:  # noqa: ANN001
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        name = _local_name(element.tag)
        if name in FORBIDDEN_SVG_ELEMENTS:
            raise AssetRejected(
                f"SVG with <{name}> is not accepted: scripts and embedded content are refused."
            )
        if (
            name == "style"
            and element.text
            and (_EXTERNAL_URL.search(element.text) or _IMPORT.search(element.text))
        ):
            raise AssetRejected("SVG styles may not load anything from outside the file.")
        for attribute, value in element.attrib.items():
            local = _local_name(attribute)
            if local.startswith("on"):
                raise AssetRejected(f"SVG with event handlers ({local}) is not accepted.")
            if local == "href" and not value.strip().startswith("#"):
                raise AssetRejected("SVG may only link inside itself (href must start with #).")
            if _EXTERNAL_URL.search(value) or _IMPORT.search(value):
                raise AssetRejected("SVG may not load anything from outside the file.")


def _length(value: str | None) -> float | None:
    match = _LENGTH.match(value or "")
    return float(match[1]) if match else None


def _raster_size(root) -> tuple[int, int]:  # noqa: ANN001
    """Output pixels for the logo: its aspect ratio, longest side LOGO_RASTER_SIDE."""
    aspect = None
    box = (root.get("viewBox") or "").replace(",", " ").split()
    if len(box) == 4:
        try:
            w, h = float(box[2]), float(box[3])
            if w > 0 and h > 0:
                aspect = w / h
        except ValueError:
            pass
    if aspect is None:
        w, h = _length(root.get("width")), _length(root.get("height"))
        if w and h:
            aspect = w / h
    if aspect is None:
        raise AssetRejected("The SVG needs a viewBox (or a width and height) to be drawn.")
    if not 1 / 20 <= aspect <= 20:
        raise AssetRejected("The SVG is too thin to use as a logo.")
    if aspect >= 1:
        return LOGO_RASTER_SIDE, max(1, round(LOGO_RASTER_SIDE / aspect))
    return max(1, round(LOGO_RASTER_SIDE * aspect)), LOGO_RASTER_SIDE


def _rasterise(data: bytes, width: int, height: int) -> bytes:
    import cairosvg  # imported here: it loads the cairo library, which only uploads need

    try:
        return cairosvg.svg2png(
            bytestring=data,
            output_width=width,
            output_height=height,
            unsafe=False,
        )
    except Exception:  # noqa: BLE001 (any failure to draw is the same answer to the uploader)
        raise AssetRejected("The SVG could not be drawn.") from None


# --- fonts -------------------------------------------------------------------------------------

FONT_MAGIC = {
    b"\x00\x01\x00\x00": ("ttf", "font/ttf"),
    b"true": ("ttf", "font/ttf"),
    b"OTTO": ("otf", "font/otf"),
}


def check_font(data: bytes) -> CheckedAsset:
    """A TrueType/OpenType font that FreeType loads and that draws Latin letters."""
    if len(data) > MAX_FONT_BYTES:
        raise AssetRejected(f"Font files are accepted up to {MAX_FONT_BYTES // (1024 * 1024)} MB.")
    kind = FONT_MAGIC.get(data[:4])
    if kind is None:
        raise AssetRejected("The file is not a TrueType or OpenType font (TTF or OTF).")
    try:
        face = ImageFont.truetype(io.BytesIO(data), 48)
        family, style = face.getname()
        widths = [face.getlength(ch) for ch in "AaBbMmQq"]
        box = face.getbbox("Hamburgefonstiv")
    except (OSError, ValueError):
        raise AssetRejected("The font cannot be loaded.") from None
    if min(widths) <= 0 or box[2] - box[0] <= 0 or box[3] - box[1] <= 0:
        raise AssetRejected("The font has no Latin letters to draw with.")
    extension, mime = kind
    return CheckedAsset(
        content=data,
        extension=extension,
        mime_type=mime,
        source_format=extension,
        font_family=" ".join(part for part in (family, style) if part)[:120],
    )
