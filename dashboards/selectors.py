"""Reads for the dashboard pages: filtered job lists, status counts and a job's detail, tenant-scoped.

Each read is a fixed number of queries whatever the number of jobs, outputs or events.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from approvals.models import ApprovalRequest, ApprovalStatus
from approvals.services import request_for_user
from dashboards.pipeline import Pipeline, build_pipeline
from jobs.job_types.choices import job_type_choices
from jobs.models import (
    JobEvent,
    JobTemplate,
    JobType,
    Manifest,
    Output,
    Priority,
    ProductionJob,
    Status,
    StepRun,
)
from jobs.selectors import jobs_for
from jobs.workflows.video import remember_manifest

User = AbstractBaseUser | AnonymousUser


@dataclass(frozen=True)
class JobFilters:
    """The list's filters as given in the query string; unknown values are ignored."""

    status: str = ""
    job_type: str = ""
    priority: str = ""
    q: str = ""

    @classmethod
    def from_query(cls, query: Mapping[str, Any]) -> JobFilters:
        status = query.get("status") or ""
        job_type = query.get("type") or ""
        priority = query.get("priority") or ""
        return cls(
            status=status if status in Status.values else "",
            job_type=job_type if job_type in dict(job_type_choices()) else "",
            priority=priority if priority in Priority.values else "",
            q=(query.get("q") or "").strip()[:100],
        )

    @property
    def active(self) -> bool:
        return bool(self.status or self.job_type or self.priority or self.q)

    def as_query(self, **override: str) -> dict[str, str]:
        values = {"status": self.status, "type": self.job_type, "priority": self.priority}
        values["q"] = self.q
        values.update(override)
        return {k: v for k, v in values.items() if v}


def scoped_jobs(user: User, client_id: Any = None) -> QuerySet[ProductionJob]:
    """The user's jobs, narrowed to one client when one is chosen."""
    qs = jobs_for(user)
    if client_id:
        qs = qs.filter(client_id=client_id)
    return qs


def _filtered(qs: QuerySet[ProductionJob], filters: JobFilters) -> QuerySet[ProductionJob]:
    """Every filter but the status: the status cards count within these."""
    if filters.job_type:
        qs = qs.filter(job_type=filters.job_type)
    if filters.priority:
        qs = qs.filter(priority=filters.priority)
    if filters.q:
        qs = qs.filter(title__icontains=filters.q)
    return qs


def dashboard_jobs(
    client_ids: Iterable[Any], *, every_client: bool, chosen: str = ""
) -> QuerySet[ProductionJob]:
    """The jobs a dashboard lists: those of the given clients (every client's for staff),
    narrowed to the chosen one when there is one."""
    qs = ProductionJob.objects.select_related("client")
    if not every_client:
        qs = qs.filter(client_id__in=list(client_ids))
    if chosen:
        qs = qs.filter(client_id=chosen)
    return qs


def job_list(jobs: QuerySet[ProductionJob], filters: JobFilters) -> QuerySet[ProductionJob]:
    """The rows of the job list, newest first, with what each row shows and nothing more."""
    qs = _filtered(jobs, filters)
    if filters.status:
        qs = qs.filter(status=filters.status)
    return qs.only(
        "id",
        "title",
        "job_type",
        "priority",
        "status",
        "progress",
        "safety_score",
        "safety_band",
        "truth_verified",
        "revision",
        "created_at",
        "updated_at",
        "client__id",
        "client__name",
    ).order_by("-created_at")  # exactly the (client, -created_at) index: no sort step


def status_counts(
    jobs: QuerySet[ProductionJob], filters: JobFilters | None = None
) -> dict[str, int]:
    """How many jobs are in each status (every status present, zero when none), within the
    type, priority and search filters when given."""
    rows = (
        _filtered(jobs, filters or JobFilters())
        .order_by()
        .values("status")
        .annotate(n=Count("*"))  # COUNT(*): answered from the (client, status) index
        .values_list("status", "n")
    )
    counts = dict.fromkeys(Status.values, 0)
    counts.update(dict(rows))
    return counts


def templates_for(client_ids: list[Any]) -> QuerySet[JobTemplate]:
    """Active templates the user may start from: global ones and their clients' own."""
    return (
        JobTemplate.objects.filter(is_active=True)
        .filter(Q(client__isnull=True) | Q(client_id__in=client_ids))
        .select_related("client")
        .order_by("name")
    )


@dataclass
class JobDetail:
    """Everything the detail panel shows about one job, loaded in a fixed number of queries."""

    job: ProductionJob
    pipeline: Pipeline
    events: list[JobEvent] = field(default_factory=list)
    outputs: list[Output] = field(default_factory=list)
    output_revision: int = 1
    open_request: ApprovalRequest | None = None
    open_requests: list[ApprovalRequest] = field(default_factory=list)
    manifest: Manifest | None = None

    @property
    def revisions(self) -> list[int]:
        return list(range(self.job.revision, 0, -1))


def scoped_job(user: User, job_id: Any) -> ProductionJob:
    """The job with its client and creator in one query; 404 for another tenant's job."""
    return get_object_or_404(jobs_for(user).select_related("created_by"), pk=job_id)


def outputs_for(job: ProductionJob, revision: int) -> list[Output]:
    """A revision's outputs in workflow order, with machine-readable specs after what people read
    and a rendered video, the finished piece, before the frames and sounds it was made of."""
    outputs = list(Output.objects.filter(job=job, revision=revision).order_by("created_at", "id"))
    return sorted(outputs, key=lambda o: (o.kind != "video", o.kind == "json"))


def open_requests_for(job: ProductionJob) -> list[ApprovalRequest]:
    """The job's open requests: one, or several review stages open at the same time."""
    return list(
        ApprovalRequest.objects.filter(job=job, status=ApprovalStatus.PENDING)
        .select_related("job")
        .order_by("created_at", "stage_index", "id")
    )


def manifest_for(job: ProductionJob) -> Manifest | None:
    """A video job's production manifest, once planned; other job types have none (no query)."""
    if job.job_type != JobType.VIDEO:
        return None
    manifest = Manifest.objects.filter(job=job).first()
    if manifest is not None:
        remember_manifest(job, manifest)  # the workflow lists its steps from this row
    return manifest


def job_detail(
    user: User,
    job_id: Any,
    *,
    revision: int | None = None,
    with_outputs: bool = True,
    with_events: bool = True,
    job: ProductionJob | None = None,
    open_requests: list[ApprovalRequest] | None = None,
) -> JobDetail:
    """The job page's data; `job` and `open_requests` when the caller loaded them already
    (through scoped_job and open_requests_for)."""
    if job is None:
        job = scoped_job(user, job_id)
    manifest = manifest_for(job)
    runs = StepRun.objects.filter(job=job, revision=job.revision)
    detail = JobDetail(job=job, pipeline=build_pipeline(job, runs), manifest=manifest)
    if with_events:
        detail.events = list(
            JobEvent.objects.filter(job=job)
            .select_related("actor")
            .order_by("-created_at")  # exactly the (client, -created_at) index: no sort step
        )
    chosen = revision if revision and 1 <= revision <= job.revision else job.revision
    detail.output_revision = chosen
    if with_outputs:
        detail.outputs = outputs_for(job, chosen)
    detail.open_requests = open_requests if open_requests is not None else open_requests_for(job)
    detail.open_request = request_for_user(user, detail.open_requests)
    return detail
