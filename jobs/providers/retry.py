"""Backoff between retries: exponential growth capped, with full jitter so workers spread out."""

from __future__ import annotations

import random


def backoff_delays(
    max_retries: int,
    base: float = 0.5,
    cap: float = 8.0,
    rng: random.Random | None = None,
) -> list[float]:
    """Seconds to wait before each retry: uniform in [0, min(cap, base * 2**n)]."""
    draw = rng or random.Random()
    return [draw.uniform(0.0, min(cap, base * 2**n)) for n in range(max(0, max_retries))]


def permanent_cause(error: BaseException) -> BaseException | None:
    """The error in `error`'s chain marked `permanent` (the same input fails the same way
    every time: an unknown voice, a broken media file), or None when another attempt might
    succeed. A permanent error is worth reporting at once, not retrying."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        if getattr(current, "permanent", False) is True:
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None
