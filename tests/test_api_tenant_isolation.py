"""A token of client A against every route with client B's ids: always 404, nothing changes."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from rest_framework.test import APIClient

from approvals.models import ApprovalRequest
from approvals.review import submit_for_review
from jobs import lifecycle, services
from jobs.api import downloads
from jobs.api.auth import issue_token
from jobs.models import JobEvent, JobTemplate, Manifest, Output, ProductionJob, Status, StepRun
from production.models import ApiToken, IdempotencyRecord
from tests.factories import BLOG_INPUTS, make_job, make_user

pytestmark = pytest.mark.django_db

FEEDBACK = {"feedback": "Please change it.", "notes": "Please change it."}

# (method, path, body) with {placeholders} for client B's objects.
ROUTES: list[tuple[str, str, dict[str, Any] | None]] = [
    ("get", "/api/v1/jobs/{job}/", None),
    ("patch", "/api/v1/jobs/{pending}/", {"title": "Taken over"}),
    ("delete", "/api/v1/jobs/{cancelled}/", None),
    ("post", "/api/v1/jobs/{job}/approve/", {"notes": "ok"}),
    ("post", "/api/v1/jobs/{job}/request-changes/", FEEDBACK),
    ("post", "/api/v1/jobs/{job}/reject/", FEEDBACK),
    ("post", "/api/v1/jobs/{job}/cancel/", {}),
    ("post", "/api/v1/jobs/{failed}/retry/", {}),
    ("post", "/api/v1/jobs/{pending}/start/", {}),
    ("get", "/api/v1/jobs/{job}/outputs/", None),
    ("get", "/api/v1/jobs/{job}/history/", None),
    ("get", "/api/v1/jobs/{job}/steps/", None),
    ("get", "/api/v1/outputs/{output}/download?sig={sig}", None),
    ("post", "/api/v1/approvals/{request}/decide/", {"decision": "approve"}),
    ("post", "/api/v1/approvals/{request}/decide/", {"decision": "reject", "feedback": "No."}),
    ("get", "/api/v1/planner/manifests/{manifest}/", None),
    ("get", "/api/v1/templates/{template}/", None),
    ("patch", "/api/v1/templates/{template}/", {"name": "Taken over"}),
    ("delete", "/api/v1/tokens/{token}/", None),
    (
        "post",
        "/api/v1/jobs/",
        {
            "client": "{client}",
            "job_type": "content",
            "title": "In B",
            "input_data": BLOG_INPUTS,
            "auto_process": False,
        },
    ),
    ("post", "/api/v1/templates/", {"client": "{client}", "name": "In B", "job_type": "seo"}),
    (
        "post",
        "/api/v1/planner/manifests/",
        {"client": "{client}", "treatment": "Scene 1: a runner at dawn."},
    ),
    ("post", "/api/v1/safety/check", {"client": "{client}", "text": "Hello"}),
    ("patch", "/api/production/jobs", {"jobId": "{job}", "action": "approve", "notes": "ok"}),
    ("patch", "/api/production/jobs", {"jobId": "{job}", "action": "reject", "notes": "No."}),
    ("patch", "/api/production/jobs", {"jobId": "{job}", "action": "revise", "notes": "No."}),
    ("patch", "/api/production/jobs", {"jobId": "{job}", "action": "cancel"}),
    ("delete", "/api/production/jobs?jobId={cancelled}", None),
    ("delete", "/api/production/jobs", {"jobId": "{cancelled}"}),
    (
        "post",
        "/api/production/jobs",
        {
            "clientId": "{client}",
            "jobType": "content",
            "title": "In B",
            "inputData": BLOG_INPUTS,
            "autoProcess": False,
        },
    ),
    ("get", "/api/production-planner/phase4?manifestId={manifest}", None),
    (
        "post",
        "/api/production-planner/phase4",
        {"clientId": "{client}", "treatmentText": "Scene 1: a runner."},
    ),
]


@pytest.fixture
def world_b(globex, bob, clean_queues) -> dict[str, Any]:
    """Client B (Globex) with a job in review, outputs, steps, a manifest, a template, a token."""
    job = make_job(globex, auto_process=True, user=bob)
    lifecycle.transition(job, Status.PROCESSING)
    with transaction.atomic():
        submit_for_review(lifecycle.lock_job(job.pk))
    output = Output.objects.create(job=job, step="write", key="post", kind="text", text="secret")
    cancelled = make_job(globex, title="Cancelled")
    services.job_cancel(job=cancelled)
    failed = make_job(globex, title="Failed", auto_process=True)
    lifecycle.transition(failed, Status.PROCESSING)
    lifecycle.transition(failed, Status.FAILED)
    return {
        "client": globex.pk,
        "job": job.pk,
        "pending": make_job(globex, title="Pending").pk,
        "cancelled": cancelled.pk,
        "failed": failed.pk,
        "output": output.pk,
        "request": ApprovalRequest.objects.get(job=job).pk,
        "manifest": Manifest.objects.create(client=globex, manifest={"scenes": []}).pk,
        "template": JobTemplate.objects.create(client=globex, name="B's", job_type="seo").pk,
        "token": issue_token(user=bob, name="bob's")[0].pk,
    }


def fill(value: Any, ids: dict[str, Any]) -> Any:
    if isinstance(value, str):
        return value.format(**ids)
    if isinstance(value, dict):
        return {k: fill(v, ids) for k, v in value.items()}
    return value


def snapshot() -> dict[str, list[dict[str, Any]]]:
    """Every row that a route could touch (token use times aside)."""
    tables = [
        ProductionJob,
        JobEvent,
        ApprovalRequest,
        Output,
        StepRun,
        Manifest,
        JobTemplate,
        IdempotencyRecord,
    ]
    rows = {model.__name__: list(model.objects.order_by("pk").values()) for model in tables}
    rows["ApiToken"] = list(ApiToken.objects.order_by("pk").values("pk", "revoked_at", "key_hash"))
    return rows


@pytest.mark.parametrize(("method", "path", "body"), ROUTES, ids=[f"{m} {p}" for m, p, _ in ROUTES])
def test_client_a_gets_404_for_client_b_and_nothing_changes(
    world_b, acme, olga, method, path, body
):
    # Olga owns Acme, so no role check could be what stops her: only tenancy does.
    token, key = issue_token(user=olga, name="a")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    ids = {**world_b, "sig": downloads.sign(world_b["output"], olga.pk)}
    before = snapshot()

    response = getattr(api, method)(fill(path, ids), fill(body, ids), format="json")

    assert response.status_code == 404, response.content
    assert response.json()["error"]["code"] == "not_found"
    assert snapshot() == before


def test_lists_never_show_client_b(world_b, acme, olga):
    make_job(acme, title="Mine")
    _, key = issue_token(user=olga, name="a")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")

    jobs = api.get(f"/api/v1/jobs/?client={world_b['client']}").json()
    seed = api.get(f"/api/production/jobs?clientId={world_b['client']}").json()
    approvals = api.get("/api/v1/approvals/").json()
    templates = api.get("/api/v1/templates/").json()
    tokens = api.get("/api/v1/tokens/").json()

    assert jobs["count"] == 0 and seed["jobs"] == []
    assert approvals["count"] == 0
    assert world_b["template"] not in [t["id"] for t in templates["results"]]
    assert world_b["token"] not in [t["id"] for t in tokens["results"]]


def test_a_user_with_no_client_sees_nothing_and_creates_nothing(world_b):
    loner = make_user("loner")
    _, key = issue_token(user=loner, name="x")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")

    assert api.get("/api/v1/jobs/").json()["count"] == 0
    response = api.post("/api/v1/jobs/", {"job_type": "content", "title": "x"}, format="json")
    assert response.status_code == 400
    assert api.get(f"/api/v1/jobs/{world_b['job']}/").status_code == 404
