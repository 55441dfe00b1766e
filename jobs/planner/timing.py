"""Scene timing: share a video's length between scenes so the durations sum exactly."""

from __future__ import annotations

import math

MIN_SCENE_SECONDS = 1.0
WORDS_PER_SECOND = 2.5  # an unhurried narration pace (150 words a minute)
SILENT_SCENE_SECONDS = 3.0


def max_scenes(total_seconds: float) -> int:
    """How many scenes fit in the video while each keeps the minimum length."""
    return max(1, int(total_seconds // MIN_SCENE_SECONDS))


def estimate_seconds(narration: str) -> float:
    """How long a scene wants to be for its narration to be read at an easy pace."""
    words = len(narration.split())
    return max(2.0, words / WORDS_PER_SECOND) if words else SILENT_SCENE_SECONDS


def allocate(
    weights: list[float], total_seconds: float, minimum: float = MIN_SCENE_SECONDS
) -> list[float]:
    """Durations proportional to weights, each at least `minimum`, summing to the total.

    Works in whole centiseconds with the largest-remainder rule, so the sum is exact and the
    result is the same on every run."""
    count = len(weights)
    if count == 0:
        return []
    total = round(total_seconds * 100)
    floor = min(round(minimum * 100), total // count)
    clean = [
        w if isinstance(w, int | float) and math.isfinite(w) and w > 0 else 0.0 for w in weights
    ]
    if sum(clean) <= 0:
        clean = [1.0] * count
    fixed: dict[int, int] = {}
    while True:
        free = [i for i in range(count) if i not in fixed]
        budget = total - sum(fixed.values())
        weight = sum(clean[i] for i in free)
        if weight <= 0:  # only zero weights left: they share the rest equally
            for i in free:
                clean[i] = 1.0
            weight = float(len(free))
        shares = {i: budget * clean[i] / weight for i in free}
        low = [i for i in free if shares[i] < floor]
        if not low:
            break
        for i in low:
            fixed[i] = floor
    whole = {i: math.floor(share) for i, share in shares.items()}
    left = budget - sum(whole.values())
    by_remainder = sorted(shares, key=lambda i: (-(shares[i] - whole[i]), i))
    for i in by_remainder[:left]:
        whole[i] += 1
    centis = [fixed.get(i, whole.get(i, 0)) for i in range(count)]
    return [c / 100 for c in centis]


def starts(durations: list[float]) -> list[float]:
    """Each scene's start: the sum of the durations before it, rounded to the millisecond."""
    out, clock = [], 0.0
    for duration in durations:
        out.append(round(clock, 3))
        clock += duration
    return out
