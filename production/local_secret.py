"""The key a local installation signs sessions with, kept in var/ so `make run` never uses the
development default and sessions survive a restart."""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def ensure_local_secret_key(path: Path) -> str:
    """The key in `path`, created once (readable by the owner only)."""
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(key)
    return key
