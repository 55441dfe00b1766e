"""Per-step metrics of production runs: how long, how reliable, how costly, how often."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Avg, Count, Q, QuerySet, Sum

from jobs.models import JobType, ProductionJob, StepRun, StepStatus

FINISHED = (StepStatus.SUCCEEDED, StepStatus.FAILED)


@dataclass(frozen=True)
class StepMetric:
    workflow: str
    workflow_name: str
    step: str
    label: str
    runs: int
    attempts: int
    succeeded: int
    avg_ms: float
    avg_cost: Decimal
    calls: int
    tokens: int

    @property
    def success_rate(self) -> int:
        return round(100 * self.succeeded / self.attempts) if self.attempts else 0

    @property
    def duration_label(self) -> str:
        return f"{self.avg_ms:.0f} ms" if self.avg_ms < 1000 else f"{self.avg_ms / 1000:.1f} s"


def step_metrics(jobs: QuerySet[ProductionJob]) -> list[StepMetric]:
    """One row per workflow and step (fan-out batches together), over runs that did work.

    Attempts are what a run was tried: a run that needed two attempts counts one failure and
    one success, so the success rate is successes over attempts.
    """
    rows = (
        StepRun.objects.filter(
            job__in=jobs.filter(job_type=JobType.PRODUCTION),
            status__in=FINISHED,
            reused_from__isnull=True,
        )
        .values("job__workflow__slug", "job__workflow__name", "step")
        .annotate(
            n=Count("id"),
            ok=Count("id", filter=Q(status=StepStatus.SUCCEEDED)),
            attempts=Sum("attempt"),
            ms=Avg("duration_ms"),
            cost=Avg("cost_usd"),
            calls=Sum("calls"),
            tokens=Sum("tokens_in") + Sum("tokens_out"),
        )
    )
    merged: dict[tuple[str, str], dict] = {}
    for row in rows:
        step = re.sub(r"\.\d+$", "", row["step"])
        key = (row["job__workflow__slug"] or "", step)
        into = merged.setdefault(
            key,
            {"name": row["job__workflow__name"] or "", "n": 0, "ok": 0, "attempts": 0,
             "ms": 0.0, "cost": Decimal("0"), "calls": 0, "tokens": 0},
        )  # fmt: skip
        into["n"] += row["n"]
        into["ok"] += row["ok"]
        into["attempts"] += row["attempts"] or 0
        into["ms"] += (row["ms"] or 0) * row["n"]
        into["cost"] += Decimal(str(row["cost"] or 0)) * row["n"]
        into["calls"] += row["calls"] or 0
        into["tokens"] += row["tokens"] or 0
    labels, gates = _labels()
    result = []
    for (workflow, step), m in sorted(merged.items()):
        if (workflow, step) in gates:
            continue  # a gate is a person's decision, not a step's work
        result.append(
            StepMetric(
                workflow=workflow,
                workflow_name=m["name"],
                step=step,
                label=labels.get((workflow, step), step),
                runs=m["n"],
                attempts=m["attempts"],
                succeeded=m["ok"],
                avg_ms=m["ms"] / m["n"],
                avg_cost=m["cost"] / m["n"],
                calls=m["calls"],
                tokens=m["tokens"],
            )
        )
    order = {key: i for i, key in enumerate(labels)}
    return sorted(result, key=lambda r: (r.workflow, order.get((r.workflow, r.step), 999)))


def _labels() -> tuple[dict[tuple[str, str], str], set[tuple[str, str]]]:
    """Each workflow step's label, in workflow order, and which steps are gates."""
    from jobs.models import ProductionWorkflow

    labels: dict[tuple[str, str], str] = {}
    gates: set[tuple[str, str]] = set()
    for workflow in ProductionWorkflow.objects.all():
        for step in workflow.definition.get("steps", []):
            labels[(workflow.slug, step["name"])] = step["label"]
            if step["kind"] == "gate":
                gates.add((workflow.slug, step["name"]))
    return labels, gates
