"""Safety scoring and the truth layer: score_text gives a 0-100 score, a band, flags and verified."""

from approvals.safety.bands import BAND_LABELS, BANDS, DEFAULT_THRESHOLDS, Thresholds, band_for
from approvals.safety.flags import CATEGORIES, CATEGORY_LABELS, SEVERITIES, TRUTH_CATEGORIES, Flag
from approvals.safety.scorer import SEVERITY_WEIGHTS, SafetyReport, combine_reports, score_text

__all__ = [
    "BANDS",
    "BAND_LABELS",
    "CATEGORIES",
    "CATEGORY_LABELS",
    "DEFAULT_THRESHOLDS",
    "SEVERITIES",
    "SEVERITY_WEIGHTS",
    "TRUTH_CATEGORIES",
    "Flag",
    "SafetyReport",
    "Thresholds",
    "band_for",
    "combine_reports",
    "score_text",
]
