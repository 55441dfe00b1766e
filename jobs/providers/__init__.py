"""The provider layer: capability chains with retries, shared circuit breakers and cost records."""

from .base import (
    CAPABILITIES,
    AllProvidersFailed,
    Attempt,
    MediaResult,
    Provider,
    ProviderError,
    ProviderTimeout,
    TextResult,
)
from .breaker import CircuitBreaker
from .builtin import BuiltinMediaProvider, BuiltinTextProvider
from .chain import ChainResult, ProviderChain, ProvidersExhausted
from .config import DEFAULT_PRICES, provider_config_from_env, provider_config_from_settings
from .configured import ConfiguredProviders, configure_providers
from .elevenlabs_speech import ElevenLabsSpeechProvider
from .openai_compat import OpenAICompatibleProvider
from .openai_images import OpenAIImagesProvider
from .pricing import cost_for
from .requests import MediaRequest, TextRequest
from .specs import PROVIDER_SPECS, ProviderSpec, is_local

__all__ = [
    "CAPABILITIES",
    "DEFAULT_PRICES",
    "PROVIDER_SPECS",
    "AllProvidersFailed",
    "Attempt",
    "BuiltinMediaProvider",
    "BuiltinTextProvider",
    "ChainResult",
    "ConfiguredProviders",
    "CircuitBreaker",
    "ElevenLabsSpeechProvider",
    "MediaRequest",
    "MediaResult",
    "OpenAICompatibleProvider",
    "OpenAIImagesProvider",
    "Provider",
    "ProviderChain",
    "ProvidersExhausted",
    "ProviderError",
    "ProviderSpec",
    "ProviderTimeout",
    "TextRequest",
    "TextResult",
    "configure_providers",
    "cost_for",
    "is_local",
    "provider_config_from_env",
    "provider_config_from_settings",
]
