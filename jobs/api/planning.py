"""Planning a manifest on its own (no job), for /api/v1/planner and the seed's phase4 route."""

from __future__ import annotations

from typing import Any

from jobs.models import Manifest
from jobs.planner import PlannerInputError, plan
from jobs.services import JobError
from jobs.workflows.video import node_as_dict
from production.models import Client

# The planner names its arguments and settings; the API names the request fields they came from.
SETTING_FIELDS = {"duration_seconds": "durationSeconds", "aspect_ratio": "aspectRatio"}
V1_ARGUMENTS = {"treatment_text": "treatment", "user": "", "analyzer": ""}
SEED_ARGUMENTS = {"treatment_text": "treatmentText", "user": "userUI", "analyzer": "analyzerJson"}


def request_field(planner_field: str, style: str) -> str:
    """Where a PlannerInputError points in the request: "userUI.durationSeconds" and the like."""
    arguments = V1_ARGUMENTS if style == "snake" else SEED_ARGUMENTS
    if planner_field in arguments:
        return arguments[planner_field]
    setting = SETTING_FIELDS.get(planner_field, planner_field)
    return setting if style == "snake" else f"userUI.{setting}"


def plan_manifest(
    *,
    user: Any,
    client: Client,
    treatment: str,
    title: str = "",
    options: dict[str, Any] | None = None,
    analyzer: dict[str, Any] | None = None,
    style: str = "snake",
) -> Manifest:
    """Run the planner with the client's brand as profile and store its result."""
    options = dict(options or {})
    try:
        result = plan(
            treatment,
            user=options,
            analyzer=analyzer,
            title=title,
            profile=client.brand(),
        )
    except PlannerInputError as exc:
        raise JobError(exc.message, field=request_field(exc.field, style)) from None
    return Manifest.objects.create(
        client=client,
        treatment=treatment,
        inputs={**options, "title": title},
        manifest=result.manifest,
        dag=[node_as_dict(node) for node in result.dag],
        valid=result.valid,
        repairs=result.repairs,
        warnings=result.warnings,
        used_repair=result.used_repair,
        used_fallback=result.used_fallback,
        used_model=result.used_model,
        processing_ms=result.processing_ms,
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )
