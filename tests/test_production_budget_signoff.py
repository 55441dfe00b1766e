"""A production over its own or the month's budget waits for an owner before any step runs.

The owner sees the estimated model cost step by step (definition, past runs and the price
table) on the production page and in the API, and signs off (the run starts) or declines
(the production is cancelled: nothing ran, nothing was charged). Other clients see nothing.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from approvals.models import ApprovalRequest
from approvals.services import NotAllowed
from jobs.inline import run_inline
from jobs.models import ProductionJob, StepRun
from jobs.providers.config import DEFAULT_PRICES
from jobs.workflows.production.seeds import seed_workflows
from jobs.workflows.production.services import decide_gate, start_production
from jobs.workflows.production.signoff import breakdown
from operations.models import ClientBudget
from tests.factories import api_as, login, make_job, make_user

pytestmark = pytest.mark.django_db(transaction=True)

SOCIAL = (
    "Autumn posts for the Ridgeline 40 hiking pack on Instagram. Its frame adjusts in ten "
    "seconds. Recycled fabric, repairable buckles."
)


@pytest.fixture(autouse=True)
def _setup(clean_queues, media_root):
    seed_workflows()


def held(client, user, budget: float | None = 1.0, workflow: str = "social") -> ProductionJob:
    brief = {"brief": SOCIAL, **({"budget_usd": budget} if budget is not None else {})}
    return start_production(client=client, user=user, workflow=workflow, brief=brief)


def signoff_request(job: ProductionJob) -> ApprovalRequest:
    return ApprovalRequest.objects.get(job=job, gate="budget")


def test_a_production_estimated_over_its_budget_waits_for_an_owner_with_the_breakdown(
    acme, rita, olga
):
    job = held(acme, rita, budget=1.0)  # social is estimated at up to $2.35
    job.refresh_from_db()
    request = signoff_request(job)
    assert job.status == "pending" and not StepRun.objects.filter(job=job).exists()
    assert (request.approver_role, request.approval_type, request.status) == (
        "owner",
        "owner_signoff",
        "pending",
    )
    event = job.events.get(action="budget_hold")
    estimate = event.payload["estimate"]
    assert [line["step"] for line in estimate["steps"]] == [
        "trend_brief",
        "platform_plan",
        "posts",
        "package",
    ]
    assert estimate["high_usd"] == "2.35" and estimate["low_usd"] == "0.13"
    assert "Estimated model cost up to $2.35 is over this production's $1.00 budget" in event.note

    with pytest.raises(NotAllowed):
        decide_gate(request_id=request.pk, user=rita, approve=True)
    decide_gate(request_id=request.pk, user=olga, approve=True, feedback="Worth it.")
    job.refresh_from_db()
    assert job.status == "queued"
    run_inline(job.pk)
    job.refresh_from_db()
    assert job.status == "review"
    assert ApprovalRequest.objects.get(job=job, status="pending").gate == "review_gate"


def test_a_production_within_its_budget_starts_at_once(acme, rita):
    job = held(acme, rita, budget=500.0)
    job.refresh_from_db()
    assert job.status == "queued" and not ApprovalRequest.objects.filter(job=job).exists()


def test_declining_cancels_the_production_before_anything_runs_or_is_charged(acme, rita, olga):
    job = held(acme, rita, budget=0.5)
    request = signoff_request(job)
    decide_gate(request_id=request.pk, user=olga, approve=False, feedback="Too dear this month.")
    job.refresh_from_db()
    request.refresh_from_db()
    assert job.status == "cancelled" and request.status == "cancelled"
    assert job.cost_usd == Decimal(0) and not StepRun.objects.filter(job=job).exists()
    run_inline(job.pk)
    assert not StepRun.objects.filter(job=job).exists()


def test_the_months_budget_holds_a_production_that_would_go_over_it(acme, rita, olga):
    ClientBudget.objects.create(client=acme, monthly_usd=Decimal("10.00"))
    spent = make_job(acme, title="Earlier work")
    ProductionJob.objects.filter(pk=spent.pk).update(cost_usd=Decimal("9.00"), status="completed")
    job = held(acme, rita, budget=None)
    job.refresh_from_db()
    assert job.status == "pending"
    note = job.events.get(action="budget_hold").note
    assert "from $9.00 to $11.35, over Acme Outdoor's $10.00 monthly budget" in note
    # One sign-off settles both holds: the month's own check lets the approved run through.
    decide_gate(request_id=signoff_request(job).pk, user=olga, approve=True)
    job.refresh_from_db()
    assert job.status == "queued"
    assert ApprovalRequest.objects.filter(job=job, gate="budget").count() == 1


def test_the_price_table_prices_each_steps_calls_and_an_unpriced_model_needs_a_sign_off(
    acme, rita, settings
):
    text_chain = {"chains": {"text": ["openai", "builtin-text"]}, "prices": dict(DEFAULT_PRICES)}
    settings.PROVIDERS = {**text_chain, "openai": {"model": "gpt-4o"}}
    job = start_production(
        client=acme,
        user=rita,
        workflow="advertising",
        brief={"brief": SOCIAL, "concepts": 200, "budget_usd": 5000},
    )
    found = breakdown(job)
    concepts = next(line for line in found.lines if line.name == "concepts")
    # 200 calls at 1,500 in and 800 out with gpt-4o: 200 x $0.01175.
    assert concepts.calls == 200 and concepts.priced == Decimal("2.35")
    assert "200 calls at openai:gpt-4o prices" in concepts.basis
    job.refresh_from_db()
    assert job.status == "queued"

    settings.PROVIDERS = {**text_chain, "openai": {"model": "gpt-9-preview"}}
    unknown = held(acme, rita, budget=5000)
    unknown.refresh_from_db()
    assert unknown.status == "pending"
    assert "no price for openai:gpt-9-preview" in unknown.events.get(action="budget_hold").note


def test_the_production_page_shows_the_estimate_and_only_an_owner_decides(
    client, acme, globex, rita, olga
):
    job = held(acme, rita, budget=1.0)
    page = login(client, rita).get(reverse("job_detail", args=[job.pk])).content.decode()
    assert 'id="budget-signoff"' in page and 'data-step="posts"' in page
    assert "Sign off and start" not in page and "An owner of Acme Outdoor decides this." in page
    url = reverse("production_budget_signoff", args=[job.pk])
    client.post(url, {"decision": "approve"})
    job.refresh_from_db()
    assert job.status == "pending"

    outsider = make_user("omar", globex, "owner")
    client.logout()
    assert login(client, outsider).post(url, {"decision": "approve"}).status_code == 404
    assert client.get(reverse("job_detail", args=[job.pk])).status_code == 404
    client.logout()

    page = login(client, olga).get(reverse("job_detail", args=[job.pk])).content.decode()
    assert "Sign off and start" in page and "Decline: do not start" in page
    response = client.post(url, {"decision": "decline", "note": "Not this quarter."})
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == "cancelled"
    page = client.get(reverse("job_detail", args=[job.pk])).content.decode()
    assert "Declined by olga: not started, nothing charged" in page


def test_the_api_shows_the_signoff_and_a_rejection_cancels_for_its_client_only(
    acme, globex, rita, olga
):
    body = api_as(rita).post(
        "/api/v1/productions",
        {"workflow": "social", "brief": {"brief": SOCIAL, "budget_usd": 1}},
        format="json",
    )
    assert body.status_code == 201, body.content
    production = body.json()
    signoff = production["budget_signoff"]
    assert production["status"] == "pending" and signoff["status"] == "pending"
    assert signoff["estimate"]["high_usd"] == "2.35"
    assert [s["step"] for s in signoff["estimate"]["steps"]][-1] == "package"

    [listed] = api_as(olga).get("/api/v1/productions/approvals").json()
    assert (listed["gate"], listed["label"], listed["approver"]) == (
        "budget",
        "Budget sign-off before the run",
        "Owner",
    )
    assert api_as(rita).get("/api/v1/productions/approvals").json() == []

    outsider = make_user("omar", globex, "owner")
    other = api_as(outsider)
    assert other.get(f"/api/v1/productions/{production['id']}").status_code == 404
    reject = f"/api/v1/productions/approvals/{signoff['request_id']}/reject"
    assert other.post(reject, {"feedback": "no"}, format="json").status_code == 404

    decided = api_as(olga).post(reject, {"feedback": "Over budget."}, format="json")
    assert decided.status_code == 200 and decided.json()["status"] == "cancelled"
    again = api_as(olga).get(f"/api/v1/productions/{production['id']}").json()
    assert again["status"] == "cancelled" and again["budget_signoff"]["decided_by"] == "olga"


def test_the_signoff_panel_reloads_as_the_job_changes_and_shows_the_decision_made_elsewhere(
    client, acme, globex, olga
):
    job = held(acme, olga, budget=1.0)
    second_owner = make_user("owen", acme, "owner")
    part = reverse("job_partial", args=[job.pk, "budget"])
    page = login(client, second_owner).get(reverse("job_detail", args=[job.pk])).content.decode()
    panel = re.search(r'<div id="budget-panel"[^>]*>', page).group(0)
    assert f'hx-get="{part}"' in panel and 'hx-trigger="outputs-changed from:body"' in panel
    assert "Sign off and start" in client.get(part).content.decode()

    decide_gate(request_id=signoff_request(job).pk, user=olga, approve=True)
    reloaded = client.get(part).content.decode()
    assert "Signed off by olga" in reloaded and "Sign off and start" not in reloaded

    client.logout()
    assert login(client, make_user("omar", globex, "owner")).get(part).status_code == 404
