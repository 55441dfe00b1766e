"""Writes on jobs: create, start, cancel, retry, delete, update. Views and the API call these."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from jobs import lifecycle, prompt_screen
from jobs.inputs import validate_job_inputs
from jobs.job_fields import description_problems, title_problems
from jobs.job_types.choices import job_type_choices
from jobs.models import JobTemplate, Priority, ProductionJob, Status
from production.models import Client, Role
from production.tenancy import has_role


class JobError(Exception):
    """A request that cannot be carried out; `field` names the input it is about."""

    def __init__(self, message: str, *, field: str = "", code: str = "invalid") -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code


class PermissionDenied(JobError):
    def __init__(self, message: str) -> None:
        super().__init__(message, code="permission_denied")


DELETABLE = frozenset({Status.CANCELLED, Status.FAILED})


def job_create(
    *,
    client: Client,
    job_type: str,
    title: str,
    created_by: AbstractBaseUser | None = None,
    description: str = "",
    priority: str = Priority.NORMAL,
    input_data: dict[str, Any] | None = None,
    template: JobTemplate | None = None,
    high_impact: bool | None = None,
    auto_process: bool = True,
) -> ProductionJob:
    """Validate and create a job; with auto_process it is queued in the same transaction."""
    if template is not None:
        job_type = job_type or template.job_type
        if template.job_type != job_type:
            raise JobError("The template is for another job type.", field="jobType")
        input_data = {**(template.default_inputs or {}), **(input_data or {})}
    known = [key for key, _ in job_type_choices()]
    if job_type not in known:
        raise JobError(
            f"Unknown job type {job_type!r}; choose one of {', '.join(known)}.", field="jobType"
        )
    if priority not in Priority.values:
        raise JobError(
            f"Unknown priority {priority!r}; choose one of {', '.join(Priority.values)}.",
            field="priority",
        )
    title = (title or "").strip()
    for problem in title_problems(title):
        raise JobError(problem, field="title")
    for problem in description_problems(description):
        raise JobError(problem, field="description")
    cleaned = validate_job_inputs(job_type, input_data or {})
    if high_impact is None:
        high_impact = bool(template and template.high_impact)
    with transaction.atomic():
        job = ProductionJob.objects.create(
            client=client,
            job_type=job_type,
            title=title,
            description=description or "",
            priority=priority,
            input_data=cleaned,
            template=template,
            high_impact=high_impact,
            created_by=created_by if created_by and created_by.is_authenticated else None,
        )
        lifecycle.record_event(
            job,
            "created",
            actor=created_by,
            note=f"Created {job.get_job_type_display().lower()} job.",
            payload={"priority": priority, "template": template.pk if template else None},
        )
        record_prompt_screen(job)
        if auto_process:
            lifecycle.transition(job, Status.QUEUED, actor=created_by, locked=True)
    return job


def job_start(
    *, job: ProductionJob, user: AbstractBaseUser | None = None, note: str = ""
) -> ProductionJob:
    return lifecycle.transition(
        job, Status.QUEUED, actor=user, note=note, expected=[Status.PENDING]
    )


def job_cancel(
    *, job: ProductionJob, user: AbstractBaseUser | None = None, note: str = ""
) -> ProductionJob:
    return lifecycle.transition(job, Status.CANCELLED, actor=user, note=note)


def job_retry(
    *, job: ProductionJob, user: AbstractBaseUser | None = None, note: str = ""
) -> ProductionJob:
    """A failed job is queued again and resumes from the step that failed."""
    return lifecycle.transition(
        job, Status.QUEUED, actor=user, note=note or "Retry requested.", expected=[Status.FAILED]
    )


def job_delete(*, job: ProductionJob, user: AbstractBaseUser | None = None) -> None:
    with transaction.atomic():
        locked = lifecycle.lock_job(job.pk)
        if locked.status not in DELETABLE:
            raise lifecycle.TransitionNotAllowed(
                job.pk, locked.status, "deleted", "only cancelled or failed jobs can be deleted"
            )
        locked.delete()


EDITABLE_WHILE_PENDING = ("title", "description", "priority", "input_data")


def job_update(
    *, job: ProductionJob, user: AbstractBaseUser | None = None, **changes: Any
) -> ProductionJob:
    """Change a job's brief; allowed only while it is pending."""
    unknown = set(changes) - set(EDITABLE_WHILE_PENDING)
    if unknown:
        raise JobError(
            f"These fields cannot be changed: {', '.join(sorted(unknown))}.",
            field=sorted(unknown)[0],
        )
    with transaction.atomic():
        locked = lifecycle.lock_job(job.pk)
        if locked.status != Status.PENDING:
            raise lifecycle.TransitionNotAllowed(
                job.pk, locked.status, "edited", "a job can be edited only while pending"
            )
        if "input_data" in changes:
            changes["input_data"] = validate_job_inputs(
                locked.job_type, changes["input_data"] or {}
            )
        if "priority" in changes and changes["priority"] not in Priority.values:
            raise JobError(f"Unknown priority {changes['priority']!r}.", field="priority")
        if "title" in changes:
            changes["title"] = (changes["title"] or "").strip()
            for problem in title_problems(changes["title"]):
                raise JobError(problem, field="title")
        for problem in description_problems(changes.get("description") or ""):
            raise JobError(problem, field="description")
        for name, value in changes.items():
            setattr(locked, name, value)
        locked.save()
        lifecycle.record_event(locked, "updated", actor=user, payload={"fields": sorted(changes)})
        record_prompt_screen(locked)
    return locked


def record_prompt_screen(job: ProductionJob) -> None:
    """Note in the job's history when its brief holds instructions aimed at a model."""
    findings = prompt_screen.screen_brief(
        job.input_data, title=job.title, description=job.description
    )
    if findings:
        lifecycle.record_event(
            job,
            "prompt_screened",
            note=prompt_screen.summary(findings),
            payload={"findings": [finding.as_dict() for finding in findings]},
        )


def can_create_jobs(user: AbstractBaseUser, client: Client) -> bool:
    return has_role(user, client.pk, Role.MEMBER)
