"""The process-wide provider registry, built once from settings and the RQ Redis connection."""

from __future__ import annotations

from functools import lru_cache

import django_rq

from jobs.providers import ProviderRegistry, build_registry, provider_config_from_settings


@lru_cache(maxsize=1)
def registry() -> ProviderRegistry:
    return build_registry(provider_config_from_settings(), django_rq.get_connection("normal"))


def reset() -> None:
    """Forget the registry (tests change provider settings between cases)."""
    registry.cache_clear()
