"""Writes of the publishing app: connecting and disconnecting accounts, asking for a publication,
cancelling and retrying one. Each checks who is asking and refuses in words for a person."""

from __future__ import annotations

import ipaddress
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from jobs import lifecycle
from jobs.models import Output, ProductionJob
from production.models import Client, Role
from production.tenancy import has_role
from publishing import auto_clients, conf, limits, vault
from publishing.eligibility import MAIN_KINDS, featured_images, publish_blocker, publishable
from publishing.models import ACTIVE_STATUSES, Connection, Platform, Publication
from publishing.models import PublicationStatus as S
from publishing.queueing import send_on_commit

User = AbstractBaseUser | AnonymousUser
DEFAULT_VISIBILITY = {
    Platform.WORDPRESS: "draft",
    Platform.YOUTUBE: "private",
    Platform.INSTAGRAM: "",
}
MAX_SCHEDULE_AHEAD = timedelta(days=365)


class PublishingError(Exception):
    """A refusal with a message for a person, optionally naming the field it is about."""

    def __init__(self, message: str, field: str | None = None, code: str = "invalid") -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code


def _label(user: User | None) -> str:
    if user is None or not user.is_authenticated:
        return "system"
    return (user.get_full_name() or user.get_username())[:80]


def can_manage_connections(user: User, client: Client) -> bool:
    return has_role(user, client.pk, Role.OWNER)


def can_publish(user: User, client: Client) -> bool:
    return has_role(user, client.pk, Role.REVIEWER)


# --- connections ---------------------------------------------------------------------------------


def connection_create(
    *,
    client: Client,
    platform: str,
    name: str,
    account: dict[str, Any],
    secrets: dict[str, str],
    expires_in: int | None = None,
    auto_publish: bool = False,
    user: User | None = None,
) -> Connection:
    """Connect an account; the secrets are sealed before they reach the database."""
    if user is not None and not can_manage_connections(user, client):
        raise PublishingError(
            f"Only an owner of {client.name} connects accounts.", code="forbidden"
        )
    if platform not in Platform.values:
        raise PublishingError("Choose WordPress, YouTube or Instagram.", "platform")
    name = (name or "").strip()
    if not name:
        raise PublishingError("Give the account a name people will recognise.", "name")
    account, secrets = _checked(platform, account, secrets)
    main_secret = secrets.get("application_password") or secrets.get("access_token", "")
    if expires_in is None and platform != Platform.WORDPRESS:
        expires_in = 3600 if platform == Platform.YOUTUBE else 60 * 24 * 3600
    try:
        with transaction.atomic():
            connection = Connection.objects.create(
                client=client,
                platform=platform,
                name=name[:120],
                account=account,
                sealed_secrets=vault.seal(secrets),
                secret_hint=vault.hint(main_secret),
                token_expires_at=(
                    timezone.now() + timedelta(seconds=expires_in) if expires_in else None
                ),
                created_by=user if user is not None and user.is_authenticated else None,
                auto_publish=auto_publish,
            )
    except IntegrityError:
        raise PublishingError(
            f"{client.name} already has a {Platform(platform).label} account named “{name}”.",
            "name",
        ) from None
    if auto_publish:
        transaction.on_commit(auto_clients.rebuild)
    return connection


def connection_set_auto(*, connection: Connection, enabled: bool, user: User | None) -> None:
    """Turn automatic publishing of approved work to this account on or off."""
    if user is not None and not can_manage_connections(user, connection.client):
        raise PublishingError("Only an owner changes automatic publishing.", code="forbidden")
    Connection.objects.filter(pk=connection.pk).update(auto_publish=enabled)
    connection.auto_publish = enabled
    transaction.on_commit(auto_clients.rebuild)


def _required(values: dict[str, Any], key: str, label: str) -> str:
    value = str(values.get(key) or "").strip()
    if not value:
        raise PublishingError(f"{label} is required.", key)
    if len(value) > 4000:
        raise PublishingError(f"{label} is too long.", key)
    return value


