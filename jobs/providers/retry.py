"""Which provider errors are permanent: the same input fails the same way on every attempt."""

from __future__ import annotations


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
