"""The brand asset library: who may see and change a client's assets, and the writes.

Reads start from the user's clients, so another client's asset simply does not exist for
them. A write checks the upload by content first and stores nothing until it has passed.
"""

from __future__ import annotations

import hashlib
from typing import IO, Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import QuerySet

from production.asset_validation import (
    AssetRejected,
    CheckedAsset,
    check_font,
    check_image,
    check_svg_logo,
    looks_like_svg,
)
from production.models import BrandAsset, BrandAssetKind, Client, Role
from production.tenancy import clients_for, has_role

# Read at most this many bytes of any upload: the largest limit plus one, to detect overflow.
READ_LIMIT = 16 * 1024 * 1024


def brand_assets_for(user: Any, client_id: Any = None) -> QuerySet[BrandAsset]:
    """Assets of the clients the user may see, optionally of one of them."""
    qs = BrandAsset.objects.filter(client__in=clients_for(user)).select_related("client")
    if client_id:
        qs = qs.filter(client_id=client_id)
    return qs


def can_manage_assets(user: Any, client: Client) -> bool:
    """Members and owners of the client (and staff) upload and remove its assets."""
    return has_role(user, client.pk, Role.MEMBER)


def read_upload(upload: IO[bytes]) -> bytes:
    data = upload.read(READ_LIMIT + 1)
    if len(data) > READ_LIMIT:
        raise AssetRejected(f"The file is larger than {READ_LIMIT // (1024 * 1024)} MB.")
    return data


def check_upload(kind: str, data: bytes) -> CheckedAsset:
    """The stored form of an upload of `kind`, or AssetRejected saying what is wrong."""
    if not data:
        raise AssetRejected("The file is empty.")
    if kind == BrandAssetKind.FONT:
        return check_font(data)
    if kind == BrandAssetKind.LOGO:
        if looks_like_svg(data):
            return check_svg_logo(data)
        return check_image(data, keep_alpha=True, max_side=2000)
    if kind in (BrandAssetKind.PRODUCT_PHOTO, BrandAssetKind.TEAM_PHOTO):
        if looks_like_svg(data):
            raise AssetRejected("Photos must be PNG, JPEG or WebP.")
        return check_image(data, keep_alpha=False)
    raise AssetRejected("Choose what the file is: logo, product photo, team photo or font.")


def brand_asset_create(
    *, client: Client, kind: str, data: bytes, title: str = "", original_name: str = "", user: Any
) -> BrandAsset:
    """Check the upload, then store its clean form and the row together."""
    checked = check_upload(kind, data)
    asset = BrandAsset(
        client=client,
        kind=kind,
        title=title.strip()[:120],
        original_name=original_name[:200],
        source_format=checked.source_format,
        mime_type=checked.mime_type,
        width=checked.width,
        height=checked.height,
        size_bytes=len(checked.content),
        checksum=hashlib.sha256(checked.content).hexdigest(),
        font_family=checked.font_family,
        uploaded_by=user if getattr(user, "is_authenticated", False) else None,
    )
    asset.file.save(f"asset.{checked.extension}", ContentFile(checked.content), save=False)
    try:
        with transaction.atomic():
            asset.save()
    except BaseException:
        # No row, no file: a failed write leaves nothing half-stored.
        asset.file.delete(save=False)
        raise
    return asset


def brand_asset_delete(asset: BrandAsset) -> None:
    name = asset.file.name
    storage = asset.file.storage
    asset.delete()
    transaction.on_commit(lambda: storage.delete(name))
