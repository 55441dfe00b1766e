"""Signed, expiring links to one publication's media, for platforms that fetch media by URL
(Instagram downloads the image or video itself and cannot sign in)."""

from __future__ import annotations

from django.core import signing
from django.urls import reverse

from publishing import conf

SALT = "publishing.media"


def media_url(publication_id: int, output_id: int) -> str:
    token = signing.TimestampSigner(salt=SALT).sign(f"{publication_id}.{output_id}")
    return conf.site_url() + reverse("publishing:media", args=[token])


def read_token(token: str) -> tuple[int, int] | None:
    """(publication id, output id) of a valid, unexpired link; None otherwise."""
    try:
        value = signing.TimestampSigner(salt=SALT).unsign(
            token, max_age=conf.public_media_seconds()
        )
    except signing.BadSignature:
        return None
    publication_id, _, output_id = value.partition(".")
    if not (publication_id.isdigit() and output_id.isdigit()):
        return None
    return int(publication_id), int(output_id)
