"""Sending notifications: the inbox row, the e-mail at once or in the daily digest."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from notifications.links import absolute, signed_url
from notifications.models import DEFAULT_CHANNELS, Channel, Event, Notification, Preference
from production.models import Membership

log = logging.getLogger("notifications")

MENTION = re.compile(r"(?<![\w@])@([\w.+-]{1,150})")


def channel_for(user: AbstractBaseUser, event: str) -> str:
    chosen = Preference.objects.filter(user=user, event=event).values_list("channel", flat=True)
    return next(iter(chosen), DEFAULT_CHANNELS[event])


def preferences_for(user: AbstractBaseUser) -> dict[str, str]:
    """Every event with the user's channel, defaults filled in."""
    chosen = dict(Preference.objects.filter(user=user).values_list("event", "channel"))
    return {event: chosen.get(event, DEFAULT_CHANNELS[event]) for event in Event.values}


def set_preference(*, user: AbstractBaseUser, event: str, channel: str) -> None:
    if event not in Event.values or channel not in Channel.values:
        raise ValueError(f"Unknown event {event!r} or channel {channel!r}.")
    Preference.objects.update_or_create(user=user, event=event, defaults={"channel": channel})


def notify(
    *,
    users: Iterable[AbstractBaseUser],
    event: str,
    title: str,
    url: str,
    key: str,
    body: str = "",
    job: object | None = None,
    exclude: AbstractBaseUser | None = None,
) -> list[Notification]:
    """Tell each user once per `key`, by the channel they chose; e-mails leave on commit."""
    sent: list[Notification] = []
    seen: set[int] = set()
    for user in users:
        if user.pk in seen or (exclude is not None and user.pk == exclude.pk):
            continue
        seen.add(user.pk)
        if not user.is_active:
            continue
        channel = channel_for(user, event)
        if channel == Channel.OFF:
            continue
        try:
            with transaction.atomic():
                notification = Notification.objects.create(
                    user=user,
                    event=event,
                    channel=channel,
                    title=title[:200],
                    body=body,
                    url=url,
                    job=job,
                    key=key[:120],
                )
        except IntegrityError:
            continue  # already told about this
        sent.append(notification)
        if channel == Channel.EMAIL and user.email:
            transaction.on_commit(lambda pk=notification.pk: send_email(pk))
    return sent


def members_with_role(client_id: object, *roles: str) -> list[AbstractBaseUser]:
    user_ids = Membership.objects.filter(client_id=client_id, role__in=roles).values_list(
        "user_id", flat=True
    )
    return list(get_user_model().objects.filter(pk__in=user_ids, is_active=True))


def mentioned_users(text: str, client_id: object) -> list[AbstractBaseUser]:
    """Users of the client named as @username in the text; other clients' users never match."""
    names = {name.rstrip(".").lower() for name in MENTION.findall(text or "")}
    if not names:
        return []
    user_ids = Membership.objects.filter(client_id=client_id).values_list("user_id", flat=True)
    return [
        user
        for user in get_user_model().objects.filter(pk__in=user_ids, is_active=True)
        if user.get_username().lower() in names
    ]


# --- e-mail -------------------------------------------------------------------------------------


def _message(
    user: AbstractBaseUser, subject: str, template: str, context: dict
) -> EmailMultiAlternatives:
    context = {"user": user, "site_url": settings.SITE_URL, **context}
    text = render_to_string(f"notifications/email/{template}.txt", context)
    html = render_to_string(f"notifications/email/{template}.html", context)
    message = EmailMultiAlternatives(
        subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=[user.email]
    )
    message.attach_alternative(html, "text/html")
    return message


def send_email(notification_id: int) -> bool:
    """Send one notification's e-mail; a failure is logged and leaves it unsent for a retry."""
    notification = Notification.objects.select_related("user").filter(pk=notification_id).first()
    if notification is None or notification.emailed_at or not notification.user.email:
        return False
    link = signed_url(notification.pk, notification.user_id)
    message = _message(
        notification.user,
        notification.title,
        "notification",
        {"notification": notification, "link": link},
    )
    try:
        message.send()
    except Exception:  # SMTP errors come in many classes; none may break the caller
        log.exception("Could not e-mail notification %s", notification.pk)
        return False
    Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
    return True


def send_digest(user: AbstractBaseUser, *, now: datetime | None = None) -> int:
    """E-mail the user's digest notices not yet sent in one message; returns how many."""
    now = now or timezone.now()
    pending = list(
        Notification.objects.filter(
            user=user, channel=Channel.DIGEST, digested_at__isnull=True
        ).order_by("created_at", "id")
    )
    if not pending or not user.email:
        return 0
    items = [(n, signed_url(n.pk, user.pk)) for n in pending]
    subject = f"Your daily digest: {len(items)} update{'s' if len(items) != 1 else ''}"
    message = _message(
        user, subject, "digest", {"items": items, "inbox": absolute("/notifications/")}
    )
    try:
        message.send()
    except Exception:
        log.exception("Could not e-mail the digest of user %s", user.pk)
        return 0
    Notification.objects.filter(pk__in=[n.pk for n in pending]).update(digested_at=now)
    return len(pending)


def send_daily_digests(*, now: datetime | None = None) -> int:
    """One digest to every user with unsent digest notices; returns the e-mails sent."""
    user_ids = (
        Notification.objects.filter(channel=Channel.DIGEST, digested_at__isnull=True)
        .values_list("user_id", flat=True)
        .distinct()
    )
    sent = 0
    for user in get_user_model().objects.filter(pk__in=list(user_ids)):
        sent += 1 if send_digest(user, now=now) else 0
    return sent


# --- the inbox ----------------------------------------------------------------------------------


def mark_read(*, user: AbstractBaseUser, ids: Iterable[int] | None = None) -> int:
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())
