"""Operations settings read from Django settings, else the environment, else a default."""

from __future__ import annotations

from production.tunables import tunable


def _value(name: str, default: str) -> str:
    return tunable(name, default)


def tick_seconds() -> float:
    """How often alerts are evaluated (and the daily summary looked at)."""
    return float(_value("OPERATIONS_TICK_SECONDS", "60"))


def daily_summary_hour() -> int:
    """The hour (in TIME_ZONE) from which the day's summary is sent."""
    return int(_value("DAILY_SUMMARY_HOUR", "7"))


def alert_timeout() -> float:
    return float(_value("ALERT_TIMEOUT_SECONDS", "10"))


def retention_days(name: str, default: int) -> int:
    """Days an item of the retention policy is kept (0: for good), e.g. RETENTION_WEBHOOK_DAYS."""
    return max(0, int(_value(f"RETENTION_{name}_DAYS", str(default))))


def retention_hour() -> int:
    """The hour (in TIME_ZONE) from which the day's retention pass runs."""
    return int(_value("RETENTION_HOUR", "3"))
