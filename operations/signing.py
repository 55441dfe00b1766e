"""Standard Webhooks signatures: one "v1,<base64>" per valid secret, space separated.

The signature is HMAC-SHA256 over "<webhook-id>.<webhook-timestamp>.<body>" keyed with the
base64-decoded secret (after its "whsec_" prefix). During a rotation the previous secret signs
too, so receivers holding either secret verify the message.
"""

from __future__ import annotations

from datetime import datetime

from standardwebhooks.webhooks import Webhook

from operations.models import WebhookEndpoint


def valid_secrets(endpoint: WebhookEndpoint, now: datetime) -> list[str]:
    found = [endpoint.secret]
    expires = endpoint.previous_secret_expires_at
    if endpoint.previous_secret and expires is not None and expires > now:
        found.append(endpoint.previous_secret)
    return found


def sign(endpoint: WebhookEndpoint, msg_id: str, at: datetime, body: bytes) -> str:
    """The webhook-signature header for a body sent at `at`."""
    return " ".join(
        Webhook(secret).sign(msg_id=msg_id, timestamp=at, data=body)
        for secret in valid_secrets(endpoint, at)
    )


def headers(endpoint: WebhookEndpoint, msg_id: str, at: datetime, body: bytes) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        "User-Agent": "production-engine-webhooks/1",
        "webhook-id": msg_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": sign(endpoint, msg_id, at, body),
    }
