"""The advertising budget solver: a plan over the client's budget goes to an owner with priced
options (a cheaper route, fewer versions, a raised budget) instead of running on regardless;
the owner's choice resumes the run and shapes what follows."""

from __future__ import annotations

import json

import pytest

from approvals.models import ApprovalRequest
from approvals.services import NotAllowed
from jobs.inline import run_inline
from jobs.models import Output, ProductionJob, StepRun
from jobs.workflows.production.seeds import seed_workflows
from jobs.workflows.production.services import decide_gate, start_production

pytestmark = pytest.mark.django_db(transaction=True)

BRIEF = (
    "Campaign for the Ridgeline 40 hiking pack, for weekend hikers aged 25-45. The pack "
    "carries a full day's kit without strain. Its frame adjusts in ten seconds. Recycled "
    "fabric, repairable buckles. Bold, warm."
)


@pytest.fixture(autouse=True)
def _setup(clean_queues, media_root):
    seed_workflows()


def data(job: ProductionJob, step: str) -> dict:
    job.refresh_from_db()
    text = Output.objects.get(job=job, revision=job.revision, step=step, key="data").text
    return json.loads(text)


def to_gate(job: ProductionJob) -> ApprovalRequest:
    run_inline(job.pk)
    job.refresh_from_db()
    assert job.status == "review", job.error
    return ApprovalRequest.objects.get(job=job, status="pending")


def to_budget(job: ProductionJob, owner) -> ApprovalRequest | None:  # noqa: ANN001
    """Pass the gates before the budget solver; the next open gate, or None when finished."""
    for name in ("cd_gate", "concept_gate", "client_gate"):
        gate = to_gate(job)
        assert gate.gate == name
        decide_gate(request_id=gate.pk, user=owner, approve=True)
    return to_gate(job)


def finish(job: ProductionJob, owner) -> None:  # noqa: ANN001
    gate = to_gate(job)
    assert gate.gate == "legal_gate"
    decide_gate(request_id=gate.pk, user=owner, approve=True)
    run_inline(job.pk)
    job.refresh_from_db()
    assert job.status == "completed", job.error


def start(client, user, budget: int) -> ProductionJob:  # noqa: ANN001
    brief = {"brief": BRIEF, "concepts": 10, "budget_usd": budget}
    return start_production(client=client, user=user, workflow="advertising", brief=brief)


def test_over_budget_an_owner_chooses_fewer_versions_and_the_run_follows_it(acme, rita, olga):
    job = start(acme, olga, budget=20000)
    gate = to_budget(job, olga)
    solved = data(job, "budget")
    assert gate.gate == "budget_gate" and gate.approver_role == "owner"
    assert solved["fits"] == "no" and solved["total"] > 20000
    options = {o["option"]: o for o in solved["options"]}
    assert set(options) == {"cheaper_route", "fewer_versions", "raise_budget"}
    assert options["cheaper_route"]["total"] == 15100 and options["cheaper_route"]["fits"]
    assert options["raise_budget"]["total"] == solved["total"]
    assert solved["budget_option"] == "cheaper_route"  # the cheapest that fits
    doc = Output.objects.get(job=job, revision=job.revision, step="budget", key="budget").text
    assert "an owner chooses how to go on" in doc and "Cheaper route" in doc

    with pytest.raises(NotAllowed):
        decide_gate(request_id=gate.pk, user=rita, approve=True, choice="raise_budget")
    decide_gate(request_id=gate.pk, user=olga, approve=True, choice="fewer_versions")
    finish(job, olga)
    versions = data(job, "versions")["versions"]
    assert {(v["aspect"], v["seconds"], v["kind"]) for v in versions} == {
        (a, s, "video") for a in ("16:9", "9:16") for s in (30, 15)
    }
    placements = {p["version"] for p in data(job, "traffic")["placements"]}
    assert placements == {"30 s · 16:9", "15 s · 16:9", "15 s · 9:16", "30 s · 9:16"}
    assert data(job, "production")["budget_plan"] == "fewer_versions"
    assert data(job, "final_qc")["status"] == "pass"


def test_an_owner_approving_without_a_choice_takes_the_recommendation(acme, olga):
    job = start(acme, olga, budget=20000)
    gate = to_budget(job, olga)
    decide_gate(request_id=gate.pk, user=olga, approve=True)
    finish(job, olga)
    assert data(job, "production")["budget_plan"] == "cheaper_route"
    assert len([v for v in data(job, "versions")["versions"] if v["kind"] == "still"]) == 4


def test_a_plan_within_budget_skips_the_owner_with_the_reason(acme, olga):
    job = start(acme, olga, budget=50000)
    gate = to_budget(job, olga)
    assert gate.gate == "legal_gate"
    run = StepRun.objects.get(job=job, revision=job.revision, step="budget_gate")
    assert run.status == "skipped" and "fits is yes" in run.note
    assert data(job, "budget")["options"] == []
