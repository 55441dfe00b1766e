"""OAuth access tokens of YouTube and Instagram connections, refreshed before they expire.

A refresh takes the connection's row lock, so two workers publishing at once refresh once and
both use the new token. Instagram's long-lived tokens are renewed a week before their 60 days
end; Google's one-hour tokens five minutes before.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from publishing import conf, vault
from publishing.http import PublishError, json_or_empty, send, session
from publishing.models import Connection, Platform

MARGIN = {
    Platform.YOUTUBE: timedelta(minutes=5),
    Platform.INSTAGRAM: timedelta(days=7),
}


def access_token(connection: Connection, *, force: bool = False) -> str:
    """A usable access token; refreshed first when due, or when `force` (the platform said 401)."""
    if not force and not _due(connection):
        return vault.unseal(connection.sealed_secrets)["access_token"]
    with transaction.atomic():
        locked = Connection.objects.select_for_update().get(pk=connection.pk)
        secrets = vault.unseal(locked.sealed_secrets)
        # Another worker may have refreshed while this one waited for the lock.
        if locked.sealed_secrets != connection.sealed_secrets or (not force and not _due(locked)):
            _copy(locked, connection)
            return secrets["access_token"]
        token, expires_in = _refresh(locked.platform, secrets)
        secrets["access_token"] = token
        locked.sealed_secrets = vault.seal(secrets)
        locked.secret_hint = vault.hint(token)
        locked.token_expires_at = timezone.now() + timedelta(seconds=expires_in)
        locked.last_error = ""
        locked.save(
            update_fields=[
                "sealed_secrets",
                "secret_hint",
                "token_expires_at",
                "last_error",
                "updated_at",
            ]
        )
        _copy(locked, connection)
        return token


def _copy(source: Connection, target: Connection) -> None:
    target.sealed_secrets = source.sealed_secrets
    target.secret_hint = source.secret_hint
    target.token_expires_at = source.token_expires_at


def _due(connection: Connection) -> bool:
    expires = connection.token_expires_at
    return expires is not None and expires - MARGIN[connection.platform] <= timezone.now()


def _refresh(platform: str, secrets: dict[str, str]) -> tuple[str, int]:
    if platform == Platform.YOUTUBE:
        return _refresh_google(secrets)
    if platform == Platform.INSTAGRAM:
        return _refresh_instagram(secrets)
    raise PublishError(f"{platform} connections have no token to refresh.")


def _refresh_google(secrets: dict[str, str]) -> tuple[str, int]:
    if not secrets.get("refresh_token"):
        raise PublishError(
            "The YouTube access token expired and no refresh token is stored: "
            "connect the account again.",
            auth=True,
        )
    try:
        response = send(
            session(),
            "POST",
            conf.google_token_url(),
            platform="YouTube",
            explain=_google_reason,
            data={
                "grant_type": "refresh_token",
                "refresh_token": secrets["refresh_token"],
                "client_id": secrets.get("client_id", ""),
                "client_secret": secrets.get("client_secret", ""),
            },
        )
    except PublishError as exc:
        if exc.transient:
            raise
        raise PublishError(
            f"YouTube would not renew access ({_strip(exc.message)}): connect the account again.",
            auth=True,
        ) from None
    body = json_or_empty(response)
    if not body.get("access_token"):
        raise PublishError("YouTube's token answer carried no access token.", transient=True)
    return body["access_token"], int(body.get("expires_in") or 3600)


def _refresh_instagram(secrets: dict[str, str]) -> tuple[str, int]:
    try:
        response = send(
            session(),
            "GET",
            conf.instagram_refresh_url(),
            platform="Instagram",
            explain=_graph_reason,
            params={"grant_type": "ig_refresh_token", "access_token": secrets["access_token"]},
        )
    except PublishError as exc:
        if exc.transient:
            raise
        raise PublishError(
            f"Instagram would not renew access ({_strip(exc.message)}): connect the account again.",
            auth=True,
        ) from None
    body = json_or_empty(response)
    if not body.get("access_token"):
        raise PublishError("Instagram's token answer carried no access token.", transient=True)
    return body["access_token"], int(body.get("expires_in") or 60 * 24 * 3600)


def _strip(message: str) -> str:
    return message.rstrip(".")


def _google_reason(response) -> str:  # noqa: ANN001 - a requests.Response
    body = json_or_empty(response)
    error = body.get("error")
    if isinstance(error, dict):
        return str(error.get("message") or error.get("status") or response.status_code)
    return str(body.get("error_description") or error or f"HTTP {response.status_code}")


def _graph_reason(response) -> str:  # noqa: ANN001 - a requests.Response
    error = json_or_empty(response).get("error")
    if isinstance(error, dict):
        return str(error.get("message") or error.get("type") or response.status_code)
    return f"HTTP {response.status_code}"
