"""Monthly budgets and per-job estimates: a run that would go over waits for an owner's sign-off.

The sign-off is an ordinary approval request (gate "budget", owner sign-off, approver role
owner), so owners decide it in the review queue like any other: approving it starts the run
(the approvals service resumes the job from its gate), cancelling it cancels the job.
Spend is counted on the month a job was created in, from the job's recorded cost.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Avg, Sum
from django.utils import timezone

from approvals.models import ApprovalRequest, ApprovalStatus, ApprovalType
from approvals.review import open_request
from jobs import lifecycle
from jobs.models import ProductionJob, Status, StepRun
from jobs.providers.config import provider_config_from_settings
from jobs.providers.pricing import price_of
from jobs.workflows import workflow_for
from operations.models import ClientBudget
from production.models import Client, Role

BUDGET_GATE = "budget"
CENT = Decimal("0.01")
MICRO = Decimal("0.000001")
# Jobs whose cost an estimate averages: the latest finished ones of the same type.
HISTORY = 20
FINISHED = (Status.REVIEW, Status.APPROVED, Status.COMPLETED)
# A job type with no past runs is estimated at these tokens per task step (settings may say
# otherwise), priced at the head of the text chain.
NOMINAL_TOKENS_IN = 1500
NOMINAL_TOKENS_OUT = 800


@dataclass(frozen=True)
class Estimate:
    usd: Decimal
    basis: str
    # No price is known for the model the run would call: the cost is unknown, not zero.
    unpriced: bool = False


def month_start(now: datetime | None = None) -> datetime:
    now = timezone.localtime(now or timezone.now())
    return now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def month_spend(client: Client | Any) -> Decimal:
    """What the client's jobs created this month have cost so far (index job_client_recent)."""
    total = ProductionJob.objects.filter(
        client_id=getattr(client, "pk", client), created_at__gte=month_start()
    ).aggregate(total=Sum("cost_usd"))["total"]
    return (total or Decimal(0)).quantize(MICRO)


def estimate(job: ProductionJob) -> Estimate:
    """The cost of one run of `job`: the average of past runs, else the price table."""
    past = list(
        ProductionJob.objects.filter(
            client_id=job.client_id, job_type=job.job_type, status__in=FINISHED, revision=1
        )
        .exclude(pk=job.pk)
        .order_by("-created_at")
        .values_list("cost_usd", flat=True)[:HISTORY]
    )
    if past:
        average = (sum(past, Decimal(0)) / len(past)).quantize(MICRO)
        return Estimate(average, f"average of the last {len(past)} {job.job_type} jobs")
    return _from_price_table(job)


def _from_price_table(job: ProductionJob) -> Estimate:
    """Nominal tokens per task step, priced at the head of the text chain."""
    config = provider_config_from_settings()
    provider = (config.get("chains", {}).get("text") or ["builtin-text"])[0]
    model = str(config.get(provider, {}).get("model", "")) if provider == "openai" else ""
    steps = sum(1 for step in workflow_for(job).steps(job) if step.kind != "gate")
    tokens_in = getattr(settings, "BUDGET_NOMINAL_TOKENS_IN", NOMINAL_TOKENS_IN) * steps
    tokens_out = getattr(settings, "BUDGET_NOMINAL_TOKENS_OUT", NOMINAL_TOKENS_OUT) * steps
    name = f"{provider}:{model}" if model else provider
    price = price_of(provider, model, tokens_in, tokens_out, config.get("prices", {}))
    basis = f"{steps} steps x {tokens_in // max(steps, 1):,} + {tokens_out // max(steps, 1):,} tokens at {name}"
    if price is None:
        return Estimate(Decimal(0), f"{basis}: no price for {name}", unpriced=True)
    return Estimate(Decimal(str(price)).quantize(MICRO), basis)


def budget_of(client_id: Any) -> Decimal | None:
    return (
        ClientBudget.objects.filter(client_id=client_id)
        .values_list("monthly_usd", flat=True)
        .first()
    )


def hold_over_budget(sender: Any, job: ProductionJob, **kwargs: Any) -> bool:
    """Receiver of lifecycle.run_requested: True keeps the job pending for an owner's sign-off."""
    limit = budget_of(job.client_id)
    if limit is None:
        return False
    gates = ApprovalRequest.objects.filter(job=job, gate=BUDGET_GATE, revision=job.revision)
    if gates.filter(status=ApprovalStatus.APPROVED).exists():
        return False
    if gates.filter(status=ApprovalStatus.PENDING).exists():
        return True
    guess = estimate(job)
    spent = month_spend(job.client_id)
    if not guess.unpriced and spent + guess.usd <= limit:
        return False
    open_request(job, gate=BUDGET_GATE, approval_type=ApprovalType.OWNER_SIGNOFF, role=Role.OWNER)
    if guess.unpriced:
        note = (
            f"The cost of this run is unknown ({guess.basis}); this month's spend is "
            f"${spent.quantize(CENT)} of ${limit}. An owner must sign off before it runs."
        )
    else:
        note = (
            f"Estimated ${guess.usd.quantize(CENT)} ({guess.basis}) would take this month's "
            f"spend from ${spent.quantize(CENT)} to ${(spent + guess.usd).quantize(CENT)}, over "
            f"the ${limit} budget. An owner must sign off before it runs."
        )
    lifecycle.record_event(
        job,
        "budget_hold",
        note=note,
        payload={
            "estimate_usd": str(guess.usd),
            "estimate_basis": guess.basis,
            "unpriced": guess.unpriced,
            "month_spend_usd": str(spent),
            "budget_usd": str(limit),
        },
    )
    return True


def unpriced_calls(client: Client | Any) -> int:
    """Provider calls of the client's jobs this month that had no price (recorded at $0)."""
    count = 0
    for attempts in StepRun.objects.filter(
        job__client_id=getattr(client, "pk", client), job__created_at__gte=month_start()
    ).values_list("provider_attempts", flat=True):
        count += sum(1 for attempt in attempts or [] if attempt.get("unpriced"))
    return count


def average_cost(client: Client | Any) -> Decimal | None:
    """Cost per finished job this month."""
    value = ProductionJob.objects.filter(
        client_id=getattr(client, "pk", client),
        created_at__gte=month_start(),
        status__in=(Status.APPROVED, Status.COMPLETED),
    ).aggregate(avg=Avg("cost_usd"))["avg"]
    return None if value is None else Decimal(value).quantize(MICRO)
