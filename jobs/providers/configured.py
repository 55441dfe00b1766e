"""The configured providers: built from their specs and the config, one chain per capability."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from .base import CAPABILITIES, Provider
from .breaker import CircuitBreaker
from .chain import ProviderChain
from .limits import ConcurrencyLimit
from .specs import PROVIDER_SPECS, is_local, local_provider_for

logger = logging.getLogger(__name__)


class ConfiguredProviders:
    """The providers this process may call, their shared breakers and limits, and the chains."""

    def __init__(
        self,
        providers: Mapping[str, Provider],
        chains: Mapping[str, list[str]],
        breakers: Mapping[str, CircuitBreaker],
        prices: Mapping[str, Any],
        limits: Mapping[str, ConcurrencyLimit] | None = None,
    ) -> None:
        self.providers = dict(providers)
        self.limits = dict(limits or {})
        self.chains = {cap: list(names) for cap, names in chains.items()}
        self.breakers = dict(breakers)
        self.prices = dict(prices)

    def is_offline(self, capability: str) -> bool:
        """Only local providers serve this capability: calls take milliseconds, no network."""
        return all(is_local(name) for name in self.chains.get(capability, ()))

    def chain(self, capability: str) -> ProviderChain:
        if capability not in self.chains:
            raise KeyError(f"unknown capability {capability!r}; known: {', '.join(self.chains)}")
        return ProviderChain(
            capability,
            [self.providers[name] for name in self.chains[capability]],
            breakers=self.breakers,
            prices=self.prices,
            limits=self.limits,
        )


def _build_providers(config: Mapping[str, Any]) -> dict[str, Provider]:
    """Every provider whose spec can be built from the config (local ones always can)."""
    providers: dict[str, Provider] = {}
    for name, spec in PROVIDER_SPECS.items():
        provider = spec.build(config.get(spec.settings_key) or {})
        if provider is None:
            continue
        # Chains, breakers, limits and prices all go by the name: one name for one provider.
        if provider.name != name:
            raise ValueError(f"provider spec {name!r} built a provider named {provider.name!r}")
        providers[name] = provider
    return providers


def _resolve_chain(
    capability: str, wanted: list[str], providers: Mapping[str, Provider]
) -> list[str]:
    names: list[str] = []
    for name in wanted:
        provider = providers.get(name)
        if provider is None:
            logger.warning("%s provider %r is not configured; skipping it", capability, name)
        elif provider.capability != capability:
            logger.warning("provider %r serves %s, not %s", name, provider.capability, capability)
        elif name not in names:
            names.append(name)
    # The local provider always closes the chain: a job can always be produced.
    local = local_provider_for(capability)
    if local not in names:
        names.append(local)
    return names


def configure_providers(
    config: Mapping[str, Any],
    redis_client: Any = None,
) -> ConfiguredProviders:
    """Providers, chains, breakers and limits from a config dict (config.provider_config_from_env).

    Without a Redis client the chains run without breakers or concurrency limits; local
    providers never get either, since they run in this process and never go away.
    """
    providers = _build_providers(config)
    wanted = config.get("chains") or {}
    chains = {
        cap: _resolve_chain(cap, list(wanted.get(cap) or []), providers) for cap in CAPABILITIES
    }
    breakers: dict[str, CircuitBreaker] = {}
    limits: dict[str, ConcurrencyLimit] = {}
    if redis_client is not None:
        for name, limit in (config.get("concurrency") or {}).items():
            if name in providers and not is_local(name):
                limits[name] = ConcurrencyLimit(redis_client, name, int(limit))
        settings = config.get("breaker") or {}
        for name in providers:
            if is_local(name):
                continue
            breakers[name] = CircuitBreaker(
                redis_client,
                name,
                failure_threshold=int(settings.get("failure_threshold", 5)),
                window_seconds=float(settings.get("window_seconds", 60)),
                cooldown_seconds=float(settings.get("cooldown_seconds", 30)),
            )
    return ConfiguredProviders(
        providers, chains, breakers, config.get("prices") or {}, limits=limits
    )
