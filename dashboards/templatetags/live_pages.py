"""The live version a page was rendered at, for static/js/live.js to compare with its stream."""

from __future__ import annotations

from typing import Any

from django import template

from jobs import live

register = template.Library()


@register.simple_tag
def job_live_version(job: Any) -> int:
    return live.version([live.job_channel(job.pk)])
