"""Query-string filters for job lists: status, type, priority, client, created range, search."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import UTC, datetime

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import ValidationError

from jobs.job_types.choices import job_type_choices
from jobs.models import JobType, Priority, ProductionJob, Status

# The parameters each list accepts, documented once for the schema.
JOB_FILTER_PARAMETERS = [
    OpenApiParameter("status", OpenApiTypes.STR, enum=Status.values, description="Job status."),
    OpenApiParameter("type", OpenApiTypes.STR, enum=JobType.values, description="Job type."),
    OpenApiParameter("priority", OpenApiTypes.STR, enum=Priority.values),
    OpenApiParameter("client", OpenApiTypes.UUID, description="Client id."),
    OpenApiParameter(
        "created_after", OpenApiTypes.DATETIME, description="Created at or after (ISO 8601)."
    ),
    OpenApiParameter(
        "created_before", OpenApiTypes.DATETIME, description="Created before (ISO 8601)."
    ),
    OpenApiParameter("search", OpenApiTypes.STR, description="Words in the title."),
]


def _choice(params: Mapping[str, str], name: str, choices: list[str], label: str) -> str | None:
    value = params.get(name)
    if value in (None, ""):
        return None
    if value not in choices:
        raise ValidationError(
            {label: [f"Unknown value {value!r}; choose one of {', '.join(choices)}."]}
        )
    return value


def _uuid(params: Mapping[str, str], name: str, label: str) -> uuid.UUID | None:
    value = params.get(name)
    if value in (None, ""):
        return None
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise ValidationError({label: ["Must be a valid UUID."]}) from None


def _moment(params: Mapping[str, str], name: str) -> datetime | None:
    value = params.get(name)
    if value in (None, ""):
        return None
    try:
        moment = parse_datetime(value)
        if moment is None:
            day = parse_date(value)
            moment = datetime(day.year, day.month, day.day) if day else None
    except ValueError:
        moment = None
    if moment is None:
        raise ValidationError({name: ["Must be an ISO 8601 date or date-time."]})
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, UTC)
    try:
        # In UTC: PostgreSQL refuses offsets beyond ±15:59, which ISO 8601 parsing allows.
        return moment.astimezone(UTC)
    except OverflowError:
        raise ValidationError({name: ["Date-time out of range."]}) from None


def filter_jobs(
    qs: QuerySet[ProductionJob],
    params: Mapping[str, str],
    *,
    names: Mapping[str, str] | None = None,
) -> QuerySet[ProductionJob]:
    """Apply the filters in `params`; `names` maps a filter to its query parameter's name."""
    names = {
        "status": "status",
        "type": "type",
        "priority": "priority",
        "client": "client",
        **(names or {}),
    }
    status = _choice(params, names["status"], Status.values, names["status"])
    if status:
        qs = qs.filter(status=status)
    job_types = [key for key, _ in job_type_choices()]
    job_type = _choice(params, names["type"], job_types, names["type"])
    if job_type:
        qs = qs.filter(job_type=job_type)
    priority = _choice(params, names["priority"], Priority.values, names["priority"])
    if priority:
        qs = qs.filter(priority=priority)
    client = _uuid(params, names["client"], names["client"])
    if client:
        qs = qs.filter(client_id=client)
    after = _moment(params, "created_after")
    if after:
        qs = qs.filter(created_at__gte=after)
    before = _moment(params, "created_before")
    if before:
        qs = qs.filter(created_at__lt=before)
    # NUL cannot be stored or compared by PostgreSQL; it never occurs in a title anyway.
    search = (params.get("search") or "").replace("\x00", "").strip()
    if search:
        for word in search.split()[:10]:
            qs = qs.filter(title__icontains=word)
    return qs
