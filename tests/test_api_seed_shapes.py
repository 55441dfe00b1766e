"""The seed's routes, with requests exactly as seed 000 and the phase-4 document write them."""

from __future__ import annotations

import json

import pytest
from django.db import transaction
from django.test import Client

from approvals.models import ApprovalRequest
from approvals.review import submit_for_review
from jobs import lifecycle
from jobs.api.auth import issue_token
from jobs.models import Manifest, ProductionJob, Status
from tests.factories import make_job

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _queues(clean_queues):
    return clean_queues


def fetch(token: str, method: str, path: str, body: dict | None = None):
    """Like the seed's fetch(): JSON body, Content-Type and Authorization: Bearer headers."""
    client = Client()
    return client.generic(
        method,
        path,
        data=json.dumps(body) if body is not None else "",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


def token_for(user) -> str:
    return issue_token(user=user, name="seed")[1]


def seed_create_body(client_id: str) -> dict:
    # Seed 000, "Create a Content Job", with the placeholder client id filled in.
    return {
        "clientId": client_id,
        "jobType": "content",
        "title": "Q4 Blog Post",
        "description": "Blog about industry trends",
        "priority": "normal",
        "inputData": {
            "contentType": "blog_post",
            "topic": "Industry trends 2024",
            "tone": "professional",
        },
        "autoProcess": True,
    }


def to_review(job: ProductionJob) -> None:
    lifecycle.transition(job, Status.PROCESSING)
    with transaction.atomic():
        submit_for_review(lifecycle.lock_job(job.pk))


def test_the_seeds_create_example_creates_a_queued_content_job(acme, alice):
    response = fetch(
        token_for(alice), "POST", "/api/production/jobs", seed_create_body(str(acme.pk))
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["success"] is True
    job = body["job"]
    assert (job["jobType"], job["title"], job["priority"], job["status"]) == (
        "content",
        "Q4 Blog Post",
        "normal",
        "queued",
    )
    assert job["clientId"] == str(acme.pk) and job["description"] == "Blog about industry trends"
    assert job["inputData"]["topic"] == "Industry trends 2024"
    assert {"safetyScore", "truthLayerVerified", "createdAt", "inputData"} <= set(job)
    assert ProductionJob.objects.get(pk=job["id"]).created_by == alice


def test_the_seeds_approve_example_approves_a_job_in_review(acme, rita):
    job = make_job(acme, auto_process=True)
    to_review(job)

    response = fetch(
        token_for(rita),
        "PATCH",
        "/api/production/jobs",
        {"jobId": str(job.pk), "action": "approve", "notes": "Approved for publishing"},
    )

    assert response.status_code == 200, response.json()
    assert response.json()["success"] is True
    assert response.json()["job"]["status"] in ("approved", "completed")
    request = ApprovalRequest.objects.get(job=job, gate="final")
    assert request.status == "approved" and request.feedback == "Approved for publishing"


def test_revise_asks_for_changes_and_reject_rejects(acme, rita):
    revise, reject = make_job(acme, auto_process=True), make_job(acme, auto_process=True)
    to_review(revise)
    to_review(reject)
    token = token_for(rita)

    revised = fetch(
        token,
        "PATCH",
        "/api/production/jobs",
        {"jobId": str(revise.pk), "action": "revise", "notes": "Shorter."},
    )
    rejected = fetch(
        token,
        "PATCH",
        "/api/production/jobs",
        {"jobId": str(reject.pk), "action": "reject", "notes": "Off brand."},
    )

    assert revised.json()["job"]["revision"] == 2
    assert ApprovalRequest.objects.get(job=revise, revision=1).status == "changes_requested"
    assert rejected.status_code == 200
    assert ApprovalRequest.objects.get(job=reject, revision=1).status == "rejected"


def test_revise_without_notes_is_a_400_on_notes(acme, rita):
    job = make_job(acme, auto_process=True)
    to_review(job)

    response = fetch(
        token_for(rita), "PATCH", "/api/production/jobs", {"jobId": str(job.pk), "action": "revise"}
    )

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["notes"]


def test_cancel_then_delete_by_query_or_body(acme, alice):
    token = token_for(alice)
    first, second = make_job(acme), make_job(acme)
    for job in (first, second):
        cancelled = fetch(
            token, "PATCH", "/api/production/jobs", {"jobId": str(job.pk), "action": "cancel"}
        )
        assert cancelled.json()["job"]["status"] == "cancelled"

    by_query = fetch(token, "DELETE", f"/api/production/jobs?jobId={first.pk}")
    by_body = fetch(token, "DELETE", "/api/production/jobs", {"jobId": str(second.pk)})

    assert by_query.status_code == by_body.status_code == 200
    assert by_query.json() == {"success": True}
    assert not ProductionJob.objects.exists()


def test_deleting_a_live_job_is_a_409(acme, alice):
    job = make_job(acme)

    response = fetch(token_for(alice), "DELETE", f"/api/production/jobs?jobId={job.pk}")

    assert response.status_code == 409
    assert response.json()["error"]["current_status"] == "pending"


def test_get_filters_by_status_job_type_and_client(acme, globex, alice):
    blog = make_job(acme)
    visual = make_job(
        acme,
        job_type="visual",
        title="Banner",
        inputs={"visualType": "banner", "headline": "Pack light", "sizes": ["1200x628"]},
    )
    make_job(globex)
    token = token_for(alice)

    def ids(query: str) -> list[str]:
        response = fetch(token, "GET", f"/api/production/jobs{query}")
        assert response.status_code == 200 and response.json()["success"] is True
        return [job["id"] for job in response.json()["jobs"]]

    assert set(ids("")) == {str(blog.pk), str(visual.pk)}
    assert ids("?jobType=visual") == [str(visual.pk)]
    assert ids("?type=content") == [str(blog.pk)]
    assert ids("?status=pending&clientId=" + str(acme.pk)) == ids("")
    assert ids("?status=completed") == []


def test_seed_errors_use_camel_case_paths(acme, alice):
    body = seed_create_body(str(acme.pk))
    del body["inputData"]["topic"]

    response = fetch(token_for(alice), "POST", "/api/production/jobs", body)

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"inputData.topic": ["This field is required."]}


def test_an_unknown_job_type_is_reported_on_job_type(acme, alice):
    body = {**seed_create_body(str(acme.pk)), "jobType": "poem"}

    response = fetch(token_for(alice), "POST", "/api/production/jobs", body)

    assert list(response.json()["error"]["fields"]) == ["jobType"]


def test_phase4_plans_from_the_documents_input(acme, alice):
    body = {
        "studioBlueprintId": "uuid",
        "treatmentText": "Scene 1: A laptop opens.\nNarration: Step one: pick footage.\n"
        "Scene 2: Clips fall into place.\nNarration: Step two: cut.",
        "analyzerJson": {},
        "refinerJson": {},
        "scriptJson": {},
        "userUI": {
            "userId": "uuid",
            "durationSeconds": 60,
            "aspectRatio": "16:9",
            "platform": "social",
            "language": "en",
            "tone": "professional",
        },
    }

    response = fetch(token_for(alice), "POST", "/api/production-planner/phase4", body)

    assert response.status_code == 201, response.json()
    out = response.json()
    assert set(out) == {
        "success",
        "manifestId",
        "jobCount",
        "warnings",
        "processingTimeMs",
        "usedRepair",
    }
    assert out["success"] is True and isinstance(out["processingTimeMs"], int)
    manifest = Manifest.objects.get(pk=out["manifestId"])
    assert out["jobCount"] == len(manifest.dag) > 0
    assert manifest.manifest["metadata"]["duration_seconds"] == 60

    read = fetch(
        token_for(alice), "GET", f"/api/production-planner/phase4?manifestId={manifest.pk}"
    )
    assert read.status_code == 200
    assert read.json() == {"success": True, "manifest": manifest.manifest, "jobs": manifest.dag}


def test_phase4_bad_choices_point_into_user_ui(acme, alice):
    body = {"treatmentText": "Scene 1: A laptop opens.", "userUI": {"aspectRatio": "3:2"}}

    response = fetch(token_for(alice), "POST", "/api/production-planner/phase4", body)

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["userUI.aspectRatio"]


def test_phase4_get_needs_a_manifest_id(alice):
    response = fetch(token_for(alice), "GET", "/api/production-planner/phase4")

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["manifestId"]


def test_seed_routes_refuse_callers_without_a_token(db):
    assert Client().get("/api/production/jobs").status_code == 401
    assert (
        Client()
        .post("/api/production-planner/phase4", {}, content_type="application/json")
        .status_code
        == 401
    )
