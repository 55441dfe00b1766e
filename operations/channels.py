"""Sending an alert to a channel: e-mail, a Slack-compatible incoming webhook, a generic webhook."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

from django.conf import settings
from django.core.mail import send_mail

from operations import conf
from operations.models import AlertChannel, ChannelKind


def _post_json(url: str, body: dict[str, Any]) -> str:
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        method="POST",
        headers={"Content-Type": "application/json", "User-Agent": "production-engine-alerts/1"},
    )
    try:
        with urllib.request.urlopen(request, timeout=conf.alert_timeout()) as response:
            return f"sent ({response.status})"
    except urllib.error.HTTPError as exc:
        return f"error: HTTP {exc.code}"
    except (urllib.error.URLError, OSError, ValueError) as exc:
        return f"error: {getattr(exc, 'reason', exc)}"[:200]


def send(channel: AlertChannel, *, subject: str, text: str, data: dict[str, Any]) -> str:
    """Send one alert; returns "sent ..." or "error: ..." for the notice log (never raises)."""
    if channel.kind == ChannelKind.EMAIL:
        addresses = [a.strip() for a in channel.target.split(",") if a.strip()]
        try:
            send_mail(subject, text, settings.DEFAULT_FROM_EMAIL, addresses)
        except Exception as exc:  # noqa: BLE001 - a mail server problem is reported, not raised
            return f"error: {type(exc).__name__}: {exc}"[:200]
        return f"sent to {len(addresses)}"
    if channel.kind == ChannelKind.SLACK:
        # Slack's incoming-webhook shape; Discord (/slack URLs) and Teams take it too.
        return _post_json(channel.target, {"text": f"*{subject}*\n{text}"})
    return _post_json(channel.target, data)
