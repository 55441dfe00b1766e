"""The breaker history on the metrics dashboard in Chromium, for staff (screenshot in docs/)."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
from django.utils import timezone

from operations.models import BreakerEvent
from tests.browser import DOCS_SCREENSHOTS, assert_accessible, requires_chromium, sign_in

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, requires_chromium, pytest.mark.django_db(transaction=True)]


def history() -> None:
    """An afternoon of a flaky model server and a speech provider that recovered once."""
    now = timezone.now().replace(microsecond=0)
    rows = [
        ("openai", "open", "5 failed calls within 60 s", 190, None),
        ("openai", "half_open", "cool-down over: one trial call let through", 160, None),
        ("openai", "open", "the half-open trial call failed", 160, None),
        ("openai", "half_open", "cool-down over: one trial call let through", 130, None),
        ("openai", "closed", "a call succeeded", 130, 3600.0),
        ("elevenlabs", "open", "5 failed calls within 60 s", 45, None),
        ("elevenlabs", "half_open", "cool-down over: one trial call let through", 15, None),
        ("elevenlabs", "closed", "a call succeeded", 14, 1860.0),
    ]
    for provider, state, reason, minutes_ago, open_seconds in rows:
        at = now - timedelta(minutes=minutes_ago)
        BreakerEvent.objects.create(
            provider=provider, state=state, reason=reason, created_at=at,
            opened_at=at - timedelta(seconds=open_seconds) if open_seconds else None,
            open_seconds=open_seconds,
        )  # fmt: skip


def test_staff_read_when_and_why_breakers_opened(live_server, page, staff):
    history()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    sign_in(page, live_server.url, "sam", "pw-sam-12345")

    page.goto(f"{live_server.url}/operations/metrics/")

    section = page.locator("#breaker-history")
    assert section.locator("tbody tr").count() == 8
    assert "openai 2" in section.inner_text().replace("\n", " ")
    assert "1 h 0 min" in section.inner_text() and "31 min 0 s" in section.inner_text()
    assert_accessible(page)
    assert errors == []
    DOCS_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    section.screenshot(path=str(DOCS_SCREENSHOTS / "metrics-breaker-history.png"))
