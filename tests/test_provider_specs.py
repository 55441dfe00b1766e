"""Providers come from one registry of specs: a new one is built from settings and chained."""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any

import pytest

from jobs import provider_runtime
from jobs.providers import (
    PROVIDER_SPECS,
    ProviderSpec,
    TextRequest,
    TextResult,
    configure_providers,
    is_local,
    provider_config_from_env,
)

REQUEST = TextRequest(messages=[{"role": "user", "content": "Say it loud"}], draft="quiet words")


class Shouter:
    """A text provider that answers the draft in capitals, as a hosted model would answer."""

    capability = "text"
    timeout = 1.0

    def __init__(self, name: str, model: str) -> None:
        self.name = name
        self.model = model

    def call(self, request: TextRequest) -> TextResult:
        return TextResult(request.draft.upper(), tokens_in=1000, tokens_out=500, model=self.model)


def build_shouter(section: Mapping[str, Any], name: str = "shouter") -> Shouter | None:
    return Shouter(name, section["model"]) if section.get("model") else None


def shouter_env(env: Mapping[str, str]) -> dict[str, Any]:
    return {"model": env.get("SHOUTER_MODEL", "")}


def shouter_spec(*, local: bool = False, name: str = "shouter") -> ProviderSpec:
    return ProviderSpec(
        name,
        "text",
        partial(build_shouter, name=name),
        local=local,
        settings_key="shouter",
        from_env=shouter_env,
        concurrency=3,
        prices={f"{name}:loud-1": {"input_per_1k": 0.01, "output_per_1k": 0.02}},
    )


@pytest.fixture
def shouter(monkeypatch):
    """A provider that exists only in this test, added to the registry and nowhere else."""
    spec = shouter_spec()
    monkeypatch.setitem(PROVIDER_SPECS, "shouter", spec)
    return spec


def test_a_new_spec_is_read_from_the_environment_and_chained_for_its_capability(shouter):
    config = provider_config_from_env({"SHOUTER_MODEL": "loud-1", "TEXT_PROVIDERS": "shouter"})
    assert config["shouter"] == {"model": "loud-1"}
    assert config["concurrency"]["shouter"] == 3

    providers = configure_providers(config)
    chain = providers.chain("text")
    assert chain.names == ["shouter", "builtin-text"]
    result = chain.call(REQUEST)
    assert (result.provider, result.value.text) == ("shouter", "QUIET WORDS")
    # Priced from the spec: 1,000 tokens in at 0.01 and 500 out at 0.02 per 1,000.
    assert result.attempts[0].cost_usd == pytest.approx(0.02)
    assert not result.attempts[0].unpriced
    assert not providers.is_offline("text")
    assert providers.chain("image").names == ["builtin-image"]


def test_a_new_spec_not_configured_is_skipped_and_the_local_provider_answers(shouter):
    config = provider_config_from_env({"TEXT_PROVIDERS": "shouter"})
    chain = configure_providers(config).chain("text")
    assert chain.names == ["builtin-text"]
    assert chain.call(REQUEST).value.text == "quiet words"


def test_the_running_process_builds_a_new_spec_from_django_settings(shouter, settings):
    settings.PROVIDERS = {"chains": {"text": ["shouter"]}, "shouter": {"model": "loud-1"}}
    provider_runtime.reset()
    try:
        result = provider_runtime.configured_providers().chain("text").call(REQUEST)
    finally:
        provider_runtime.reset()
    assert result.provider == "shouter"
    assert result.value.text == "QUIET WORDS"


def test_a_hosted_spec_gets_a_shared_breaker_and_limit(shouter, scratch_redis):
    config = provider_config_from_env({"SHOUTER_MODEL": "loud-1", "TEXT_PROVIDERS": "shouter"})
    providers = configure_providers(config, scratch_redis)
    assert "shouter" in providers.breakers
    assert providers.limits["shouter"].limit == 3
    assert "builtin-text" not in providers.breakers and "builtin-text" not in providers.limits


def test_the_local_flag_not_the_name_decides_what_offline_means(monkeypatch, scratch_redis):
    config = {"chains": {"text": ["builtin-shouter"]}, "shouter": {"model": "loud-1"}}

    # Named like a built-in but declared hosted: it is not offline and gets a breaker.
    monkeypatch.setitem(PROVIDER_SPECS, "builtin-shouter", shouter_spec(name="builtin-shouter"))
    hosted = configure_providers(config, scratch_redis)
    assert hosted.chain("text").names == ["builtin-shouter", "builtin-text"]
    assert not hosted.is_offline("text")
    assert not is_local("builtin-shouter")
    assert "builtin-shouter" in hosted.breakers

    # The same provider declared local: the chain is offline and needs no breaker or limit.
    local = shouter_spec(name="builtin-shouter", local=True)
    monkeypatch.setitem(PROVIDER_SPECS, "builtin-shouter", local)
    offline = configure_providers({**config, "concurrency": {"builtin-shouter": 2}}, scratch_redis)
    assert offline.is_offline("text")
    assert is_local("builtin-shouter")
    assert "builtin-shouter" not in offline.breakers
    assert "builtin-shouter" not in offline.limits


def test_the_built_in_specs_are_local_and_free_and_hosted_ones_are_not():
    for capability in ("text", "image", "speech", "music", "render"):
        spec = PROVIDER_SPECS[f"builtin-{capability}"]
        assert spec.local and spec.capability == capability
        assert spec.prices == {spec.name: 0}
    for name in ("openai", "openai-images", "elevenlabs"):
        assert not PROVIDER_SPECS[name].local
        assert PROVIDER_SPECS[name].concurrency
    assert configure_providers(provider_config_from_env({})).is_offline("text")


def test_a_spec_refuses_an_unknown_capability():
    with pytest.raises(ValueError, match="unknown capability 'smell'"):
        ProviderSpec("nose", "smell", build_shouter)


def test_a_spec_whose_provider_answers_to_another_name_is_refused(monkeypatch):
    spec = shouter_spec(name="shouter")
    monkeypatch.setitem(PROVIDER_SPECS, "loud", spec)
    with pytest.raises(ValueError, match="provider spec 'loud' built a provider named 'shouter'"):
        configure_providers({"shouter": {"model": "loud-1"}})
