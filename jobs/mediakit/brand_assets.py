"""A client's uploaded brand assets, read from storage for the renderers.

The only mediakit module that knows about Django: it turns BrandAsset rows into the plain
images and font bytes that images.py and the video frames draw with. Every file here passed
production.asset_validation on upload; it is still opened defensively, and a file that has
gone missing from storage is left out rather than failing the visual.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterable

from PIL import Image, ImageFont

from production.models import BrandAsset, BrandAssetKind, Client

from .fonts import font
from .kit import BrandKit, Photo

log = logging.getLogger(__name__)
PHOTO_KINDS = (BrandAssetKind.PRODUCT_PHOTO, BrandAssetKind.TEAM_PHOTO)
MAX_PHOTOS = 12  # a video has few scenes; decoding a whole library for it is waste


def _read(asset: BrandAsset) -> bytes | None:
    try:
        with asset.file.open("rb") as handle:
            return handle.read()
    except OSError:
        log.warning("brand asset %s is missing from storage (%s)", asset.pk, asset.file.name)
        return None


def _image(asset: BrandAsset, mode: str) -> Image.Image | None:
    data = _read(asset)
    if data is None:
        return None
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            return image.convert(mode)
    except (OSError, ValueError, Image.DecompressionBombError):
        log.warning("brand asset %s could not be decoded", asset.pk)
        return None


def _assets(client: Client, kinds: Iterable[str]) -> list[BrandAsset]:
    # Newest first within each kind (the model's ordering).
    return list(BrandAsset.objects.filter(client=client, kind__in=list(kinds)))


def _logo_from(assets: list[BrandAsset]) -> Image.Image | None:
    for asset in assets:
        if asset.kind == BrandAssetKind.LOGO:
            logo = _image(asset, "RGBA")
            if logo is not None:
                return logo
    return None


def _photos_from(assets: list[BrandAsset]) -> list[Photo]:
    photos = []
    for asset in assets:
        if asset.kind in PHOTO_KINDS and len(photos) < MAX_PHOTOS:
            image = _image(asset, "RGB")
            if image is not None:
                photos.append(Photo(image=image, title=asset.title, kind=asset.kind))
    return photos


def _font_from(assets: list[BrandAsset]) -> tuple[bytes | None, str]:
    for asset in assets:
        if asset.kind == BrandAssetKind.FONT:
            data = _read(asset)
            if data is not None:
                return data, asset.font_family
    return None, ""


def client_logo(client: Client) -> Image.Image | None:
    """The client's newest logo as RGBA, or None when they uploaded none."""
    return _logo_from(_assets(client, [BrandAssetKind.LOGO]))


def client_photos(client: Client) -> list[Photo]:
    """The client's product and team photos (RGB) with what each shows, newest first."""
    return _photos_from(_assets(client, PHOTO_KINDS))


def client_font(client: Client, size: int) -> ImageFont.FreeTypeFont | None:
    """The client's brand font at `size` pixels, or None to use the bundled face."""
    data, _ = _font_from(_assets(client, [BrandAssetKind.FONT]))
    return font(size, family=data) if data else None


def brand_kit(client: Client) -> BrandKit:
    """Logo, photos and font in one query: what a visual or video step draws with."""
    assets = _assets(client, BrandAssetKind.values)
    data, name = _font_from(assets)
    return BrandKit(
        logo=_logo_from(assets), photos=tuple(_photos_from(assets)), font=data, font_name=name
    )
