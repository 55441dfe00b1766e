"""Operations settings read from Django settings, else the environment, else a default."""

from __future__ import annotations

import os

from django.conf import settings


def _value(name: str, default: str) -> str:
    return str(getattr(settings, name, None) or os.environ.get(name) or default)


def tick_seconds() -> float:
    """How often alerts are evaluated (and the daily summary looked at)."""
    return float(_value("OPERATIONS_TICK_SECONDS", "60"))


def daily_summary_hour() -> int:
    """The hour (in TIME_ZONE) from which the day's summary is sent."""
    return int(_value("DAILY_SUMMARY_HOUR", "7"))


def alert_timeout() -> float:
    return float(_value("ALERT_TIMEOUT_SECONDS", "10"))
