"""Starting productions and deciding their gates: every write the production API makes."""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from jsonschema import Draft202012Validator

from approvals import services as decisions
from approvals.models import ApprovalRequest, ApprovalStatus
from jobs import lifecycle
from jobs.models import JobType, ProductionJob, ProductionWorkflow, Status
from jobs.workflows.production import signoff
from production.models import Client, Role
from production.tenancy import client_ids_for, has_role

User = AbstractBaseUser | AnonymousUser


class ProductionError(Exception):
    """Bad input for a production; `field` names the input (dotted), `code` its kind."""

    def __init__(self, message: str, field: str = "", code: str = "invalid") -> None:
        super().__init__(message)
        self.message, self.field, self.code = message, field, code


def _title_from(brief: str) -> str:
    """The brief's first clause ("Launch film for the Ridgeline 40 hiking pack")."""
    first = re.split(r"\n|\. |: | — | - ", brief.strip(), maxsplit=1)[0].strip().rstrip(".")
    return first if len(first) <= 80 else first[:77].rsplit(" ", 1)[0] + "…"


def start_production(
    *, client: Client, user: User, workflow: str, brief: Any, title: str = ""
) -> ProductionJob:
    """Validate the brief against the workflow's contract, then create and queue the job."""
    if not has_role(user, client.pk, Role.MEMBER):
        raise ProductionError(
            f"Only people at {client.name} can start productions.", code="permission_denied"
        )
    record = ProductionWorkflow.objects.filter(slug=str(workflow or ""), is_active=True).first()
    if record is None:
        options = ", ".join(
            ProductionWorkflow.objects.filter(is_active=True).values_list("slug", flat=True)
        )
        raise ProductionError(
            f"Unknown workflow {workflow!r}; choose one of: {options}.", "workflow"
        )
    if isinstance(brief, str):
        brief = {"brief": brief}
    if not isinstance(brief, dict):
        raise ProductionError("The brief must be text or an object with a “brief” field.", "brief")
    schema = record.definition.get("brief_schema") or {"type": "object"}
    errors = sorted(Draft202012Validator(schema).iter_errors(brief), key=lambda e: list(e.path))
    if errors:
        first = errors[0]
        path = ".".join(["brief", *(str(p) for p in first.path)])
        if first.validator == "additionalProperties":
            path = "brief"
        raise ProductionError(f"{path}: {first.message}", path)
    title = (title or "").strip()[:200] or _title_from(brief["brief"])
    budget = brief.get("budget_usd")
    with transaction.atomic():
        job = ProductionJob.objects.create(
            client=client,
            job_type=JobType.PRODUCTION,
            title=title,
            description=brief["brief"][:2000],
            input_data=brief,
            workflow=record,
            workflow_definition=record.definition,
            budget_usd=budget,
            created_by=user if user.is_authenticated else None,
        )
        lifecycle.record_event(
            job,
            "created",
            actor=user if user.is_authenticated else None,
            note=f"Started the {record.name} workflow.",
            payload={"workflow": record.slug},
        )
        # Over the production's or the month's budget: it waits, pending, for an owner.
        if not signoff.hold_if_over(job):
            lifecycle.transition(job, Status.QUEUED, actor=user, locked=True)  # type: ignore[arg-type]
    return job


def awaiting(user: User) -> list[ApprovalRequest]:
    """Open production gates the user may decide, oldest first."""
    if not user.is_authenticated:
        return []
    qs = ApprovalRequest.objects.filter(
        status=ApprovalStatus.PENDING, job__job_type=JobType.PRODUCTION
    ).select_related("job", "job__client")
    if not user.is_staff:
        qs = qs.filter(job__client_id__in=client_ids_for(user))
    return [r for r in qs.order_by("created_at", "id") if decisions.can_decide(user, r)]


def gate_step(request: ApprovalRequest) -> dict[str, Any]:
    """The gate's definition in the job's workflow (who decides, what it reviews)."""
    if signoff.is_budget_signoff(request):
        return {
            "name": request.gate,
            "label": "Budget sign-off before the run",
            "approver": "Owner",
            "reviews": "",
        }
    steps = (request.job.workflow_definition or {}).get("steps", [])
    return next((s for s in steps if s["name"] == request.gate), {})


def decide_gate(
    *, request_id: int, user: User, approve: bool, feedback: str = "", choice: str = ""
) -> ApprovalRequest:
    """Approve (optionally overriding the gate's choice) or reject with feedback."""
    found = ApprovalRequest.objects.select_related("job__client").filter(pk=request_id).first()
    visible = found is not None and (
        getattr(user, "is_staff", False) or found.job.client_id in client_ids_for(user)
    )
    if found is None or not visible or found.job.job_type != JobType.PRODUCTION:
        raise decisions.NotFound(f"Approval request {request_id} not found.")
    choice = (choice or "").strip()
    if signoff.is_budget_signoff(found) and not approve:
        # Declining the budget sign-off cancels the production: it never ran, nothing is charged.
        if choice:
            raise ProductionError("A choice can only be made when approving.", "choice")
        return decisions.decide(
            request_id=request_id, user=user, decision=decisions.CANCEL, feedback=feedback
        )
    with transaction.atomic():
        if choice:
            if not approve:
                raise ProductionError("A choice can only be made when approving.", "choice")
            overrides = gate_step(found).get("overrides")
            if not overrides:
                raise ProductionError("This gate has no choice to override.", "choice")
            if choice not in overrides["options"]:
                raise ProductionError(
                    f"Choose one of: {', '.join(overrides['options'])}.", "choice"
                )
            if not decisions.can_decide(user, found):
                raise decisions.NotAllowed(decisions._role_message(found, found.job.client.name))
            job = lifecycle.lock_job(found.job_id)
            if found.status == ApprovalStatus.PENDING:
                name = user.get_full_name() or user.get_username()  # type: ignore[union-attr]
                job.input_data = {
                    **job.input_data,
                    "choices": {
                        **(job.input_data.get("choices") or {}),
                        overrides["choice"]: choice,
                        f"{overrides['choice']}_by": name,
                    },
                }
                job.save(update_fields=["input_data"])
        return decisions.decide(
            request_id=request_id,
            user=user,
            # Seed 003's "reject" asks for a revision: the reviewed step runs again.
            decision=decisions.APPROVE if approve else decisions.REQUEST_CHANGES,
            feedback=feedback,
        )
