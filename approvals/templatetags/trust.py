"""Trust-layer fragments for any page: a flag's evidence and actions, an output's QC
findings, why a job was not auto-approved, and the pre-flight of its brief."""

from __future__ import annotations

from typing import Any

from django import template
from django.http import HttpRequest
from django.utils.dateparse import parse_datetime

from approvals.autoapproval import auto_approval_status
from approvals.evidence import REQUIRED_ROLE, flag_state, is_claim
from approvals.evidence_forms import DismissForm, EvidenceForm, auto_id
from approvals.models import ResolutionKind
from approvals.preflight import preflight_job
from approvals.preflight_treatment import preflight_video_job
from approvals.qc.outputs import stored_findings
from jobs.models import Output, ProductionJob
from production.models import Role
from production.tenancy import has_role

register = template.Library()


def _resolution(copy: dict[str, Any] | None) -> dict[str, Any] | None:
    if not copy:
        return None
    return {
        **copy,
        "at": parse_datetime(copy.get("at") or ""),
        "expires_at": parse_datetime(copy.get("expires_at") or ""),
        "confirmed_at": parse_datetime(copy.get("confirmed_at") or ""),
        "retracted_at": parse_datetime(copy.get("retracted_at") or ""),
        "linked": str(copy.get("source", "")).startswith(("https://", "http://")),
    }


def flag_context(
    request: HttpRequest | None,
    output: Output,
    flag: dict[str, Any],
    index: int,
    *,
    evidence_form: EvidenceForm | None = None,
    dismiss_form: DismissForm | None = None,
) -> dict[str, Any]:
    """What the flag fragment shows: its state, its evidence or dismissal, and the forms the
    user may use (none on a job that is finished)."""
    user = getattr(request, "user", None)
    job = output.job
    claim = is_claim(flag)
    can = {
        kind: bool(claim and user and not job.is_terminal) and has_role(user, job.client_id, role)  # type: ignore[arg-type]
        for kind, role in REQUIRED_ROLE.items()
    }
    state = flag_state(flag) if claim else ""
    # Owners confirm evidence others attached, and may retract or expire any live evidence.
    owner = bool(claim and user and not job.is_terminal) and has_role(
        user, job.client_id, Role.OWNER
    )  # type: ignore[arg-type]
    return {
        "request": request,
        "flag": flag,
        "can_confirm": owner and state == "unconfirmed",
        "can_withdraw": owner and state in ("unconfirmed", "substantiated"),
        "output": output,
        "index": index,
        "claim": claim,
        "state": state,
        "evidence": _resolution(flag.get("evidence")),
        "dismissal": _resolution(flag.get("dismissal")),
        "can_attach": can[ResolutionKind.EVIDENCE],
        "can_dismiss": can[ResolutionKind.DISMISSAL],
        "evidence_form": evidence_form or EvidenceForm(auto_id=auto_id(output.pk, index, "e")),
        "dismiss_form": dismiss_form or DismissForm(auto_id=auto_id(output.pk, index, "d")),
        "open_form": "evidence" if evidence_form else "dismiss" if dismiss_form else "",
    }


@register.inclusion_tag("approvals/_flag_evidence.html", takes_context=True)
def flag_evidence(
    context: template.Context, flag: dict[str, Any], output: Output, index: int
) -> dict[str, Any]:
    return flag_context(context.get("request"), output, flag, index)


@register.inclusion_tag("approvals/_qc_findings.html")
def qc_findings(output: Output) -> dict[str, Any]:
    findings = stored_findings(output)
    return {
        "output": output,
        "checked": findings is not None,
        "blocking": [f for f in findings or [] if f.get("severity") == "blocking"],
        "advisory": [f for f in findings or [] if f.get("severity") != "blocking"],
    }


@register.inclusion_tag("approvals/_auto_approval.html")
def auto_approval_reasons(job: ProductionJob) -> dict[str, Any]:
    return {"job": job, "decision": auto_approval_status(job)}


@register.inclusion_tag("approvals/_preflight.html")
def preflight(job: ProductionJob) -> dict[str, Any]:
    return {"job": job, "preflight": preflight_job(job), "treatment": preflight_video_job(job)}
