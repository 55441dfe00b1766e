"""Filters and tags the dashboard templates share: relative times, safe markdown, bands, queries."""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django import template
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from approvals.safety import BAND_LABELS
from dashboards.markdown import render_markdown
from jobs.models import Output, ProductionJob, Status
from jobs.output_names import download_name
from production.models import Role
from production.tenancy import client_ids_for, has_role

register = template.Library()

ACTION_LABELS = {
    "created": "Created",
    "status_changed": "Status changed",
    "updated": "Brief edited",
    "signoff_requested": "Sign-off requested",
    "prompt_screened": "Brief screened: instructions aimed at a model",
}


@register.filter
def ago(value: datetime | None, now: datetime | None = None) -> str:
    """A short relative time: "just now", "3 min ago", "2 h ago", "5 d ago"."""
    if value is None:
        return ""
    seconds = int(((now or timezone.now()) - value).total_seconds())
    if seconds < 45:
        return "just now"
    if seconds < 3600:
        return f"{max(1, round(seconds / 60))} min ago"
    if seconds < 86400:
        return f"{seconds // 3600} h ago"
    if seconds < 30 * 86400:
        return f"{seconds // 86400} d ago"
    return timezone.localtime(value).strftime("%-d %b %Y")


@register.filter
def markdown(value: str) -> SafeString:
    """Markdown rendered and sanitized by dashboards.markdown, so it is safe to mark as such."""
    return mark_safe(render_markdown(value or ""))  # noqa: S308 - sanitized by nh3


@register.filter
def band_label(band: str) -> str:
    return BAND_LABELS.get(band or "", "Not scored")


@register.filter
def pretty_json(value: str) -> str:
    try:
        return json.dumps(json.loads(value), indent=2, ensure_ascii=False)
    except (TypeError, ValueError):
        return value


@register.filter
def event_label(action: str) -> str:
    """A history action as a phrase: decision.changes_requested -> Changes requested."""
    if action in ACTION_LABELS:
        return ACTION_LABELS[action]
    words = action.split(".")[-1].replace("_", " ")
    return words[:1].upper() + words[1:]


@register.filter
def money(value: Decimal | float | None) -> str:
    if not value:
        return ""
    amount = Decimal(value)
    return f"${amount:.4f}" if amount < 1 else f"${amount:.2f}"


@register.simple_tag
def query(base: dict[str, str], **override: Any) -> str:
    """A query string from the list's filters with some values replaced ("" drops a key)."""
    params = {**base, **{k: str(v) for k, v in override.items()}}
    params = {k: v for k, v in params.items() if v}
    return "?" + urlencode(params) if params else "?"


@register.simple_tag(takes_context=True)
def can_review(context: template.Context) -> bool:
    """Whether to show the Reviews link: staff, or a reviewer or owner of any client."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    return user.is_staff or any(
        has_role(user, client_id, Role.REVIEWER) for client_id in client_ids_for(user)
    )


@register.filter
def kind_icon(kind: str) -> str:
    return {
        "markdown": "¶",
        "text": "¶",
        "html": "</>",
        "json": "{ }",
        "image": "▣",
        "audio": "♪",
        "video": "▶",
    }.get(kind, "•")


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key) if mapping else None


@register.filter
def status_label(status: str) -> str:
    return dict(Status.choices).get(status, status)


@register.filter
def download_as(output: Output, job: ProductionJob) -> str:
    """The file name an output downloads under (jobs.output_names)."""
    return download_name(job, output)


PLATFORM_NAMES = {"linkedin": "LinkedIn", "twitter": "X (Twitter)", "facebook": "Facebook"}


@register.filter
def platform_name(value: str) -> str:
    return PLATFORM_NAMES.get(value, str(value).replace("_", " ").title())
