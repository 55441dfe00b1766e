"""This process's configured providers, built once from settings and the RQ Redis connection."""

from __future__ import annotations

from functools import lru_cache

from jobs.providers import ConfiguredProviders, configure_providers, provider_config_from_settings
from production.redis_connection import shared_redis


@lru_cache(maxsize=1)
def configured_providers() -> ConfiguredProviders:
    from operations.tracing import instrument_providers  # a span per call when tracing is on

    configured = configure_providers(provider_config_from_settings(), shared_redis())
    return instrument_providers(configured)


def reset() -> None:
    """Forget the configured providers (tests change provider settings between cases)."""
    configured_providers.cache_clear()
