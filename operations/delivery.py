"""Sending one webhook delivery: sign, POST, log the answer, retry with backoff or give up.

A delivery is claimed attempt by attempt with a conditional update, so a message run twice
by RQ sends once. No transaction is held over the HTTP request.
"""

from __future__ import annotations

import json
import logging
import time
import urllib.error
import urllib.request
from datetime import timedelta

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from operations import signing
from operations.models import (
    DeliveryStatus,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)
from operations.queueing import schedule_retry
from operations.services import endpoint_disable

log = logging.getLogger(__name__)

BODY_KEPT = 500
# How an endpoint disabled by failures is told apart (the alert rule looks for it).
AUTO_DISABLED = "Disabled after"


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer of its own: the signed body is never re-sent elsewhere."""

    def redirect_request(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN201
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def body_of(delivery: WebhookDelivery) -> bytes:
    return json.dumps(delivery.message.payload, separators=(",", ":")).encode()


def post(endpoint: WebhookEndpoint, msg_id: str, body: bytes) -> tuple[int | None, str, str]:
    """(response code, start of the response body, error) of one signed POST."""
    now = timezone.now()
    request = urllib.request.Request(
        endpoint.url, data=body, method="POST", headers=signing.headers(endpoint, msg_id, now, body)
    )
    try:
        with _opener.open(request, timeout=settings.WEBHOOK_TIMEOUT_SECONDS) as response:
            return response.status, response.read(BODY_KEPT).decode(errors="replace"), ""
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(BODY_KEPT).decode(errors="replace"), ""
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        return None, "", f"{type(exc).__name__}: {reason}"[:300]


def deliver(delivery_id: int, *, manual_by: str = "") -> str:
    delivery = (
        WebhookDelivery.objects.select_related("endpoint", "message").filter(pk=delivery_id).first()
    )
    if delivery is None:
        return "gone"
    endpoint = delivery.endpoint
    if not endpoint.is_active:
        return "endpoint disabled"
    if delivery.status != DeliveryStatus.PENDING:
        return "settled"
    number = delivery.attempts + 1
    claimed = WebhookDelivery.objects.filter(
        pk=delivery.pk, status=DeliveryStatus.PENDING, attempts=delivery.attempts
    ).update(attempts=number, next_attempt_at=None)
    if not claimed:
        return "claimed elsewhere"

    started = time.monotonic()
    code, answer, error = post(endpoint, delivery.message.msg_id, body_of(delivery))
    WebhookAttempt.objects.create(
        delivery=delivery,
        number=number,
        response_code=code,
        response_body=answer,
        error=error,
        duration_ms=int((time.monotonic() - started) * 1000),
        manual=bool(manual_by),
        requested_by_label=manual_by[:80],
    )
    now = timezone.now()
    if code is not None and 200 <= code < 300:
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.SUCCEEDED, last_response_code=code, finished_at=now
        )
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(consecutive_failures=0)
        return "delivered"
    delays = settings.WEBHOOK_RETRY_DELAYS
    # A manual redelivery is one attempt: the automatic schedule already ran its course.
    if not manual_by and number <= len(delays):
        delay = delays[number - 1]
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            last_response_code=code, next_attempt_at=now + timedelta(seconds=delay)
        )
        schedule_retry(delivery.pk, delay)
        return f"retry in {delay} s"
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.FAILED, last_response_code=code, finished_at=now
    )
    if not manual_by:
        _count_failure(endpoint)
    return "failed"


def _count_failure(endpoint: WebhookEndpoint) -> None:
    """A delivery gave up: after too many in a row, the endpoint is disabled."""
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
        consecutive_failures=F("consecutive_failures") + 1
    )
    endpoint.refresh_from_db(fields=["consecutive_failures", "is_active"])
    limit = settings.WEBHOOK_DISABLE_AFTER_FAILURES
    if endpoint.is_active and endpoint.consecutive_failures >= limit:
        endpoint_disable(
            endpoint=endpoint,
            reason=f"{AUTO_DISABLED} {endpoint.consecutive_failures} deliveries in a row failed.",
        )
