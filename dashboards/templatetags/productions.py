"""Production panels on the job page: the budget sign-off with its estimate, step by step."""

from __future__ import annotations

from typing import Any

from django import template

from jobs.models import JobType, ProductionJob
from jobs.workflows.production.signoff import signoff_state
from production.models import Role
from production.tenancy import has_role

register = template.Library()


@register.inclusion_tag("dashboards/productions/_budget_signoff.html", takes_context=True)
def budget_signoff(context: dict[str, Any], job: ProductionJob) -> dict[str, Any]:
    state = signoff_state(job) if job.job_type == JobType.PRODUCTION else None
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "job": job,
        "state": state,
        "can_decide": bool(
            state
            and state.request.status == "pending"
            and user is not None
            and has_role(user, job.client_id, Role.OWNER)
        ),
        "csrf_token": context.get("csrf_token"),
    }
