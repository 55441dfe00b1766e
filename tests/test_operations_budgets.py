"""Prices and budgets: unpriced calls are marked, runs over budget wait for an owner's sign-off."""

from __future__ import annotations

from decimal import Decimal

import pytest

from approvals import services as approvals
from approvals.models import ApprovalRequest
from jobs import services
from jobs.models import ProductionJob, StepRun
from jobs.providers.base import Attempt, TextResult
from jobs.providers.chain import ProviderChain
from jobs.providers.pricing import cost_for, is_priced, price_of
from operations import budgets
from operations.models import ClientBudget
from tests.factories import login, make_job, make_user

pytestmark = pytest.mark.django_db

PRICES = {"openai:gpt-4o-mini": {"input_per_1k": 0.00015, "output_per_1k": 0.0006}, "free": 0}


def a_past_job(client, cost: str, status: str = "completed", **extra) -> ProductionJob:  # noqa: ANN001
    job = make_job(client, title=f"Past {cost}", **extra)
    ProductionJob.objects.filter(pk=job.pk).update(status=status, cost_usd=Decimal(cost))
    return job


def test_a_model_without_a_price_is_unpriced_not_free():
    assert price_of("openai", "gpt-9-turbo", 1000, 1000, PRICES) is None
    assert not is_priced("openai", "gpt-9-turbo", PRICES)
    # The recorded cost stays 0 for sums, and the attempt says it is unknown.
    assert cost_for("openai", "gpt-9-turbo", 1000, 1000, PRICES) == 0.0
    assert is_priced("openai", "gpt-4o-mini", PRICES) and is_priced("free", "", PRICES)
    assert price_of("broken", "", 1, 1, {"broken": "n/a"}) is None


class EchoProvider:
    """A provider that answers at once with fixed token counts."""

    capability = "text"
    timeout = 5.0

    def __init__(self, name: str, model: str) -> None:
        self.name = name
        self.model = model

    def call(self, request: object) -> TextResult:
        return TextResult(text="ok", tokens_in=1000, tokens_out=500, model=self.model)


def attempts_through(provider: EchoProvider) -> list[Attempt]:
    chain = ProviderChain("text", [provider], prices=PRICES)
    result = chain.call({"prompt": "hi"})
    return result.attempts


def test_the_chain_marks_a_call_to_an_unpriced_model():
    unpriced = attempts_through(EchoProvider("openai", "gpt-9-turbo"))
    priced = attempts_through(EchoProvider("openai", "gpt-4o-mini"))

    assert unpriced[-1].unpriced and unpriced[-1].cost_usd == 0.0
    assert unpriced[-1].as_dict()["unpriced"] is True
    assert not priced[-1].unpriced and priced[-1].cost_usd == 0.00045


def test_an_estimate_averages_past_runs_of_the_same_type(acme):
    a_past_job(acme, "0.30")
    a_past_job(acme, "0.50")
    a_past_job(acme, "9.00", status="failed")
    a_past_job(
        acme,
        "7.00",
        job_type="social",
        inputs={"platforms": ["linkedin"], "topic": "Trail etiquette"},
    )
    job = make_job(acme, title="New post")

    guess = budgets.estimate(job)

    assert guess.usd == Decimal("0.400000")
    assert guess.basis == "average of the last 2 content jobs" and not guess.unpriced


def test_without_history_the_estimate_comes_from_the_price_table(acme, settings):
    settings.PROVIDER_PRICES = {"openai:gpt-4o-mini": PRICES["openai:gpt-4o-mini"]}
    settings.PROVIDERS = {
        "chains": {"text": ["openai", "builtin-text"]},
        "openai": {"model": "gpt-4o-mini"},
        "prices": PRICES,
    }
    job = make_job(acme, title="First post")
    steps = 1  # a content job writes in one task step

    guess = budgets.estimate(job)

    expected = price_of("openai", "gpt-4o-mini", 1500 * steps, 800 * steps, PRICES)
    assert guess.usd == Decimal(str(expected)).quantize(Decimal("0.000001"))
    assert "openai:gpt-4o-mini" in guess.basis and not guess.unpriced


def test_a_model_with_no_price_makes_the_estimate_unpriced(acme, settings):
    settings.PROVIDERS = {
        "chains": {"text": ["openai", "builtin-text"]},
        "openai": {"model": "gpt-9-turbo"},
        "prices": PRICES,
    }

    guess = budgets.estimate(make_job(acme, title="First post"))

    assert guess.unpriced and guess.usd == 0
    assert "no price for openai:gpt-9-turbo" in guess.basis


