"""The live version a page was rendered at, for static/js/live.js to compare with its stream."""

from __future__ import annotations

from typing import Any

from django import template

from dashboards.switcher import dashboard_client_ids
from jobs import live

register = template.Library()


@register.simple_tag
def job_live_version(job: Any) -> int:
    return live.version([live.job_channel(job.pk)])


@register.simple_tag(takes_context=True)
def dashboard_live_version(context: template.Context) -> int:
    request = context["request"]
    return live.version([live.client_channel(c) for c in dashboard_client_ids(request)])
