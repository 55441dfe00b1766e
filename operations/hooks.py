"""Listeners on the engine's rows and its run requests (connected in OperationsConfig.ready).

Circuit breakers report their openings and closings to the history (breakers.py).

A pending job about to run is held when it would go over its client's budget (budgets.py).

A history row or a new approval request becomes webhook messages in a worker, after the
engine's transaction commits; here only a Redis look-up decides whether the client has any
endpoint, so the engine's steps cost no extra query.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save

from approvals.models import ApprovalRequest
from jobs import lifecycle
from jobs.models import JobEvent
from operations import breakers, budgets, events, subscribers, tracing
from operations.queueing import FAN_OUT_APPROVAL, FAN_OUT_JOB_EVENT, send_on_commit


def on_job_event(sender: Any, instance: JobEvent, created: bool, **kwargs: Any) -> None:
    if not created or kwargs.get("raw") or not events.job_event_types(instance):
        return
    if subscribers.may_subscribe(instance.job.client_id):
        send_on_commit(FAN_OUT_JOB_EVENT, instance.pk)


def on_approval_request(
    sender: Any, instance: ApprovalRequest, created: bool, **kwargs: Any
) -> None:
    if not created or kwargs.get("raw"):
        return
    if subscribers.may_subscribe(instance.job.client_id):
        send_on_commit(FAN_OUT_APPROVAL, instance.pk)


def connect() -> None:
    breakers.connect()
    lifecycle.run_requested.connect(budgets.hold_over_budget, dispatch_uid="operations.budget")
    post_save.connect(on_job_event, sender=JobEvent, dispatch_uid="operations.job_event")
    # Opens and closes each job run's trace span (nothing when no OTLP endpoint is set).
    post_save.connect(tracing.on_job_event, sender=JobEvent, dispatch_uid="operations.tracing")
    post_save.connect(
        on_approval_request, sender=ApprovalRequest, dispatch_uid="operations.approval_request"
    )
