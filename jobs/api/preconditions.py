"""Conditional requests on the seed-shaped job route: an ETag on GET, If-Match on PATCH.

A job's ETag names its revision and status (`"3.review"`): the two things a decision or a
cancel depends on. Progress and cost ticking during a run do not change it, so a client that
read the job in review may still decide on it, while one that read it before the reviewer
asked for changes (new revision) or before it left review (new status) gets 412.

`If-Match` on PATCH:
- absent: nothing is compared; the body's `revision` still binds a decision to the revision
  it names (409 with the current revision when newer), and without it the decision applies
  to the job's open review as the seed did;
- `*`: any current state;
- one or more ETags from GET: the job's current ETag must be among them, else 412;
- a bare revision number (`"3"`, as /api/v1/ takes it): binds the decision to that revision
  (409 when newer), like the body's `revision`.
"""

from __future__ import annotations

import re
from typing import Any

from rest_framework import status

from jobs.api.access import expected_revision
from jobs.api.errors import ApiError
from jobs.models import ProductionJob

_ETAG = re.compile(r'\s*(?:W/)?"([^"]*)"\s*')


def job_etag(job: ProductionJob) -> str:
    return f'"{job.revision}.{job.status}"'


def _tags(header: str) -> list[str] | None:
    """The quoted tags of an If-Match list, or None when it is not a list of ETags."""
    tags = []
    for part in header.split(","):
        found = _ETAG.fullmatch(part)
        if found is None:
            return None
        tags.append(found.group(1))
    return tags


def precondition_failed(job: ProductionJob, sent: str) -> ApiError:
    return ApiError(
        f"The job changed since you read it: you sent If-Match {sent}, it is now "
        f"{job_etag(job)} (revision {job.revision}, {job.get_status_display().lower()}). "
        "GET it again, check it, and send the new ETag.",
        status_code=status.HTTP_412_PRECONDITION_FAILED,
        code="precondition_failed",
        current_etag=job_etag(job),
        current_revision=job.revision,
        current_status=job.status,
    )


def bound_revision(request: Any, job: ProductionJob, named: int | None) -> int | None:
    """Check If-Match against the job and return the revision the PATCH is bound to."""
    header = (request.headers.get("If-Match") or "").strip()
    if not header or header == "*":
        return named
    if header.removeprefix("W/").strip('"').isdigit():
        return expected_revision(request, named)
    tags = _tags(header)
    if tags is None:
        raise ApiError(
            'If-Match must be an ETag from GET (e.g. "2.review"), several of them separated by '
            'commas, "*", or a revision number.',
            code="invalid",
            fields={"If-Match": ["Not a list of quoted ETags."]},
        )
    if job_etag(job).strip('"') not in tags:
        raise precondition_failed(job, header)
    if named is not None and named != job.revision:
        raise ApiError(
            f"The body names revision {named} but If-Match names revision {job.revision}; "
            "send one.",
            code="invalid",
            fields={"revision": [f"If-Match is for revision {job.revision}."]},
        )
    # The matched state's revision binds the decision, so a revision started between this
    # check and the decision's lock still makes it fail (409).
    return job.revision
