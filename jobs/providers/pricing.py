"""Cost of one provider call from a price table; unknown providers and models cost nothing."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

_THOUSAND = Decimal(1000)
_MICRO = Decimal("0.000001")


def _decimal(value: Any) -> Decimal:
    # str() first so binary floats such as 0.00015 keep their written value.
    return Decimal(str(value)) if value is not None else Decimal(0)


def cost_for(
    provider: str,
    model: str,
    tokens_in: int,
    tokens_out: int,
    prices: Mapping[str, Any],
) -> float:
    """Price a call in USD, rounded to 6 decimal places.

    Entries are looked up as "provider:model", then "provider". An entry is either a number
    (a flat price per call) or a dict with any of input_per_1k, output_per_1k and per_call.
    """
    entry = prices.get(f"{provider}:{model}") if model else None
    if entry is None:
        entry = prices.get(provider)
    if entry is None:
        return 0.0
    try:
        if isinstance(entry, Mapping):
            total = (
                _decimal(entry.get("input_per_1k")) * Decimal(tokens_in) / _THOUSAND
                + _decimal(entry.get("output_per_1k")) * Decimal(tokens_out) / _THOUSAND
                + _decimal(entry.get("per_call"))
            )
        else:
            total = _decimal(entry)
        return float(total.quantize(_MICRO))
    except (InvalidOperation, TypeError, ValueError):
        # A malformed price must not fail a job; the call is recorded as free.
        return 0.0
