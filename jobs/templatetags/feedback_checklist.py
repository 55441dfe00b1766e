"""`{% feedback_checklist approval %}`: the review page's list of what the feedback asked for."""

from __future__ import annotations

from typing import Any

from django import template

from jobs.feedback.checklist import checklist_for

register = template.Library()


@register.inclusion_tag("feedback/_checklist.html")
def feedback_checklist(approval: Any) -> dict[str, Any]:
    """The checklist of the revision under review; renders nothing when there was no feedback."""
    return {"checklist": checklist_for(approval.job, approval.revision)}
