"""What a production is expected to take and cost: step estimates, corrected by past runs."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count

from jobs.models import ProductionWorkflow, StepRun, StepStatus


@dataclass(frozen=True)
class Estimate:
    minutes_low: float
    minutes_high: float
    cost_low: Decimal
    cost_high: Decimal
    gates: int
    past_runs: int

    @property
    def summary(self) -> str:
        return (
            f"{self.minutes_low:.0f}–{self.minutes_high:.0f} min of work, "
            f"${self.cost_low:,.2f}–${self.cost_high:,.2f}, {self.gates} gates"
        )


@dataclass(frozen=True)
class StepEstimate:
    """One step's expected work and cost (a fan-out counts all of its batches)."""

    name: str
    label: str
    kind: str
    minutes: float
    cost_low: Decimal
    cost_high: Decimal
    past_runs: int


def step_estimates(
    workflow: ProductionWorkflow | None, definition: dict[str, Any] | None = None
) -> list[StepEstimate]:
    """Each task step's estimate from the definition, averaged with its past runs if any."""
    steps = definition if definition is not None else (workflow.definition if workflow else {})
    steps = (steps or {}).get("steps", [])
    past = (
        {
            row["step"]: row
            for row in StepRun.objects.filter(
                job__workflow=workflow, status=StepStatus.SUCCEEDED, reused_from__isnull=True
            )
            .values("step")
            .annotate(n=Count("id"), ms=Avg("duration_ms"), cost=Avg("cost_usd"))
        }
        if workflow is not None
        else {}
    )
    found: list[StepEstimate] = []
    for step in steps:
        if step["kind"] == "gate":
            continue
        estimate = step.get("estimate") or {"minutes": 0, "cost_usd": [0, 0]}
        count = int(step.get("batches", 1))
        minutes = float(estimate["minutes"])
        lo, hi = (Decimal(str(v)) for v in estimate["cost_usd"])
        measured = [
            past[n]
            for n in (
                [step["name"]]
                if count == 1
                else [f"{step['name']}.{i:02d}" for i in range(1, count + 1)]
            )
            if n in past
        ]
        runs = 0
        if measured:
            runs = sum(m["n"] for m in measured)
            seen_minutes = sum((m["ms"] or 0) for m in measured) / 60000 * count / len(measured)
            seen_cost = sum(Decimal(str(m["cost"] or 0)) for m in measured) * count / len(measured)
            minutes = (minutes + seen_minutes) / 2
            lo, hi = min(lo * count, seen_cost), max(hi * count, seen_cost)
        else:
            lo, hi = lo * count, hi * count
        found.append(StepEstimate(step["name"], step["label"], step["kind"], minutes, lo, hi, runs))
    return found


def estimate_for(workflow: ProductionWorkflow) -> Estimate:
    """Sum the steps' estimates; where a step has past runs, its measured average is used too.

    A fan-out counts once per batch. Branches are alternatives: only the dearest counts
    towards the high end and the cheapest towards the low end. Gates add no work (the wait
    for a person is not estimated).
    """
    low_m = high_m = 0.0
    low_c = high_c = Decimal("0")
    branches: list[StepEstimate] = []
    lines = step_estimates(workflow)
    for line in lines:
        if line.kind == "branch":
            branches.append(line)
            continue
        low_m += line.minutes * 0.6
        high_m += line.minutes * 1.5
        low_c += line.cost_low
        high_c += line.cost_high
    if branches:
        low_m += min(b.minutes for b in branches) * 0.6
        high_m += max(b.minutes for b in branches) * 1.5
        low_c += min(b.cost_low for b in branches)
        high_c += max(b.cost_high for b in branches)
    gates = sum(1 for s in (workflow.definition or {}).get("steps", []) if s["kind"] == "gate")
    return Estimate(low_m, high_m, low_c, high_c, gates, sum(line.past_runs for line in lines))
