"""Where a production goes next: branches on a choice, legal review on risk, partial re-runs."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from jobs.models import Output, ProductionJob
from jobs.workflows.base import Step

# Flags of the safety scorer (approvals/safety) that send a production to legal review: a
# flag in these categories means the claim is not backed by one of the client's verified facts.
RISKY_FLAGS = {
    "health_promise": "health",
    "financial_promise": "financial",
    "unapproved_testimonial": "testimonial",
}
RISKY_CLAIM_TYPES = {"health": "health", "earnings": "financial", "price": "financial",
                     "endorsement": "testimonial"}  # fmt: skip

Condition = tuple[Callable[[ProductionJob], bool], Callable[[ProductionJob], str]]


def condition(when: dict[str, Any] | None) -> Condition | None:
    if not when:
        return None
    if when.get("risk"):
        return (lambda job: bool(risk_reasons(job)), _risk_why)
    choice, value, source = when["choice"], when["equals"], when["source"]

    def taken(job: ProductionJob) -> bool:
        return chosen(job, choice, source)[0] == value

    def why(job: ProductionJob) -> str:
        picked, how = chosen(job, choice, source)
        verb = "Taken" if picked == value else "Not taken"
        return f"{verb}: {choice.replace('_', ' ')} is {picked or 'unset'} ({how})."

    return taken, why


def chosen(job: ProductionJob, choice: str, source: str) -> tuple[str, str]:
    """The value of a choice and how it was made: a reviewer's override, else the step's own."""
    overrides = (job.input_data or {}).get("choices") or {}
    if overrides.get(choice):
        by = overrides.get(f"{choice}_by") or "a reviewer"
        return str(overrides[choice]), f"overridden by {by} at the gate"
    text = (
        Output.objects.filter(job=job, revision=job.revision, step=source, key="data")
        .values_list("text", flat=True)
        .first()
    )
    data = json.loads(text) if text else {}
    value = str(data.get(choice, ""))
    return value, f"recommended by {source.replace('_', ' ')}" if value else "no recommendation"


def over_budget(job: ProductionJob, gate: dict[str, Any]) -> bool:
    """Whether the step a gate reviews reported its result over the client's budget."""
    text = (
        Output.objects.filter(
            job=job, revision=job.revision, step=gate.get("reviews", ""), key="data"
        )
        .values_list("text", flat=True)
        .first()
    )
    return bool(text) and json.loads(text).get("within_budget") is False


def risk_reasons(job: ProductionJob) -> list[str]:
    """Why this revision's outputs need a legal review: risky claims or a low safety score."""
    reasons: list[str] = []
    threshold = job.client.threshold_safe
    for output in Output.objects.filter(job=job, revision=job.revision).exclude(
        safety_score__isnull=True
    ):
        for flag in output.safety_flags or []:
            category = RISKY_FLAGS.get(str(flag.get("category", "")))
            if flag.get("category") == "unsubstantiated_claim":
                category = RISKY_CLAIM_TYPES.get(str(flag.get("claim_type", "")))
            if category:
                phrase = str(flag.get("excerpt", "")).strip()
                reasons.append(f"{output.title}: unsubstantiated {category} claim “{phrase}”")
        if output.safety_score is not None and output.safety_score < threshold:
            reasons.append(
                f"{output.title}: safety score {output.safety_score} is below {job.client.name}'s "
                f"threshold of {threshold}"
            )
    return list(dict.fromkeys(reasons))


def _risk_why(job: ProductionJob) -> str:
    reasons = risk_reasons(job)
    if not reasons:
        return "Not needed: no risky claim, and every output scores at or above the threshold."
    more = f" (and {len(reasons) - 3} more)" if len(reasons) > 3 else ""
    return "Legal review added: " + "; ".join(reasons[:3]) + more + "."


def descendants(name: str, steps: list[Step]) -> set[str]:
    found = {name}
    changed = True
    while changed:
        changed = False
        for step in steps:
            if step.name not in found and found & set(step.depends_on):
                found.add(step.name)
                changed = True
    return found


def rerun_after(job: ProductionJob, steps: list[Step]) -> set[str] | None:
    """After a gate's rejection: the step it reviews and everything downstream of it.

    None (run everything again) when the previous revision ended at no workflow gate.
    """
    from approvals.models import ApprovalRequest, ApprovalStatus

    request = (
        ApprovalRequest.objects.filter(
            job=job,
            revision=job.revision - 1,
            status__in=(ApprovalStatus.REJECTED, ApprovalStatus.CHANGES_REQUESTED),
        )
        .order_by("-decided_at", "-id")
        .first()
    )
    gate = next((s for s in steps if request and s.name == request.gate), None)
    if gate is None:
        return None
    producer = gate.reviews or (gate.depends_on[0] if gate.depends_on else gate.name)
    group = [s.name for s in steps if s.group == producer]
    rerun: set[str] = set()
    for name in group or [producer]:
        rerun |= descendants(name, steps)
    return rerun
