"""Signed links back from e-mails: a token names one notification and expires."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "notifications.open"
MAX_AGE_SECONDS = 30 * 24 * 3600


def token_for(notification_id: int, user_id: int) -> str:
    return signing.dumps({"n": notification_id, "u": user_id}, salt=SALT, compress=True)


def read_token(token: str) -> tuple[int, int]:
    """The notification and user a token names; raises signing.BadSignature when forged/old."""
    data = signing.loads(token, salt=SALT, max_age=MAX_AGE_SECONDS)
    return int(data["n"]), int(data["u"])


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def signed_url(notification_id: int, user_id: int) -> str:
    path = reverse("notifications:open", args=[token_for(notification_id, user_id)])
    return absolute(path)


def safe_path(url: str) -> str:
    """Only paths on this site are followed; anything else leads to the inbox."""
    if url.startswith("/") and not url.startswith("//") and "\\" not in url:
        return url
    return reverse("notifications:inbox")
