"""Jobs with hand-written outputs, finished as the engine finishes them, for trust-layer tests."""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction

from approvals.review import submit_for_review
from approvals.scoring import score_for_client
from jobs import lifecycle
from jobs.models import Output, ProductionJob, Status
from production.models import Client
from tests.factories import make_job

SOCIAL_INPUTS = {"topic": "Trail running for beginners", "platforms": ["linkedin"]}


def add_output(job: ProductionJob, *, key: str, kind: str = "text", text: str = "", **extra: Any):
    report = score_for_client(text, job.client) if text and kind != "image" else None
    content = extra.pop("content", None)
    output = Output(
        job=job,
        step="write",
        revision=job.revision,
        item=Output.objects.filter(job=job).count(),
        key=key,
        title=extra.pop("title", key.replace("_", " ").title()),
        kind=kind,
        text=text,
        safety_score=report.score if report else None,
        safety_band=report.band if report else "",
        safety_flags=[f.as_dict() for f in report.flags] if report else [],
        truth_verified=report.verified if report else False,
        **extra,
    )
    if content is not None:
        output.file.save(f"{key}.bin", ContentFile(content), save=False)
    output.save()
    return output


def finished_job(
    client: Client,
    outputs: list[dict[str, Any]],
    *,
    job_type: str = "social",
    inputs: dict | None = None,
    **extra: Any,
) -> ProductionJob:
    """A job whose outputs are `outputs`, submitted the way the engine submits a draft."""
    job = make_job(
        client, job_type=job_type, inputs=inputs or dict(SOCIAL_INPUTS), auto_process=True, **extra
    )
    lifecycle.transition(job, Status.PROCESSING)
    for spec in outputs:
        add_output(job, **spec)
    lifecycle.transition(job, Status.DRAFT)
    with transaction.atomic():
        submit_for_review(lifecycle.lock_job(job.pk))
    job.refresh_from_db()
    return job
