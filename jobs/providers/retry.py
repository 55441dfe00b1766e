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
