"""The pre-run budget sign-off: a production whose estimated model cost is over the client's
budget waits, before any step runs, for an owner who sees the estimate step by step.

The estimate is the definition's per-step cost range (corrected by past runs of the same
steps), and where the head of the text chain is a priced hosted model, that model's price
for the step's calls at nominal tokens (whichever is dearer). The thresholds are the
production's own budget (`budget_usd` in the brief) and what is left of the client's
monthly budget (operations.budgets). The hold is an owner sign-off request on the gate
"budget", the same gate the monthly hold uses, so one decision settles both: approving it
starts the run, declining cancels the production before anything ran or was charged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings

from approvals.models import ApprovalRequest, ApprovalType
from approvals.review import open_request
from jobs import lifecycle
from jobs.models import ProductionJob
from jobs.providers.config import provider_config_from_settings
from jobs.providers.pricing import price_of
from jobs.workflows.production.estimates import step_estimates
from operations import budgets
from production.models import Role

BUDGET_GATE = budgets.BUDGET_GATE
HOLD_EVENT = "budget_hold"
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Line:
    name: str
    label: str
    low: Decimal
    high: Decimal
    calls: int
    priced: Decimal | None
    basis: str
    alternative: bool

    def as_dict(self) -> dict[str, Any]:
        return {
            "step": self.name,
            "label": self.label,
            "low_usd": str(self.low.quantize(CENT)),
            "high_usd": str(self.high.quantize(CENT)),
            "model_calls": self.calls,
            "priced_usd": None if self.priced is None else str(self.priced.quantize(CENT)),
            "basis": self.basis,
            "alternative": self.alternative,
        }


@dataclass(frozen=True)
class Breakdown:
    lines: list[Line]
    low: Decimal
    high: Decimal
    model: str
    unpriced: bool
    reasons: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "steps": [line.as_dict() for line in self.lines],
            "low_usd": str(self.low.quantize(CENT)),
            "high_usd": str(self.high.quantize(CENT)),
            "model": self.model,
            "unpriced": self.unpriced,
            "reasons": self.reasons,
        }


def _text_model() -> tuple[str, str, Decimal | None, bool]:
    """The head of the text chain, its price per call at nominal tokens, and whether unpriced."""
    config = provider_config_from_settings()
    provider = (config.get("chains", {}).get("text") or ["builtin-text"])[0]
    model = str(config.get(provider, {}).get("model", "")) if provider == "openai" else ""
    tokens_in = getattr(settings, "BUDGET_NOMINAL_TOKENS_IN", budgets.NOMINAL_TOKENS_IN)
    tokens_out = getattr(settings, "BUDGET_NOMINAL_TOKENS_OUT", budgets.NOMINAL_TOKENS_OUT)
    price = price_of(provider, model, tokens_in, tokens_out, config.get("prices", {}))
    name = f"{provider}:{model}" if model else provider
    return name, provider, None if price is None else Decimal(str(price)), price is None


def model_calls(step: dict[str, Any], inputs: dict[str, Any]) -> int:
    """Calls a step makes to the text model: one per concept in a fan-out, else one."""
    if step["kind"] == "fanout":
        return int(inputs.get("concepts") or 100)
    return 1


def breakdown(job: ProductionJob) -> Breakdown:
    """The production's expected model cost, step by step."""
    definition = job.workflow_definition or {}
    specs = {s["name"]: s for s in definition.get("steps", [])}
    name, _, per_call, unpriced = _text_model()
    lines: list[Line] = []
    for estimate in step_estimates(job.workflow, definition):
        calls = model_calls(specs[estimate.name], job.input_data or {})
        priced = None if per_call is None else (per_call * calls).quantize(Decimal("0.000001"))
        high = max(estimate.cost_high, priced or Decimal(0))
        basis = (
            f"{estimate.past_runs} past runs and the definition"
            if estimate.past_runs
            else "the workflow's estimate"
        )
        if priced:
            basis += f"; {calls} call{'s' if calls != 1 else ''} at {name} prices"
        lines.append(
            Line(
                estimate.name,
                estimate.label,
                estimate.cost_low,
                high,
                calls,
                priced,
                basis,
                estimate.kind == "branch",
            )
        )
    plain = [line for line in lines if not line.alternative]
    branches = [line for line in lines if line.alternative]
    low = sum((line.low for line in plain), Decimal(0))
    high = sum((line.high for line in plain), Decimal(0))
    if branches:
        # Branches are alternatives: one of them runs.
        low += min(line.low for line in branches)
        high += max(line.high for line in branches)
    return Breakdown(lines, low, high, name, unpriced)


def reasons_to_hold(job: ProductionJob, found: Breakdown) -> list[str]:
    """Why an owner must sign off before this production runs (none: it may run)."""
    reasons: list[str] = []
    own = job.budget_usd
    limit = budgets.budget_of(job.client_id)
    if found.unpriced and (own is not None or limit is not None):
        reasons.append(
            f"The cost is unknown: the price table has no price for {found.model}, so the "
            "budget cannot be checked."
        )
        return reasons
    high = found.high.quantize(CENT)
    if own is not None and found.high > own:
        reasons.append(
            f"Estimated model cost up to ${high:,} is over this production's ${own:,.2f} budget."
        )
    if limit is not None:
        spent = budgets.month_spend(job.client_id)
        if spent + found.high > limit:
            reasons.append(
                f"Estimated model cost up to ${high:,} would take this month's spend from "
                f"${spent.quantize(CENT):,} to ${(spent + found.high).quantize(CENT):,}, over "
                f"{job.client.name}'s ${limit:,} monthly budget."
            )
    return reasons


def hold_if_over(job: ProductionJob) -> bool:
    """Called at start, under the new job's transaction: True when it now waits for an owner."""
    found = breakdown(job)
    reasons = reasons_to_hold(job, found)
    if not reasons:
        return False
    found = Breakdown(found.lines, found.low, found.high, found.model, found.unpriced, reasons)
    open_request(
        job,
        gate=BUDGET_GATE,
        approval_type=ApprovalType.OWNER_SIGNOFF,
        role=Role.OWNER,
        output_ids=[],
    )
    lifecycle.record_event(
        job,
        HOLD_EVENT,
        note=" ".join(reasons) + " An owner must sign off before it runs.",
        payload={"estimate": found.as_dict(), "scope": "production"},
    )
    return True


@dataclass(frozen=True)
class SignoffState:
    """What the production page and the API show about a budget sign-off."""

    request: ApprovalRequest
    estimate: dict[str, Any] | None
    note: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "request_id": self.request.pk,
            "status": self.request.status,
            "decided_by": self.request.decided_by_label,
            "feedback": self.request.feedback,
            "note": self.note,
            "estimate": self.estimate,
        }


def signoff_state(job: ProductionJob) -> SignoffState | None:
    """The job's latest budget sign-off and the estimate it was asked with, if any."""
    request = (
        ApprovalRequest.objects.filter(job=job, gate=BUDGET_GATE)
        .order_by("-created_at", "-id")
        .first()
    )
    if request is None or request.approval_type != ApprovalType.OWNER_SIGNOFF:
        return None
    event = job.events.filter(action=HOLD_EVENT).order_by("-created_at", "-id").first()
    payload = event.payload if event else {}
    return SignoffState(request, payload.get("estimate"), event.note if event else "")


def is_budget_signoff(request: ApprovalRequest) -> bool:
    return request.gate == BUDGET_GATE and request.approval_type == ApprovalType.OWNER_SIGNOFF
