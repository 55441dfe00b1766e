"""Provider configuration from environment variables, with a default price table."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from .specs import (
    PROVIDER_SPECS,
    default_concurrency,
    default_prices,
    env_number,
    local_provider_for,
)

# Each provider's prices come from its spec; settings.PROVIDER_PRICES may add or override.
DEFAULT_PRICES: dict[str, Any] = default_prices()

_CHAIN_VARIABLES = {
    "text": "TEXT_PROVIDERS",
    "image": "IMAGE_PROVIDERS",
    "speech": "SPEECH_PROVIDERS",
    "music": "MUSIC_PROVIDERS",
    "render": "RENDER_PROVIDERS",
}


def _limits(raw: str, defaults: Mapping[str, int]) -> dict[str, int]:
    """`openai=64,other=8` -> {"openai": 64, "other": 8}; the specs' limits when unset."""
    if not raw.strip():
        return dict(defaults)
    limits: dict[str, int] = {}
    for item in _names(raw):
        name, _, number = item.partition("=")
        if not number.strip().isascii() or not number.strip().isdecimal() or int(number) < 1:
            raise ValueError(
                f"PROVIDER_CONCURRENCY entries look like name=number (at least 1), got {item!r}"
            )
        limits[name.strip()] = int(number)
    return limits


def _names(raw: str) -> list[str]:
    return [name.strip() for name in raw.split(",") if name.strip()]


# How hosted text models reply: "json" (validated against each output type's JSON Schema, see
# jobs/job_types/reply_schemas.py) or "text" (the finished copy as plain text).
REPLY_FORMATS = ("json", "text")


def reply_format(environ: Mapping[str, str] | None = None) -> str:
    """OPENAI_REPLY_FORMAT, "json" unless set."""
    env = os.environ if environ is None else environ
    value = (env.get("OPENAI_REPLY_FORMAT", "") or "json").strip().lower()
    if value not in REPLY_FORMATS:
        raise ValueError(
            f"OPENAI_REPLY_FORMAT must be one of {', '.join(REPLY_FORMATS)}, got {value!r}"
        )
    return value


def provider_config_from_env(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The config dict that configure_providers expects, read from `environ` (default os.environ)."""
    env = os.environ if environ is None else environ
    base_url = env.get("OPENAI_BASE_URL", "").strip()
    # Unset, a chain is its local provider, after the model server when one is configured.
    defaults = {capability: [local_provider_for(capability)] for capability in _CHAIN_VARIABLES}
    if base_url:
        defaults["text"].insert(0, "openai")
    chains = {
        capability: _names(env.get(variable, "")) or defaults[capability]
        for capability, variable in _CHAIN_VARIABLES.items()
    }
    return {
        "chains": chains,
        # Each provider's own section, read from the environment as its spec says.
        **{
            spec.settings_key: spec.from_env(env)
            for spec in PROVIDER_SPECS.values()
            if spec.settings_key and spec.from_env is not None
        },
        "prices": default_prices(),
        # Calls in flight per hosted provider, counted across every worker process.
        "concurrency": _limits(env.get("PROVIDER_CONCURRENCY", ""), default_concurrency()),
        "breaker": {
            "failure_threshold": int(env_number(env, "BREAKER_FAILURES", 5)),
            "window_seconds": env_number(env, "BREAKER_WINDOW", 60.0),
            "cooldown_seconds": env_number(env, "BREAKER_COOLDOWN", 30.0),
        },
    }


def provider_config_from_settings() -> dict[str, Any]:
    """settings.PROVIDERS when the project defines it, else the environment's config."""
    from django.conf import settings  # Lazy: the rest of the package stays free of Django.

    configured = getattr(settings, "PROVIDERS", None)
    if configured:
        return dict(configured)
    config = provider_config_from_env()
    prices = getattr(settings, "PROVIDER_PRICES", None)
    if prices:
        config["prices"] = {**config["prices"], **prices}
    return config
