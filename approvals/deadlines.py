"""Due times of approval requests: a reminder before the due time, an escalation once overdue.

When a request opens or its due time changes, two messages are scheduled with RQ's scheduler
(`enqueue_at`): a reminder REMIND_BEFORE ahead of the due time and an escalation at it. Each
carries the request id and the due time it was scheduled for, so a message whose request was
decided or given another due time does nothing. Each writes a history row on the job
("review.due_soon", "review.overdue"), which is what the notifications follow. `sweep` does
the same for anything due at a given time, should Redis ever lose the scheduled messages.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from functools import partial

from django.db import transaction
from django.utils import timezone
from redis.exceptions import ConnectionError as RedisConnectionError

from approvals.models import ApprovalRequest, ApprovalStatus
from jobs import lifecycle
from production.redis_connection import queue as rq_queue

log = logging.getLogger(__name__)

REMIND_BEFORE = timedelta(hours=4)
QUEUE = "high"
REMIND_TASK = "approvals.deadlines.remind"
ESCALATE_TASK = "approvals.deadlines.escalate"


def reminder_time(due_at: datetime) -> datetime:
    return due_at - REMIND_BEFORE


def schedule_on_commit(request: ApprovalRequest) -> None:
    """Schedule the reminder and the escalation of a pending request once this commits."""
    if request.due_at is None:
        return
    transaction.on_commit(partial(_schedule, request.pk, request.due_at))


def _schedule(request_id: int, due_at: datetime) -> None:
    queue = rq_queue(QUEUE)
    stamp = due_at.isoformat()
    options = {"result_ttl": 0, "failure_ttl": 7 * 24 * 3600}
    try:
        for task, when in ((REMIND_TASK, reminder_time(due_at)), (ESCALATE_TASK, due_at)):
            queue.enqueue_at(
                when,
                task,
                request_id,
                stamp,
                description=f"{task.rsplit('.', 1)[1]} request {request_id} due {stamp}",
                **options,
            )
    except RedisConnectionError as exc:
        # The database holds the due time: `sweep` catches up once Redis is back.
        log.warning(
            "Redis unreachable, deadlines of request %s left to the sweep: %s", request_id, exc
        )


def _due(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp)


def remind(request_id: int, due_stamp: str) -> bool:
    """The reminder before the due time; False when it no longer applies or was sent."""
    return _mark(request_id, _due(due_stamp), "reminded_at", "review.due_soon")


def escalate(request_id: int, due_stamp: str) -> bool:
    """The request is overdue: record it and tell the owners; False when it no longer applies."""
    return _mark(request_id, _due(due_stamp), "escalated_at", "review.overdue")


def _mark(request_id: int, due_at: datetime, field: str, action: str) -> bool:
    with transaction.atomic():
        claimed = ApprovalRequest.objects.filter(
            pk=request_id,
            status=ApprovalStatus.PENDING,
            due_at=due_at,
            **{f"{field}__isnull": True},
        ).update(**{field: timezone.now()})
        if claimed != 1:
            return False
        request = ApprovalRequest.objects.select_related("job").get(pk=request_id)
        when = timezone.localtime(due_at).strftime("%Y-%m-%d %H:%M %Z")
        note = (
            f"{request.get_approval_type_display()} of revision {request.revision} is due {when}."
            if action == "review.due_soon"
            else f"{request.get_approval_type_display()} of revision {request.revision} was due "
            f"{when} and is overdue."
        )
        lifecycle.record_event(
            request.job,
            action,
            note=note,
            payload={
                "request_id": request.pk,
                "due_at": due_at.isoformat(),
                "assignee_id": request.assignee_id,
            },
        )
    return True


def sweep(*, now: datetime | None = None) -> tuple[int, int]:
    """Send every reminder and escalation due at `now` not sent yet: (reminded, escalated)."""
    now = now or timezone.now()
    pending = ApprovalRequest.objects.filter(status=ApprovalStatus.PENDING, due_at__isnull=False)
    reminded = sum(
        remind(pk, due.isoformat())
        for pk, due in pending.filter(
            reminded_at__isnull=True, due_at__lte=now + REMIND_BEFORE
        ).values_list("pk", "due_at")
    )
    escalated = sum(
        escalate(pk, due.isoformat())
        for pk, due in pending.filter(escalated_at__isnull=True, due_at__lte=now).values_list(
            "pk", "due_at"
        )
    )
    return reminded, escalated
