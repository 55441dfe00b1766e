"""Cost of one provider call from a price table.

A call whose provider and model have no (valid) price is recorded at $0 *and* marked unpriced
on its attempt (see chain.py), so totals never pass an unknown cost off as free.
"""

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
    """Price a call in USD, rounded to 6 decimal places; 0 when it has no price."""
    price = price_of(provider, model, tokens_in, tokens_out, prices)
    return 0.0 if price is None else price


def is_priced(provider: str, model: str, prices: Mapping[str, Any]) -> bool:
    return price_of(provider, model, 0, 0, prices) is not None


def price_of(
    provider: str,
    model: str,
    tokens_in: int,
    tokens_out: int,
    prices: Mapping[str, Any],
) -> float | None:
    """Price a call in USD, or None when the table has no valid price for it.

    Entries are looked up as "provider:model", then "provider". An entry is either a number
    (a flat price per call) or a dict with any of input_per_1k, output_per_1k and per_call.
    """
    entry = prices.get(f"{provider}:{model}") if model else None
    if entry is None:
        entry = prices.get(provider)
    if entry is None:
        return None
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
        # A malformed price must not fail a job; the call is recorded as unpriced.
        return None
