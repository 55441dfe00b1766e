"""A tunable read from Django settings, else the environment, else a default."""

from __future__ import annotations

import os

from django.conf import settings


def tunable(name: str, default: str) -> str:
    """The setting's value as text; 0 and False are values, only None and "" are absent."""
    value = getattr(settings, name, None)
    if value is None or value == "":
        value = os.environ.get(name) or default
    return str(value)
