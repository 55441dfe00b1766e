"""Build each capability's provider chain from configuration, with breakers for hosted providers."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from typing import Any

from .base import CAPABILITIES, Provider
from .breaker import CircuitBreaker
from .builtin import BuiltinMediaProvider, BuiltinTextProvider
from .chain import ProviderChain
from .elevenlabs_speech import ElevenLabsSpeechProvider
from .limits import ConcurrencyLimit
from .openai_compat import OpenAICompatibleProvider
from .openai_images import OpenAIImagesProvider

logger = logging.getLogger(__name__)


def builtin_name(capability: str) -> str:
    return f"builtin-{capability}"


class ProviderRegistry:
    """The configured providers, their shared breakers and one chain per capability."""

    def __init__(
        self,
        providers: Mapping[str, Provider],
        chains: Mapping[str, list[str]],
        breakers: Mapping[str, CircuitBreaker],
        prices: Mapping[str, Any],
        sleep: Callable[[float], None] = time.sleep,
        limits: Mapping[str, ConcurrencyLimit] | None = None,
    ) -> None:
        self.providers = dict(providers)
        self.limits = dict(limits or {})
        self.chains = {cap: list(names) for cap, names in chains.items()}
        self.breakers = dict(breakers)
        self.prices = dict(prices)
        self.sleep = sleep

    def is_offline(self, capability: str) -> bool:
        """Only built-in (in-process) providers serve this capability: calls take milliseconds."""
        return all(name.startswith("builtin-") for name in self.chains.get(capability, ()))

    def chain(self, capability: str) -> ProviderChain:
        if capability not in self.chains:
            raise KeyError(f"unknown capability {capability!r}; known: {', '.join(self.chains)}")
        return ProviderChain(
            capability,
            [self.providers[name] for name in self.chains[capability]],
            breakers=self.breakers,
            prices=self.prices,
            sleep=self.sleep,
            limits=self.limits,
        )


def _hosted_providers(config: Mapping[str, Any]) -> dict[str, Provider]:
    hosted: dict[str, Provider] = {}
    openai = config.get("openai") or {}
    if openai.get("base_url"):
        hosted["openai"] = OpenAICompatibleProvider(
            base_url=openai["base_url"],
            api_key=openai.get("api_key") or "",
            model=openai.get("model") or "gpt-4o-mini",
            timeout=float(openai.get("timeout") or 30.0),
            max_retries=int(openai.get("max_retries", 2)),
        )
    images = config.get("openai_images") or {}
    if images.get("base_url"):
        hosted["openai-images"] = OpenAIImagesProvider(
            base_url=images["base_url"],
            api_key=images.get("api_key") or "",
            model=images.get("model") or "gpt-image-1",
            timeout=float(images.get("timeout") or 120.0),
            max_retries=int(images.get("max_retries", 2)),
        )
    speech = config.get("elevenlabs") or {}
    if speech.get("api_key") and speech.get("voice_id"):
        hosted["elevenlabs"] = ElevenLabsSpeechProvider(
            api_key=speech["api_key"],
            voice_id=speech["voice_id"],
            base_url=speech.get("base_url") or "https://api.elevenlabs.io",
            model=speech.get("model") or "eleven_multilingual_v2",
            timeout=float(speech.get("timeout") or 60.0),
            max_retries=int(speech.get("max_retries", 2)),
        )
    return hosted


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
    # The offline provider always closes the chain: a job can always be produced.
    if builtin_name(capability) not in names:
        names.append(builtin_name(capability))
    return names


def build_registry(
    config: Mapping[str, Any],
    redis_client: Any = None,
    sleep: Callable[[float], None] = time.sleep,
) -> ProviderRegistry:
    """Providers, chains and breakers from a config dict (see config.provider_config_from_env).

    Without a Redis client the chains run without breakers or concurrency limits.
    """
    providers: dict[str, Provider] = {"builtin-text": BuiltinTextProvider()}
    for capability in CAPABILITIES:
        if capability != "text":
            providers[builtin_name(capability)] = BuiltinMediaProvider(capability)
    providers.update(_hosted_providers(config))

    wanted = config.get("chains") or {}
    chains = {
        cap: _resolve_chain(cap, list(wanted.get(cap) or []), providers) for cap in CAPABILITIES
    }

    breakers: dict[str, CircuitBreaker] = {}
    limits: dict[str, ConcurrencyLimit] = {}
    if redis_client is not None:
        for name, limit in (config.get("concurrency") or {}).items():
            if name in providers and not name.startswith("builtin-"):
                limits[name] = ConcurrencyLimit(redis_client, name, int(limit))
        settings = config.get("breaker") or {}
        for name in providers:
            # Built-in providers run in-process and never go away; only hosted ones get breakers.
            if name.startswith("builtin-"):
                continue
            breakers[name] = CircuitBreaker(
                redis_client,
                name,
                failure_threshold=int(settings.get("failure_threshold", 5)),
                window_seconds=float(settings.get("window_seconds", 60)),
                cooldown_seconds=float(settings.get("cooldown_seconds", 30)),
            )
    return ProviderRegistry(
        providers, chains, breakers, config.get("prices") or {}, sleep=sleep, limits=limits
    )
