"""Ids in requests resolved to objects the caller may see (else 404), and the shared writes."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from django.db.models import Q, QuerySet

from jobs import services
from jobs.api.errors import conflict, field_error, not_found
from jobs.models import JobTemplate, Manifest, ProductionJob
from jobs.selectors import jobs_for
from production.models import Client
from production.tenancy import client_ids_for, clients_for


def parse_uuid(value: Any) -> uuid.UUID:
    """A malformed id names nothing, so it is a 404 like any unknown one."""
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        raise not_found() from None


def get_job(user: Any, job_id: Any) -> ProductionJob:
    job = jobs_for(user).filter(pk=parse_uuid(job_id)).first()
    if job is None:
        raise not_found("Job not found.")
    return job


def templates_for(user: Any) -> QuerySet[JobTemplate]:
    """Global templates and those of the caller's clients; staff see all."""
    qs = JobTemplate.objects.select_related("client")
    if user.is_authenticated and user.is_staff:
        return qs
    return qs.filter(Q(client__isnull=True) | Q(client_id__in=client_ids_for(user)))


def manifests_for(user: Any) -> QuerySet[Manifest]:
    qs = Manifest.objects.all()
    if user.is_authenticated and user.is_staff:
        return qs
    return qs.filter(client_id__in=client_ids_for(user))


def resolve_client(user: Any, client_id: Any, *, field: str = "clientId") -> Client:
    """The client named in a body; when omitted, the caller's only client.

    `field` is the service-style name ("clientId"); the error handler respells it per route.
    """
    if client_id in (None, ""):
        clients = list(clients_for(user)[:2])
        if len(clients) == 1:
            return clients[0]
        raise services.JobError("This field is required.", field=field, code="required")
    client = clients_for(user).filter(pk=parse_uuid(client_id)).first()
    if client is None:
        raise not_found("Client not found.")
    return client


def resolve_template(user: Any, template_id: Any, client: Client) -> JobTemplate | None:
    if template_id in (None, ""):
        return None
    try:
        pk = int(template_id)
    except (TypeError, ValueError):
        raise services.JobError("Must be an integer.", field="templateId") from None
    template = (
        templates_for(user)
        .filter(pk=pk, is_active=True)
        .filter(Q(client__isnull=True) | Q(client=client))
        .first()
    )
    if template is None:
        raise not_found("Template not found.")
    return template


def create_job(
    user: Any,
    *,
    client_id: Any,
    job_type: str | None,
    title: str,
    description: str = "",
    priority: str = "normal",
    input_data: dict[str, Any] | None = None,
    template_id: Any = None,
    auto_process: bool = True,
) -> ProductionJob:
    """Create a job for a client the caller belongs to; shared by /api/v1/ and the seed route."""
    client = resolve_client(user, client_id)
    if not services.can_create_jobs(user, client):
        raise services.PermissionDenied("You cannot create jobs for this client.")
    template = resolve_template(user, template_id, client)
    if not job_type and template is None:
        raise services.JobError("This field is required.", field="jobType", code="required")
    return services.job_create(
        client=client,
        job_type=job_type or "",
        title=title,
        created_by=user,
        description=description,
        priority=priority,
        input_data=input_data or {},
        template=template,
        auto_process=auto_process,
    )


# The body field that carries each create_job argument, as each route spells it.
V1_CREATE_FIELDS = {
    "client_id": "client",
    "job_type": "job_type",
    "input_data": "input_data",
    "template_id": "template",
    "auto_process": "auto_process",
}
SEED_CREATE_FIELDS = {
    "client_id": "clientId",
    "job_type": "jobType",
    "input_data": "inputData",
    "template_id": "templateId",
    "auto_process": "autoProcess",
}


def create_job_from_body(
    user: Any, data: Mapping[str, Any], fields: Mapping[str, str]
) -> ProductionJob:
    """Create a job from a validated create body whose field names `fields` gives."""
    return create_job(
        user,
        client_id=data.get(fields["client_id"]),
        job_type=data.get(fields["job_type"]),
        title=data["title"],
        description=data["description"],
        priority=data["priority"],
        input_data=data[fields["input_data"]],
        template_id=data.get(fields["template_id"]),
        auto_process=data[fields["auto_process"]],
    )


FEEDBACK_REQUIRED = frozenset({"request_changes", "reject"})


def decide_on_job(
    job: ProductionJob, user: Any, decision: str, feedback: str, revision: int | None
) -> ProductionJob:
    """Approve, request changes or reject the job's open approval request."""
    from approvals import services as approval_services

    if approval_services.pending_request_for(job) is None:
        raise conflict(
            f"This job has no decision pending; it is {job.status}.",
            job.status,
            code="nothing_to_decide",
        )
    approval_services.job_decide(
        job=job, user=user, decision=decision, feedback=feedback, expected_revision=revision
    )
    return ProductionJob.objects.select_related("client").get(pk=job.pk)


def expected_revision(request: Any, named: int | None) -> int | None:
    """The revision a decision is bound to: the body's `revision` or an `If-Match` header.

    `If-Match` takes the revision number, bare or quoted (`3`, `"3"`, `W/"3"`); when both are
    given they must agree.
    """
    header = (request.headers.get("If-Match") or "").strip()
    if not header or header == "*":
        return named
    raw = header.removeprefix("W/").strip('"')
    if not raw.isdigit() or not 0 < int(raw) < 2**31:
        raise field_error(
            "If-Match", 'If-Match must be the revision number you reviewed, e.g. "3".'
        )
    if named is not None and named != int(raw):
        raise field_error(
            "revision", f"The body names revision {named} but If-Match names {raw}; send one."
        )
    return int(raw)
