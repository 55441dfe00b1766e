"""The one place providers are declared: what each serves, how it is built, whether it is local.

Adding a provider means writing its adapter in this package (a class with `name`,
`capability` and `call`) and adding a ProviderSpec to SPECS below: its settings section, how it
is built from that section, its default concurrency limit and its prices. Chains name providers
by spec name (TEXT_PROVIDERS=openai,builtin-text); `local` says a provider runs in this process
without the network, which is what "offline" means, what needs no breaker or limit, and what
closes every chain so a job can always be produced.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from .base import CAPABILITIES, Provider
from .builtin import BuiltinMediaProvider, BuiltinTextProvider
from .elevenlabs_speech import ElevenLabsSpeechProvider
from .openai_compat import OpenAICompatibleProvider
from .openai_images import OpenAIImagesProvider

# Builds the provider from its settings section, or None when it is not configured.
Build = Callable[[Mapping[str, Any]], Provider | None]
# Reads the provider's settings section from environment variables.
FromEnv = Callable[[Mapping[str, str]], dict[str, Any]]


def env_number(environ: Mapping[str, str], name: str, default: float) -> float:
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return float(raw)
    except ValueError:
        raise ValueError(f"{name} must be a number, got {raw!r}") from None


@dataclass(frozen=True)
class ProviderSpec:
    """One provider: its name in chains, its capability and how it comes to exist."""

    name: str
    capability: str
    build: Build
    # Runs in this process without the network: always available, free and fast.
    local: bool = False
    # The key of its section in the provider config (settings.PROVIDERS or the environment).
    settings_key: str = ""
    from_env: FromEnv | None = None
    # Calls in flight allowed by default, counted across every worker (None: no limit).
    concurrency: int | None = None
    # Price table entries, "name:model" -> price (see pricing.cost_for); local ones are free.
    prices: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.capability not in CAPABILITIES:
            raise ValueError(f"provider {self.name!r}: unknown capability {self.capability!r}")


def _openai_env(env: Mapping[str, str]) -> dict[str, Any]:
    return {
        "base_url": env.get("OPENAI_BASE_URL", "").strip(),
        "api_key": env.get("OPENAI_API_KEY", ""),
        "model": env.get("OPENAI_MODEL", "").strip() or "gpt-4o-mini",
        "timeout": env_number(env, "PROVIDER_TIMEOUT", 30.0),
    }


def _openai_images_env(env: Mapping[str, str]) -> dict[str, Any]:
    # The text server's URL and key serve unless the images endpoint has its own.
    return {
        "base_url": env.get("OPENAI_IMAGES_BASE_URL", "").strip()
        or env.get("OPENAI_BASE_URL", "").strip(),
        "api_key": env.get("OPENAI_IMAGES_API_KEY", "") or env.get("OPENAI_API_KEY", ""),
        "model": env.get("OPENAI_IMAGE_MODEL", "").strip() or "gpt-image-1",
        "timeout": env_number(env, "IMAGE_PROVIDER_TIMEOUT", 120.0),
    }


def _elevenlabs_env(env: Mapping[str, str]) -> dict[str, Any]:
    return {
        "base_url": env.get("ELEVENLABS_BASE_URL", "").strip() or "https://api.elevenlabs.io",
        "api_key": env.get("ELEVENLABS_API_KEY", ""),
        "voice_id": env.get("ELEVENLABS_VOICE_ID", "").strip(),
        "model": env.get("ELEVENLABS_MODEL", "").strip() or "eleven_multilingual_v2",
        "timeout": env_number(env, "SPEECH_PROVIDER_TIMEOUT", 60.0),
    }


def _openai(section: Mapping[str, Any]) -> Provider | None:
    if not section.get("base_url"):
        return None
    return OpenAICompatibleProvider(
        base_url=section["base_url"],
        api_key=section.get("api_key") or "",
        model=section.get("model") or "gpt-4o-mini",
        timeout=float(section.get("timeout") or 30.0),
    )


def _openai_images(section: Mapping[str, Any]) -> Provider | None:
    if not section.get("base_url"):
        return None
    return OpenAIImagesProvider(
        base_url=section["base_url"],
        api_key=section.get("api_key") or "",
        model=section.get("model") or "gpt-image-1",
        timeout=float(section.get("timeout") or 120.0),
    )


def _elevenlabs(section: Mapping[str, Any]) -> Provider | None:
    if not (section.get("api_key") and section.get("voice_id")):
        return None
    return ElevenLabsSpeechProvider(
        api_key=section["api_key"],
        voice_id=section["voice_id"],
        base_url=section.get("base_url") or "https://api.elevenlabs.io",
        model=section.get("model") or "eleven_multilingual_v2",
        timeout=float(section.get("timeout") or 60.0),
    )


def _build_builtin(capability: str, section: Mapping[str, Any]) -> Provider:
    name = f"builtin-{capability}"
    if capability == "text":
        return BuiltinTextProvider(name)
    return BuiltinMediaProvider(capability, name)


def _builtin(capability: str) -> ProviderSpec:
    name = f"builtin-{capability}"
    build = partial(_build_builtin, capability)
    return ProviderSpec(name, capability, build, local=True, prices={name: 0})


SPECS: tuple[ProviderSpec, ...] = (
    *(_builtin(capability) for capability in CAPABILITIES),
    ProviderSpec(
        "openai",
        "text",
        _openai,
        settings_key="openai",
        from_env=_openai_env,
        concurrency=64,
        # USD per 1,000 tokens.
        prices={
            "openai:gpt-4o-mini": {"input_per_1k": 0.00015, "output_per_1k": 0.0006},
            "openai:gpt-4o": {"input_per_1k": 0.0025, "output_per_1k": 0.01},
            "openai:gpt-4.1-mini": {"input_per_1k": 0.0004, "output_per_1k": 0.0016},
            "openai:gpt-4.1": {"input_per_1k": 0.002, "output_per_1k": 0.008},
        },
    ),
    ProviderSpec(
        "openai-images",
        "image",
        _openai_images,
        settings_key="openai_images",
        from_env=_openai_images_env,
        concurrency=8,
        # Billed per picture.
        prices={
            "openai-images:gpt-image-1": {"per_call": 0.04},
            "openai-images:dall-e-3": {"per_call": 0.04},
        },
    ),
    ProviderSpec(
        "elevenlabs",
        "speech",
        _elevenlabs,
        settings_key="elevenlabs",
        from_env=_elevenlabs_env,
        concurrency=4,
        # USD per 1,000 characters read.
        prices={
            "elevenlabs:eleven_multilingual_v2": {"input_per_1k": 0.3},
            "elevenlabs:eleven_flash_v2_5": {"input_per_1k": 0.15},
        },
    ),
)

# The registry itself: tests add a spec with monkeypatch.setitem.
PROVIDER_SPECS: dict[str, ProviderSpec] = {spec.name: spec for spec in SPECS}


def is_local(name: str) -> bool:
    """Whether the named provider runs in this process (unknown names are not local)."""
    spec = PROVIDER_SPECS.get(name)
    return bool(spec and spec.local)


def local_provider_for(capability: str) -> str:
    """The name of the local provider that closes every chain of this capability."""
    for spec in PROVIDER_SPECS.values():
        if spec.local and spec.capability == capability:
            return spec.name
    raise LookupError(f"no local provider serves {capability!r}")


def default_prices() -> dict[str, Any]:
    return {key: price for spec in PROVIDER_SPECS.values() for key, price in spec.prices.items()}


def default_concurrency() -> dict[str, int]:
    return {
        spec.name: spec.concurrency
        for spec in PROVIDER_SPECS.values()
        if spec.concurrency is not None
    }