def test_a_run_under_budget_starts(acme, clean_queues):
    ClientBudget.objects.create(client=acme, monthly_usd=Decimal("10"))
    a_past_job(acme, "0.40")

    job = make_job(acme, title="Cheap post", auto_process=True)

    assert job.status == "queued"
    assert not ApprovalRequest.objects.filter(job=job).exists()


def test_a_run_over_budget_waits_for_an_owner(acme, alice, olga, clean_queues):
    ClientBudget.objects.create(client=acme, monthly_usd=Decimal("1.00"))
    a_past_job(acme, "0.70")
    a_past_job(acme, "0.20")

    job = make_job(acme, title="One too many", auto_process=True)

    job.refresh_from_db()
    assert job.status == "pending"
    assert not StepRun.objects.filter(job=job).exists()
    request = ApprovalRequest.objects.get(job=job)
    assert (request.gate, request.approval_type, request.approver_role) == (
        "budget",
        "owner_signoff",
        "owner",
    )
    hold = job.events.get(action="budget_hold")
    assert "Estimated $0.45" in hold.note and "from $0.90 to $1.35" in hold.note
    assert hold.payload["budget_usd"] == "1.00"
    # Asking again keeps it held, with the one request.
    services.job_start(job=job)
    assert ApprovalRequest.objects.filter(job=job).count() == 1

    with pytest.raises(approvals.NotAllowed):
        approvals.decide(request_id=request.pk, user=alice, decision="approve")
    approvals.decide(request_id=request.pk, user=olga, decision="approve")

    job.refresh_from_db()
    assert job.status == "queued"
    assert StepRun.objects.filter(job=job, status="queued").count() == 1


def test_an_owner_may_cancel_a_held_run(acme, olga, clean_queues):
    ClientBudget.objects.create(client=acme, monthly_usd=Decimal("0"))
    a_past_job(acme, "0.10")
    job = make_job(acme, title="Not now", auto_process=True)
    request = ApprovalRequest.objects.get(job=job, gate="budget")

    approvals.decide(request_id=request.pk, user=olga, decision="cancel")

    job.refresh_from_db()
    assert job.status == "cancelled"


def test_with_no_budget_nothing_is_held(acme, clean_queues):
    a_past_job(acme, "1000")

    assert make_job(acme, title="Unlimited", auto_process=True).status == "queued"


def test_the_budget_page_shows_spend_and_unpriced_calls(client, acme, olga):
    ClientBudget.objects.create(client=acme, monthly_usd=Decimal("2.00"))
    job = a_past_job(acme, "0.50")
    StepRun.objects.create(
        job=job,
        step="write",
        status="succeeded",
        provider_attempts=[
            {"provider": "openai", "model": "gpt-9-turbo", "outcome": "ok", "unpriced": True},
            {"provider": "openai", "model": "gpt-4o-mini", "outcome": "ok", "unpriced": False},
        ],
    )

    page = login(client, olga).get("/operations/acme/budget/").content.decode()

    assert "$0.50 of $2.00 (25%)" in page
    assert "1 unpriced" in page


@pytest.mark.parametrize("value", ["-1", "lots", "1.234", "12345678901234"])
def test_a_bad_budget_is_refused_at_the_field(client, acme, olga, value):
    response = login(client, olga).post("/operations/acme/budget/", {"monthly_usd": value})

    assert response.status_code == 400
    assert "monthly_usd" in response.context["form"].errors
    assert 'id="budget-error"' in response.content.decode()
    assert not ClientBudget.objects.exists()


def test_an_owner_sets_and_removes_the_budget(client, acme, olga):
    signed_in = login(client, olga)

    signed_in.post("/operations/acme/budget/", {"monthly_usd": "150.00"})
    assert ClientBudget.objects.get(client=acme).monthly_usd == Decimal("150.00")
    signed_in.post("/operations/acme/budget/", {"monthly_usd": ""})
    assert not ClientBudget.objects.exists()


def test_only_owners_of_the_client_see_the_budget(client, acme, globex, alice):
    assert login(client, alice).get("/operations/acme/budget/").status_code == 403
    other = make_user("gwen", globex, "owner")
    client.logout()
    assert login(client, other).get("/operations/acme/budget/").status_code == 404
