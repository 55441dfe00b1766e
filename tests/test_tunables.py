"""Tunables: a setting of 0 is a value (midnight, off), not a fall-back to the default."""

from __future__ import annotations

from production.tunables import tunable


def test_zero_is_a_value_and_only_none_or_empty_fall_back(settings, monkeypatch):
    monkeypatch.setenv("SOME_HOUR", "5")
    settings.SOME_HOUR = 0
    assert tunable("SOME_HOUR", "3") == "0"

    settings.SOME_HOUR = None
    assert tunable("SOME_HOUR", "3") == "5"

    settings.SOME_HOUR = ""
    monkeypatch.delenv("SOME_HOUR")
    assert tunable("SOME_HOUR", "3") == "3"