def _checked(
    platform: str, account: dict[str, Any], secrets: dict[str, str]
) -> tuple[dict[str, Any], dict[str, str]]:
    if platform == Platform.WORDPRESS:
        site_url = _required(account, "site_url", "The site address").rstrip("/")
        _check_site_url(site_url)
        return (
            {"site_url": site_url, "username": _required(account, "username", "The user name")},
            {
                "application_password": _required(
                    secrets, "application_password", "The application password"
                )
            },
        )
    if platform == Platform.YOUTUBE:
        return (
            {"channel": str(account.get("channel") or "").strip()[:200]},
            {
                "access_token": _required(secrets, "access_token", "The access token"),
                "refresh_token": _required(secrets, "refresh_token", "The refresh token"),
                "client_id": _required(secrets, "client_id", "The OAuth client id"),
                "client_secret": _required(secrets, "client_secret", "The OAuth client secret"),
            },
        )
    user_id = _required(account, "ig_user_id", "The Instagram user id")
    if not user_id.isdigit():
        raise PublishingError("The Instagram user id is a number.", "ig_user_id")
    return (
        {"ig_user_id": user_id, "username": str(account.get("username") or "").strip()[:100]},
        {"access_token": _required(secrets, "access_token", "The access token")},
    )


def _check_site_url(site_url: str) -> None:
    """HTTPS only: the application password travels in every request. Plain HTTP is accepted
    for this machine alone (a local WordPress)."""
    parts = urlsplit(site_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise PublishingError("The site address must start with https://.", "site_url")
    if parts.scheme == "http" and not _is_loopback(parts.hostname):
        raise PublishingError(
            "The site address must use https://: the application password is sent with every "
            "request.",
            "site_url",
        )


def _check_public_media_address() -> None:
    """Instagram downloads the media itself: from this machine or a private network it cannot."""
    host = urlsplit(conf.site_url()).hostname or ""
    try:
        private = host == "localhost" or not ipaddress.ip_address(host).is_global
    except ValueError:
        private = host.endswith((".local", ".internal", ".lan")) or "." not in host
    if private:
        raise PublishingError(
            f"Instagram fetches the media from {conf.site_url() or 'this site'}, which it cannot "
            "reach: set PUBLISH_MEDIA_BASE_URL (or SITE_URL) to the site's public address.",
            code="not_reachable",
        )


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def connection_disconnect(*, connection: Connection, user: User | None = None) -> None:
    """Forget the credentials; publications already made keep their record."""
    if user is not None and not can_manage_connections(user, connection.client):
        raise PublishingError("Only an owner disconnects accounts.", code="forbidden")
    with transaction.atomic():
        Publication.objects.filter(connection=connection, status__in=ACTIVE_STATUSES).update(
            status=S.CANCELLED, error="The account was disconnected."
        )
        connection.delete()
        transaction.on_commit(auto_clients.rebuild)


# --- publications --------------------------------------------------------------------------------


def publication_request(
    *,
    job: ProductionJob,
    user: User | None,
    connection: Connection,
    output: Output | None = None,
    image: Output | None = None,
    title: str = "",
    caption: str = "",
    visibility: str = "",
    scheduled_for: datetime | None = None,
) -> Publication:
    """Ask for a deliverable to be published now or at `scheduled_for`; a worker sends it."""
    if user is not None and not can_publish(user, job.client):
        raise PublishingError(
            f"Only reviewers and owners of {job.client.name} publish work.", code="forbidden"
        )
    if connection.client_id != job.client_id or not connection.is_active:
        raise PublishingError("Choose one of this client's connected accounts.", "connection")
    blocker = publish_blocker(job)
    if blocker:
        raise PublishingError(blocker, code="not_approved")
    platform = connection.platform
    output = output or _default_output(job, platform)
    if output.job_id != job.pk or output.revision != job.revision:
        raise PublishingError("Choose an output of the approved revision of this job.", "output")
    if output.kind not in MAIN_KINDS[platform]:
        raise PublishingError(
            f"{Platform(platform).label} cannot take a {output.get_kind_display().lower()} output.",
            "output",
        )
    if image is not None:
        if platform != Platform.WORDPRESS:
            raise PublishingError("Only WordPress posts take a featured image.", "image")
        if image.pk not in {o.pk for o in featured_images(job)}:
            raise PublishingError("Choose an image of the approved revision of this job.", "image")
    if platform == Platform.INSTAGRAM:
        _check_public_media_address()
    scheduled_for = _checked_time(scheduled_for)
    draft = limits.Draft(
        platform=platform,
        output=output,
        image=image,
        title=(title or job.title).strip()[:200],
        caption=caption.strip(),
        visibility=visibility or DEFAULT_VISIBILITY[platform],
    )
    found = limits.problems(draft)
    if found:
        raise PublishingError(" ".join(found), code="platform_limits")
    try:
        with transaction.atomic():
            publication = Publication.objects.create(
                client=job.client,
                job=job,
                revision=job.revision,
                connection=connection,
                platform=platform,
                output=output,
                image=image,
                title=draft.title,
                caption=draft.caption,
                visibility=draft.visibility,
                status=S.SCHEDULED if scheduled_for else S.QUEUED,
                scheduled_for=scheduled_for,
                requested_by=user if user is not None and user.is_authenticated else None,
                requested_by_label=_label(user),
            )
            when = f" for {scheduled_for:%Y-%m-%d %H:%M} UTC" if scheduled_for else ""
            lifecycle.record_event(
                job,
                "publish_requested",
                actor=user if user is not None and user.is_authenticated else None,
                actor_label=_label(user),
                note=f"{Platform(platform).label} ({connection.name}){when}: {output.title or output.get_kind_display()}.",
                payload={"publication": publication.pk, "platform": platform},
            )
            delay = (scheduled_for - timezone.now()).total_seconds() if scheduled_for else 0
            send_on_commit(publication.pk, job.priority, max(0.0, delay))
    except IntegrityError:
        raise PublishingError(
            "This output is already on its way to that account.", code="duplicate"
        ) from None
    return publication


def _default_output(job: ProductionJob, platform: str) -> Output:
    outputs = publishable(job, platform)
    if not outputs:
        raise PublishingError(
            f"This job has no output {Platform(platform).label} can take.", "output"
        )
    return outputs[0]


def _checked_time(when: datetime | None) -> datetime | None:
    if when is None:
        return None
    if timezone.is_naive(when):
        raise PublishingError("Give the time with its time zone.", "scheduled_for")
    now = timezone.now()
    if when <= now + timedelta(seconds=30):
        return None  # a time already past means "now"
    if when > now + MAX_SCHEDULE_AHEAD:
        raise PublishingError("Publications are scheduled at most a year ahead.", "scheduled_for")
    return when


def publication_cancel(*, publication: Publication, user: User | None) -> Publication:
    if user is not None and not can_publish(user, publication.client):
        raise PublishingError("Only reviewers and owners cancel publications.", code="forbidden")
    cancelled = Publication.objects.filter(
        pk=publication.pk, status__in=(S.SCHEDULED, S.QUEUED, S.RETRYING)
    ).update(status=S.CANCELLED, error=f"Cancelled by {_label(user)}.")
    if not cancelled:
        raise PublishingError(
            "Only a publication that has not started can be cancelled.", code="conflict"
        )
    publication.refresh_from_db()
    return publication


def publication_retry(*, publication: Publication, user: User | None) -> Publication:
    """A failed publication tried again now, resuming from what it already sent."""
    if user is not None and not can_publish(user, publication.client):
        raise PublishingError("Only reviewers and owners retry publications.", code="forbidden")
    if publication.status != S.FAILED:
        raise PublishingError("Only a failed publication can be retried.", code="conflict")
    blocker = publish_blocker(publication.job)
    if blocker:
        raise PublishingError(blocker, code="not_approved")
    try:
        with transaction.atomic():
            updated = Publication.objects.filter(pk=publication.pk, status=S.FAILED).update(
                status=S.QUEUED, attempts=0, error="", scheduled_for=None
            )
            if updated:
                send_on_commit(publication.pk, publication.job.priority)
    except IntegrityError:
        raise PublishingError(
            "This output is already on its way to that account.", code="duplicate"
        ) from None
    publication.refresh_from_db()
    return publication
