"""RQ entry points of the operations app: each takes ids and calls a service."""

from __future__ import annotations

from operations import delivery, events, retention, schedule


def fan_out_job_event(event_id: int) -> int:
    return events.fan_out_job_event(event_id)


def fan_out_approval(request_id: int) -> int:
    return events.fan_out_approval(request_id)


def deliver_webhook(delivery_id: int, manual_by: str = "") -> str:
    return delivery.deliver(delivery_id, manual_by=manual_by)


def tick(slot: int | None = None) -> str:
    return schedule.tick(slot)


def apply_retention(run_id: int) -> str:
    return retention.run_scheduled(run_id)
