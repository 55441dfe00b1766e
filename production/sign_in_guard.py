"""Failed sign-ins counted per account and per address: too many lock sign-in for a while.

Counts live in the cache (Redis), so every web process sees the same figures. When the cache
is unreachable sign-in still works, unguarded, and the outage is logged: locking everyone out
because Redis blinked would be worse than a few unthrottled guesses.
"""

from __future__ import annotations

import hashlib
import logging
import math
import time

from django.core.cache import cache
from django.http import HttpRequest

log = logging.getLogger(__name__)

WINDOW_SECONDS = 15 * 60
LOCK_SECONDS = 15 * 60
MAX_FAILURES_PER_ACCOUNT = 5
# Higher: several people may share an office's address.
MAX_FAILURES_PER_ADDRESS = 20


def client_address(request: HttpRequest | None) -> str:
    """The peer's address (set by gunicorn, or by the proxy middleware in front of it)."""
    if request is None:
        return "unknown"
    return request.META.get("REMOTE_ADDR") or "unknown"


def _account_key(account: str) -> str:
    # Hashed: a username may hold any character, and keys should be plain ASCII.
    digest = hashlib.sha256(account.strip().lower()[:150].encode()).hexdigest()[:32]
    return f"signin:acct:{digest}"


def _subjects(address: str, account: str | None) -> list[tuple[str, int]]:
    subjects = [(f"signin:addr:{address}", MAX_FAILURES_PER_ADDRESS)]
    if account:
        subjects.append((_account_key(account), MAX_FAILURES_PER_ACCOUNT))
    return subjects


def seconds_locked(address: str, account: str | None = None) -> int:
    """How long sign-in stays refused for this address or account (0: it is not)."""
    try:
        until = cache.get_many([f"{key}:locked" for key, _ in _subjects(address, account)])
    except Exception:  # noqa: BLE001 - any cache failure: degrade, do not lock out
        log.warning("sign-in guard: cache unreachable; sign-in is not throttled", exc_info=True)
        return 0
    remaining = max((float(value) - time.time() for value in until.values()), default=0.0)
    return max(0, math.ceil(remaining))


def record_failure(address: str, account: str | None = None) -> int:
    """Count a failed attempt; returns how long sign-in is now locked (0 if it is not)."""
    try:
        locked = 0
        for key, limit in _subjects(address, account):
            cache.add(key, 0, WINDOW_SECONDS)
            if cache.incr(key) >= limit:
                cache.set(f"{key}:locked", time.time() + LOCK_SECONDS, LOCK_SECONDS)
                cache.delete(key)
                locked = LOCK_SECONDS
        if locked:
            log.warning("sign-in locked for %s / %s after repeated failures", address, account)
        return locked
    except Exception:  # noqa: BLE001
        log.warning("sign-in guard: cache unreachable; failure not counted", exc_info=True)
        return 0


def record_success(account: str) -> None:
    """A right password clears the account's count (not the address's: guessing goes on)."""
    try:
        cache.delete(_account_key(account))
    except Exception:  # noqa: BLE001
        log.warning("sign-in guard: cache unreachable", exc_info=True)


def lock_message(seconds: int) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    unit = "minute" if minutes == 1 else "minutes"
    return (
        f"Too many failed sign-ins. For your security, sign-in is paused for {minutes} {unit}; "
        "try again then, or ask your administrator to reset your password."
    )
