"""Webhook events from the engine's rows: their payloads, and the messages and deliveries they make.

A job's history row (JobEvent) is a status change, a decision on an approval, or outputs being
created; an ApprovalRequest row is an approval being asked for. Payloads follow the Standard
Webhooks shape: {"type", "timestamp", "data"}.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from approvals.models import ApprovalRequest
from jobs.models import JobEvent
from operations.models import (
    EventType,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookMessage,
)
from operations.queueing import enqueue_delivery_on_commit

OUTPUT_ACTIONS = frozenset({"content_generated", "visual_created"})
PUBLISHED_ACTION = "published"  # written by publishing.runner once a platform took the work


def job_event_types(event: JobEvent) -> list[str]:
    """The webhook event types one history row stands for (often none)."""
    found = []
    if event.from_status != event.to_status:
        found.append(EventType.JOB_STATUS_CHANGED)
    if event.action.startswith("decision."):
        found.append(EventType.APPROVAL_DECIDED)
    if event.action in OUTPUT_ACTIONS:
        found.append(EventType.OUTPUT_CREATED)
    if event.action == PUBLISHED_ACTION:
        found.append(EventType.PUBLISHED)
    return found


def _job_data(event: JobEvent) -> dict[str, Any]:
    job = event.job
    return {
        "job_id": str(job.pk),
        "client": job.client.slug,
        "title": job.title,
        "job_type": job.job_type,
        "revision": event.revision,
    }


def job_event_payload(event: JobEvent, event_type: str) -> dict[str, Any]:
    data = _job_data(event)
    if event_type == EventType.JOB_STATUS_CHANGED:
        data |= {
            "from_status": event.from_status,
            "to_status": event.to_status,
            "actor": event.actor_name,
            "note": event.note,
        }
    elif event_type == EventType.APPROVAL_DECIDED:
        payload = event.payload or {}
        data |= {
            "decision": payload.get("decision", event.action.removeprefix("decision.")),
            "action": event.action,
            "gate": payload.get("gate", "final"),
            "approval_id": payload.get("request_id"),
            "feedback": payload.get("feedback", ""),
            "decided_by": event.actor_name,
            "auto": bool(payload.get("auto")),
        }
    elif event_type == EventType.PUBLISHED:
        payload = event.payload or {}
        data |= {
            "platform": payload.get("platform", ""),
            "remote_id": payload.get("remote_id", ""),
            "remote_url": payload.get("remote_url", ""),
            "publication_id": payload.get("publication"),
        }
    elif event_type == EventType.OUTPUT_CREATED:
        data |= {
            "step": (event.payload or {}).get("step", ""),
            "outputs": (event.payload or {}).get("outputs", []),
        }
    return _envelope(event_type, event.created_at.isoformat(), data)


def approval_payload(request: ApprovalRequest) -> dict[str, Any]:
    job = request.job
    data = {
        "job_id": str(job.pk),
        "client": job.client.slug,
        "title": job.title,
        "job_type": job.job_type,
        "revision": request.revision,
        "approval_id": request.pk,
        "gate": request.gate,
        "approval_type": request.approval_type,
        "approver_role": request.approver_role,
        "due_at": request.due_at.isoformat() if request.due_at else None,
    }
    return _envelope(EventType.APPROVAL_REQUESTED, request.created_at.isoformat(), data)


def _envelope(event_type: str, timestamp: str, data: dict[str, Any]) -> dict[str, Any]:
    return {"type": str(event_type), "timestamp": timestamp, "data": data}


def publish(
    *, client_id: Any, event_type: str, source: str, payload: dict[str, Any]
) -> WebhookMessage | None:
    """Make the message and one delivery per subscribed endpoint; send them after commit.

    Idempotent per (event type, source): a fan-out that runs twice makes one message.
    """
    endpoints = [
        endpoint
        for endpoint in WebhookEndpoint.objects.filter(client_id=client_id, is_active=True)
        if event_type in endpoint.events
    ]
    if not endpoints:
        return None
    with transaction.atomic():
        message, created = WebhookMessage.objects.get_or_create(
            event_type=event_type,
            source=source,
            defaults={"client_id": client_id, "payload": payload},
        )
        if not created:
            return message
        deliveries = WebhookDelivery.objects.bulk_create(
            WebhookDelivery(message=message, endpoint=endpoint) for endpoint in endpoints
        )
        for delivery in deliveries:
            enqueue_delivery_on_commit(delivery.pk)
    return message


def fan_out_job_event(event_id: int) -> int:
    event = JobEvent.objects.select_related("job__client", "actor").filter(pk=event_id).first()
    if event is None:
        return 0
    sent = 0
    for event_type in job_event_types(event):
        message = publish(
            client_id=event.job.client_id,
            event_type=event_type,
            source=f"jobevent:{event.pk}",
            payload=job_event_payload(event, event_type),
        )
        sent += message is not None
    return sent


def fan_out_approval(request_id: int) -> int:
    request = ApprovalRequest.objects.select_related("job__client").filter(pk=request_id).first()
    if request is None:
        return 0
    message = publish(
        client_id=request.job.client_id,
        event_type=EventType.APPROVAL_REQUESTED,
        source=f"approval:{request.pk}",
        payload=approval_payload(request),
    )
    return int(message is not None)
