"""Safety bands: the score thresholds and the band a score falls in."""

from __future__ import annotations

from dataclasses import dataclass

BANDS: tuple[str, ...] = ("verified_safe", "safe", "review_needed", "safety_concerns")

BAND_LABELS: dict[str, str] = {
    "verified_safe": "Verified safe",
    "safe": "Safe",
    "review_needed": "Review needed",
    "safety_concerns": "Safety concerns",
}


@dataclass(frozen=True)
class Thresholds:
    """The lowest score of each band; anything below review_needed is a safety concern."""

    verified_safe: int = 95
    safe: int = 80
    review_needed: int = 60

    def __post_init__(self) -> None:
        if not 0 <= self.review_needed <= self.safe <= self.verified_safe <= 100:
            raise ValueError(
                "Thresholds must satisfy 0 <= review_needed <= safe <= verified_safe <= 100"
            )


DEFAULT_THRESHOLDS = Thresholds()


def band_for(score: int, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> str:
    if score >= thresholds.verified_safe:
        return "verified_safe"
    if score >= thresholds.safe:
        return "safe"
    if score >= thresholds.review_needed:
        return "review_needed"
    return "safety_concerns"
