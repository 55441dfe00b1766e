"""Writes on webhook endpoints and deliveries: what owners, staff and the workers change."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from operations import subscribers
from operations.models import (
    DeliveryStatus,
    WebhookDelivery,
    WebhookEndpoint,
    new_secret,
)
from operations.queueing import enqueue_delivery_on_commit
from production.models import Client

ROTATION_OVERLAP = timedelta(hours=24)


class WebhookError(Exception):
    """A change that cannot be made; `field` names the input it is about."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def _rebuild_on_commit() -> None:
    transaction.on_commit(subscribers.rebuild)


def endpoint_create(
    *, client: Client, url: str, events: list[str], description: str = "", user: Any = None
) -> WebhookEndpoint:
    with transaction.atomic():
        endpoint = WebhookEndpoint.objects.create(
            client=client,
            url=url,
            events=sorted(set(events)),
            description=description,
            created_by=user if user is not None and user.is_authenticated else None,
        )
        _rebuild_on_commit()
    return endpoint


def endpoint_update(
    *, endpoint: WebhookEndpoint, url: str, events: list[str], description: str
) -> WebhookEndpoint:
    endpoint.url = url
    endpoint.events = sorted(set(events))
    endpoint.description = description
    endpoint.save(update_fields=["url", "events", "description"])
    return endpoint


def endpoint_rotate_secret(*, endpoint: WebhookEndpoint) -> WebhookEndpoint:
    """A new secret signs from now on; the old one also signs for ROTATION_OVERLAP."""
    endpoint.previous_secret = endpoint.secret
    endpoint.previous_secret_expires_at = timezone.now() + ROTATION_OVERLAP
    endpoint.secret = new_secret()
    endpoint.save(update_fields=["secret", "previous_secret", "previous_secret_expires_at"])
    return endpoint


def endpoint_disable(*, endpoint: WebhookEndpoint, reason: str) -> WebhookEndpoint:
    with transaction.atomic():
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
            is_active=False, disabled_reason=reason[:300], disabled_at=timezone.now()
        )
        _rebuild_on_commit()
    endpoint.refresh_from_db()
    return endpoint


def endpoint_enable(*, endpoint: WebhookEndpoint) -> WebhookEndpoint:
    with transaction.atomic():
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
            is_active=True, disabled_reason="", disabled_at=None, consecutive_failures=0
        )
        _rebuild_on_commit()
    endpoint.refresh_from_db()
    return endpoint


def endpoint_delete(*, endpoint: WebhookEndpoint) -> None:
    with transaction.atomic():
        endpoint.delete()
        _rebuild_on_commit()


def delivery_redeliver(*, delivery: WebhookDelivery, requested_by: str) -> WebhookDelivery:
    """Send a delivery again, whatever became of it, as one more logged attempt."""
    if not delivery.endpoint.is_active:
        raise WebhookError("Enable the endpoint before redelivering to it.")
    with transaction.atomic():
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.PENDING, finished_at=None
        )
        enqueue_delivery_on_commit(delivery.pk, requested_by or "someone")
    delivery.refresh_from_db()
    return delivery
