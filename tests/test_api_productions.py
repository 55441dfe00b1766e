"""Seed 003's production routes and /api/v1/productions: start, gates, decisions, tenancy."""

from __future__ import annotations

import pytest

from approvals.models import ApprovalRequest
from jobs.inline import run_inline
from jobs.models import JobEvent, ProductionJob, StepRun
from jobs.workflows.production.seeds import seed_workflows
from tests.factories import api_as, make_user

pytestmark = pytest.mark.django_db(transaction=True)

BRIEF = (
    "Launch film for the Ridgeline 40 hiking pack: a 45-second spot for weekend hikers aged "
    "25-45. Its frame adjusts in ten seconds. Recycled fabric, repairable buckles."
)


@pytest.fixture(autouse=True)
def _setup(clean_queues, media_root):
    seed_workflows()


def started(user, path: str = "/api/production/start", **body) -> dict:
    response = api_as(user).post(path, {"workflow": "film", "brief": BRIEF, **body}, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def at_gate(production_id: str) -> ApprovalRequest:
    run_inline(production_id)
    return ApprovalRequest.objects.get(job_id=production_id, status="pending")


def test_the_seed_route_starts_a_production_and_lists_its_gate(acme, rita):
    body = started(rita)
    assert body["success"] is True
    production = body["production"]
    assert production["workflow"] == "film" and production["status"] == "queued"
    assert production["title"] == "Launch film for the Ridgeline 40 hiking pack"
    assert [s["name"] for s in production["steps"]][:3] == ["vrd", "script", "cd_gate"]
    assert production["steps"][2]["approver"] == "Creative Director"
    gate = at_gate(production["id"])

    listed = api_as(rita).get("/api/production/approval").json()
    assert listed["success"] is True
    [approval] = listed["approvals"]
    assert approval["id"] == gate.pk and approval["productionId"] == production["id"]
    assert (approval["approver"], approval["approvalType"], approval["reviews"]) == (
        "Creative Director",
        "script",
        "script",
    )
    assert {c["title"] for c in approval["contentToReview"]} >= {
        "Script — Launch film for the Ridgeline 40 hiking pack"
    }


def test_approving_continues_and_rejecting_needs_feedback_and_reruns(acme, rita):
    production = started(rita)["production"]
    gate = at_gate(production["id"])
    api = api_as(rita)

    refused = api.post(f"/api/production/approval/{gate.pk}/reject", {}, format="json")
    assert refused.status_code == 400
    assert refused.json()["error"]["fields"] == {
        "feedback": ["Feedback is required: say what should change."]
    }
    rejected = api.post(
        f"/api/production/approval/{gate.pk}/reject", {"feedback": "Make it 30 seconds."},
        format="json",
    )  # fmt: skip
    assert rejected.status_code == 200 and rejected.json()["approval"]["status"] == (
        "changes_requested"
    )
    again = at_gate(production["id"])
    assert (again.gate, again.revision) == ("cd_gate", 2)

    approved = api.post(f"/api/v1/productions/approvals/{again.pk}/approve", {}, format="json")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert at_gate(production["id"]).gate == "method_gate"


def test_a_gate_choice_must_be_one_of_its_options(acme, rita):
    production = started(rita)["production"]
    api_as(rita).post(
        f"/api/production/approval/{at_gate(production['id']).pk}/approve", {}, format="json"
    )
    gate = at_gate(production["id"])
    response = api_as(rita).post(
        f"/api/v1/productions/approvals/{gate.pk}/approve", {"choice": "puppetry"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "choice": ["Choose one of: ai_only, hybrid, traditional."]
    }
    gate.refresh_from_db()
    assert gate.status == "pending"
    assert "choices" not in ProductionJob.objects.get(pk=production["id"]).input_data
    ok = api_as(rita).post(
        f"/api/v1/productions/approvals/{gate.pk}/approve", {"choice": "hybrid"}, format="json"
    )
    assert ok.status_code == 200
    run_inline(production["id"])
    assert StepRun.objects.get(job_id=production["id"], step="route_hybrid").note == (
        "Taken: method is hybrid (overridden by rita at the gate)."
    )


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"workflow": "opera", "brief": BRIEF}, "workflow"),
        ({"workflow": "film", "brief": "Short."}, "brief.brief"),
        ({"workflow": "film", "brief": {"brief": BRIEF, "budget_usd": "lots"}}, "brief.budget_usd"),
        ({"workflow": "film", "brief": BRIEF, "status": "completed"}, "status"),
        ({"brief": BRIEF}, "workflow"),
    ],
)
def test_bad_starts_are_400_at_the_field_and_write_nothing(acme, rita, body, field):
    response = api_as(rita).post("/api/v1/productions", body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()["error"]["fields"], response.json()
    assert not ProductionJob.objects.exists() and not JobEvent.objects.exists()


def test_tenants_never_see_or_decide_each_others_productions(acme, globex, rita):
    production = started(rita)["production"]
    gate = at_gate(production["id"])
    gus = make_user("gus", globex, "owner")
    api = api_as(gus)

    assert api.get("/api/production/approval").json()["approvals"] == []
    assert api.get("/api/v1/productions/approvals").json() == []
    assert api.get("/api/v1/productions").json() == []
    assert api.get(f"/api/v1/productions/{production['id']}").status_code == 404
    for path in (
        f"/api/production/approval/{gate.pk}/approve",
        f"/api/v1/productions/approvals/{gate.pk}/reject",
    ):
        response = api.post(path, {"feedback": "Mine now."}, format="json")
        assert response.status_code == 404, path
    gate.refresh_from_db()
    assert gate.status == "pending"
    # Starting in another client's name is refused the same way.
    response = api.post(
        "/api/v1/productions",
        {"workflow": "film", "brief": BRIEF, "client": str(acme.pk)},
        format="json",
    )
    assert response.status_code == 404


def test_a_member_sees_gates_only_their_role_may_decide(acme, rita, alice):
    production = started(rita)["production"]
    gate = at_gate(production["id"])
    assert api_as(alice).get("/api/v1/productions/approvals").json() == []
    response = api_as(alice).post(
        f"/api/v1/productions/approvals/{gate.pk}/approve", {}, format="json"
    )
    assert response.status_code == 403


def test_the_workflows_route_lists_estimates_and_the_schema_documents_the_routes(rita):
    rows = api_as(rita).get("/api/v1/productions/workflows").json()
    assert [r["slug"] for r in rows] == ["advertising", "film", "social"]
    assert all(r["minutes"][0] < r["minutes"][1] for r in rows)
    schema = api_as(rita).get("/api/schema/?format=json").json()
    for path in (
        "/api/production/start",
        "/api/production/approval",
        "/api/production/approval/{id}/approve",
        "/api/production/approval/{id}/reject",
        "/api/v1/productions",
        "/api/v1/productions/approvals/{id}/approve",
    ):
        assert path in schema["paths"], path
