"""Scores text for a client: the scorer with the client's facts, testimonials and thresholds."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from approvals.safety import SafetyReport, Thresholds, band_for, combine_reports, score_text
from production.models import Client


def thresholds_for(client: Client) -> Thresholds:
    return Thresholds(
        verified_safe=client.threshold_verified_safe,
        safe=client.threshold_safe,
        review_needed=client.threshold_review,
    )


def testimonial_quotes(client: Client) -> list[str]:
    quotes = []
    for item in client.approved_testimonials or []:
        quote = item.get("quote", "") if isinstance(item, dict) else str(item)
        if quote:
            quotes.append(quote)
    return quotes


def score_for_client(text: str, client: Client | None) -> SafetyReport:
    if client is None:
        return score_text(text)
    return score_text(
        text,
        facts=list(client.verified_facts or []),
        testimonials=testimonial_quotes(client),
        thresholds=thresholds_for(client),
        competitors=list(client.competitors or []),
    )


def rollup(outputs: Iterable[Any], client: Client) -> dict[str, Any]:
    """A job's safety: its lowest output score, verified only if every scored output is."""
    scored = [o for o in outputs if o.safety_score is not None]
    if not scored:
        return {"score": None, "band": "", "verified": False, "flags": []}
    score = min(o.safety_score for o in scored)
    flags = []
    for output in scored:
        for flag in output.safety_flags or []:
            flags.append({**flag, "output": output.key or output.title, "output_id": output.pk})
    return {
        "score": score,
        "band": band_for(score, thresholds_for(client)),
        "verified": all(o.truth_verified for o in scored),
        "flags": flags,
    }


__all__ = ["combine_reports", "rollup", "score_for_client", "thresholds_for", "testimonial_quotes"]
