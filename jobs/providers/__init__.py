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
from .chain import ChainResult, ProviderChain
from .config import DEFAULT_PRICES, provider_config_from_env, provider_config_from_settings
from .elevenlabs_speech import ElevenLabsSpeechProvider
from .openai_compat import OpenAICompatibleProvider
from .openai_images import OpenAIImagesProvider
from .pricing import cost_for
from .registry import ProviderRegistry, build_registry
from .requests import MediaRequest, TextRequest
from .retry import backoff_delays

__all__ = [
    "CAPABILITIES",
    "DEFAULT_PRICES",
    "AllProvidersFailed",
    "Attempt",
    "BuiltinMediaProvider",
    "BuiltinTextProvider",
    "ChainResult",
    "CircuitBreaker",
    "ElevenLabsSpeechProvider",
    "MediaRequest",
    "MediaResult",
    "OpenAICompatibleProvider",
    "OpenAIImagesProvider",
    "Provider",
    "ProviderChain",
    "ProviderError",
    "ProviderRegistry",
    "ProviderTimeout",
    "TextRequest",
    "TextResult",
    "backoff_delays",
    "build_registry",
    "cost_for",
    "provider_config_from_env",
    "provider_config_from_settings",
]
