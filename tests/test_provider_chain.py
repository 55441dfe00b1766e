"""Provider chains against a local OpenAI-compatible server and a real Redis: one try per
provider and fail-over (retrying is the step's policy), shared breakers, and the tokens and cost
recorded for every attempt."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
import redis
from django.db import connection, transaction

from jobs.providers import (
    DEFAULT_PRICES,
    AllProvidersFailed,
    Attempt,
    BuiltinMediaProvider,
    BuiltinTextProvider,
    ChainResult,
    CircuitBreaker,
    MediaRequest,
    OpenAICompatibleProvider,
    ProviderChain,
    ProvidersExhausted,
    TextRequest,
    TextResult,
    configure_providers,
    cost_for,
    provider_config_from_env,
)
from tests.fake_openai_server import Delay, FakeOpenAIServer, Reply, Status

DRAFT = "Fresh sourdough from Harbour Bakery, baked before sunrise every day."
REQUEST = TextRequest(
    messages=[{"role": "user", "content": f"Polish this draft: {DRAFT}"}],
    draft=DRAFT,
)


@pytest.fixture(scope="module")
def server() -> Iterator[FakeOpenAIServer]:
    with FakeOpenAIServer() as running:
        yield running


@pytest.fixture(autouse=True)
def clean_server(server: FakeOpenAIServer) -> None:
    server.reset(default=Reply())


def hosted(server: FakeOpenAIServer, **options: float) -> OpenAICompatibleProvider:
    settings = {"timeout": 2.0}
    settings.update(options)
    return OpenAICompatibleProvider(server.base_url, "sk-test", "gpt-4o-mini", **settings)  # type: ignore[arg-type]


def text_chain(
    server: FakeOpenAIServer,
    client: redis.Redis | None = None,
    threshold: int = 3,
    cooldown: float = 1.0,
    **options: float,
) -> ProviderChain:
    breakers = None
    if client is not None:
        breakers = {
            "openai": CircuitBreaker(
                client, "openai", failure_threshold=threshold, cooldown_seconds=cooldown
            )
        }
    return ProviderChain(
        "text",
        [hosted(server, **options), BuiltinTextProvider()],
        breakers=breakers,
        prices=DEFAULT_PRICES,
    )


def outcomes(result: ChainResult) -> list[tuple[str, int, str]]:
    return [(a.provider, a.attempt, a.outcome) for a in result.attempts]


def test_it_returns_the_hosted_text_with_tokens_and_cost_recorded(
    server: FakeOpenAIServer,
) -> None:
    server.script(Reply("Sourdough, still warm.", prompt_tokens=1000, completion_tokens=2000))

    result = text_chain(server).call(REQUEST)

    assert result.provider == "openai"
    assert result.value.text == "Sourdough, still warm."  # type: ignore[union-attr]
    [attempt] = result.attempts
    assert (attempt.outcome, attempt.tokens_in, attempt.tokens_out) == ("ok", 1000, 2000)
    # gpt-4o-mini: $0.00015 per 1k input tokens and $0.0006 per 1k output tokens.
    assert attempt.cost_usd == pytest.approx(0.00135)
    assert attempt.model == "gpt-4o-mini"
    assert attempt.duration_ms > 0
    assert result.cost_usd == pytest.approx(0.00135)
    assert result.calls == 1


def test_it_falls_through_to_the_builtin_writer_when_the_provider_times_out(
    server: FakeOpenAIServer,
) -> None:
    server.script(Delay(2.0))

    started = time.perf_counter()
    result = text_chain(server, timeout=0.2).call(REQUEST)

    assert time.perf_counter() - started < 1.5
    assert result.provider == "builtin-text"
    assert result.value.text == DRAFT  # type: ignore[union-attr]
    assert outcomes(result) == [("openai", 1, "timeout"), ("builtin-text", 1, "ok")]
    assert "no answer within 0.2s" in result.attempts[0].error


def test_a_server_error_fails_over_at_once_without_sleeping(server: FakeOpenAIServer) -> None:
    server.reset(default=Status(500, "overloaded"))

    started = time.perf_counter()
    result = text_chain(server).call(REQUEST)

    assert time.perf_counter() - started < 1.0
    assert server.request_count == 1
    assert outcomes(result) == [("openai", 1, "error"), ("builtin-text", 1, "ok")]
    assert "HTTP 500" in result.attempts[0].error


def test_throttling_with_no_other_provider_is_worth_a_later_attempt(
    server: FakeOpenAIServer,
) -> None:
    server.script(Status(429, "slow down"), Reply("Second time lucky."))
    chain = ProviderChain("text", [hosted(server)])

    with pytest.raises(ProvidersExhausted) as raised:
        chain.call(REQUEST)

    assert raised.value.retryable is True
    assert server.request_count == 1
    assert chain.call(REQUEST).provider == "openai"  # the step's next attempt


def test_an_unauthorised_request_is_not_worth_another_attempt(server: FakeOpenAIServer) -> None:
    server.reset(default=Status(401, "invalid api key"))

    with pytest.raises(ProvidersExhausted) as raised:
        ProviderChain("text", [hosted(server)]).call(REQUEST)

    assert raised.value.retryable is False
    assert server.request_count == 1
    assert "HTTP 401" in str(raised.value)


def test_it_opens_the_breaker_so_a_dead_provider_gets_no_more_requests(
    server: FakeOpenAIServer, scratch_redis: redis.Redis
) -> None:
    server.reset(default=Status(503, "down"))
    chain = text_chain(server, scratch_redis, threshold=3)

    for _ in range(3):
        assert chain.call(REQUEST).provider == "builtin-text"
    assert server.request_count == 3

    later = [chain.call(REQUEST) for _ in range(5)]

    assert server.request_count == 3
    for result in later:
        assert outcomes(result) == [("openai", 0, "circuit_open"), ("builtin-text", 1, "ok")]
        assert result.calls == 1


def test_it_lets_exactly_one_trial_through_after_the_cool_down_and_closes_on_success(
    server: FakeOpenAIServer, scratch_redis: redis.Redis, scratch_redis_url: str
) -> None:
    server.reset(default=Status(500, "down"))
    text_chain(server, scratch_redis, threshold=1, cooldown=0.5).call(REQUEST)
    assert server.request_count == 1
    time.sleep(0.6)
    # The provider recovers, and answers slowly enough for every caller to arrive meanwhile.
    server.reset(default=Reply("Back again.", delay=0.3))
    callers = 8
    chains = [
        text_chain(server, redis.Redis.from_url(scratch_redis_url), threshold=1, cooldown=0.5)
        for _ in range(callers)
    ]
    start = threading.Barrier(callers)
    results: list[ChainResult] = []
    lock = threading.Lock()

    def call(chain: ProviderChain) -> None:
        start.wait()
        result = chain.call(REQUEST)
        with lock:
            results.append(result)

    threads = [threading.Thread(target=call, args=(chain,)) for chain in chains]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert server.request_count == 1
    assert sorted(r.provider for r in results) == ["builtin-text"] * (callers - 1) + ["openai"]
    assert CircuitBreaker(scratch_redis, "openai").state() == "closed"
    assert text_chain(server, scratch_redis, threshold=1).call(REQUEST).provider == "openai"


def test_it_gives_a_half_open_trial_a_single_call_and_reopens_when_it_fails(
    server: FakeOpenAIServer, scratch_redis: redis.Redis
) -> None:
    server.reset(default=Status(500, "still down"))
    chain = text_chain(server, scratch_redis, threshold=1, cooldown=0.3)
    chain.call(REQUEST)
    assert server.request_count == 1
    time.sleep(0.4)

    result = chain.call(REQUEST)

    assert server.request_count == 2
    assert outcomes(result) == [("openai", 1, "error"), ("builtin-text", 1, "ok")]
    assert CircuitBreaker(scratch_redis, "openai").state() == "open"


def test_it_reports_each_attempt_as_it_happens(server: FakeOpenAIServer) -> None:
    server.script(Status(502, "bad gateway"))
    seen: list[Attempt] = []

    result = text_chain(server).call(REQUEST, on_attempt=seen.append)

    assert seen == result.attempts
    assert [a.as_dict()["outcome"] for a in seen] == ["error", "ok"]
    assert set(seen[0].as_dict()) == {
        "provider",
        "capability",
        "attempt",
        "outcome",
        "duration_ms",
        "tokens_in",
        "tokens_out",
        "cost_usd",
        "error",
        "model",
        "unpriced",
    }


def test_it_names_every_provider_and_reason_when_all_fail(server: FakeOpenAIServer) -> None:
    server.reset(default=Status(500, "boom"))
    chain = ProviderChain("text", [hosted(server), BuiltinTextProvider()])

    with pytest.raises(AllProvidersFailed) as raised:
        chain.call(TextRequest(messages=[{"role": "user", "content": "hi"}], draft=""))

    message = str(raised.value)
    assert "openai: error after 1 attempt(s) (openai answered HTTP 500" in message
    assert "builtin-text: error" in message
    assert "no draft" in message
    assert [a.provider for a in raised.value.attempts] == ["openai", "builtin-text"]


def test_the_builtin_writer_returns_the_draft_for_free() -> None:
    chain = ProviderChain("text", [BuiltinTextProvider()], prices=DEFAULT_PRICES)

    result = chain.call(REQUEST)

    assert result.value.text == DRAFT  # type: ignore[union-attr]
    [attempt] = result.attempts
    assert attempt.tokens_out == len(DRAFT.split())
    assert attempt.tokens_in == len(REQUEST.messages[0]["content"].split())
    assert attempt.cost_usd == 0


def test_the_builtin_media_provider_runs_the_renderer() -> None:
    png = b"\x89PNG\r\n\x1a\n-pixels"
    chain = ProviderChain("image", [BuiltinMediaProvider("image")])

    result = chain.call(MediaRequest("banner", {"width": 1200}, render=lambda: png))

    assert result.provider == "builtin-image"
    assert result.value.data == png  # type: ignore[union-attr]
    assert result.value.mime == "image/png"  # type: ignore[union-attr]


def test_it_falls_back_to_the_builtin_renderer_after_a_broken_one() -> None:
    def broken() -> bytes:
        raise RuntimeError("font missing")

    class Flaky(BuiltinMediaProvider):
        def call(self, request: MediaRequest):  # type: ignore[no-untyped-def]
            return super().call(MediaRequest(request.kind, request.params, broken))

    chain = ProviderChain("image", [Flaky("image", "flaky"), BuiltinMediaProvider("image")])

    result = chain.call(MediaRequest("logo", render=lambda: b"logo"))

    assert result.provider == "builtin-image"
    assert result.attempts[0].error == "font missing"  # words, never the exception's name


def test_the_registry_puts_the_hosted_provider_first_and_the_builtin_last(
    server: FakeOpenAIServer, scratch_redis: redis.Redis
) -> None:
    config = provider_config_from_env(
        {"OPENAI_BASE_URL": server.base_url, "OPENAI_API_KEY": "sk-test", "BREAKER_FAILURES": "2"}
    )
    registry = configure_providers(config, scratch_redis)
    server.script(Reply("From the registry.", prompt_tokens=10, completion_tokens=4))

    chain = registry.chain("text")
    result = chain.call(REQUEST)

    assert chain.names == ["openai", "builtin-text"]
    assert result.value.text == "From the registry."  # type: ignore[union-attr]
    assert registry.chain("image").names == ["builtin-image"]
    assert registry.breakers["openai"].failure_threshold == 2
    assert "builtin-text" not in registry.breakers


def test_the_registry_appends_builtins_and_skips_unconfigured_providers() -> None:
    config = provider_config_from_env({"TEXT_PROVIDERS": "openai", "IMAGE_PROVIDERS": "nope"})

    registry = configure_providers(config)

    assert config["chains"]["text"] == ["openai"]
    assert registry.chain("text").names == ["builtin-text"]
    assert registry.chain("image").names == ["builtin-image"]


def test_workers_with_separate_registries_share_one_breaker(
    server: FakeOpenAIServer, scratch_redis: redis.Redis, scratch_redis_url: str
) -> None:
    config = provider_config_from_env({"OPENAI_BASE_URL": server.base_url, "BREAKER_FAILURES": "2"})
    server.reset(default=Status(500, "down"))
    first = configure_providers(config, scratch_redis)
    second = configure_providers(config, redis.Redis.from_url(scratch_redis_url))

    first.chain("text").call(REQUEST)
    second.chain("text").call(REQUEST)
    result = first.chain("text").call(REQUEST)

    assert server.request_count == 2
    assert result.attempts[0].outcome == "circuit_open"


def test_the_config_reads_the_environment() -> None:
    config = provider_config_from_env(
        {
            "OPENAI_BASE_URL": "http://127.0.0.1:9/v1",
            "OPENAI_MODEL": "llama3",
            "PROVIDER_TIMEOUT": "4.5",
            "SPEECH_PROVIDERS": "builtin-speech, openai",
            "BREAKER_COOLDOWN": "12",
        }
    )

    assert config["chains"]["text"] == ["openai", "builtin-text"]
    assert config["chains"]["speech"] == ["builtin-speech", "openai"]
    assert config["openai"]["model"] == "llama3"
    assert config["openai"]["timeout"] == 4.5
    assert config["breaker"]["cooldown_seconds"] == 12
    with pytest.raises(ValueError, match="PROVIDER_TIMEOUT"):
        provider_config_from_env({"PROVIDER_TIMEOUT": "soon"})


def test_pricing_uses_the_model_then_the_provider_and_never_crashes() -> None:
    prices = {
        "openai:gpt-4o-mini": {"input_per_1k": 0.00015, "output_per_1k": 0.0006},
        "images-api": {"per_call": 0.03},
        "flat": 0.01,
        "broken": {"input_per_1k": "lots"},
    }

    assert cost_for("openai", "gpt-4o-mini", 1234, 567, prices) == 0.000525
    assert cost_for("images-api", "any", 0, 0, prices) == 0.03
    assert cost_for("flat", "", 5, 5, prices) == 0.01
    assert cost_for("openai", "unknown-model", 1000, 1000, prices) == 0.0
    assert cost_for("broken", "", 1000, 0, prices) == 0.0
    assert cost_for("builtin-text", "builtin", 100, 100, DEFAULT_PRICES) == 0.0


@pytest.mark.django_db(transaction=True)
def test_a_thread_waiting_on_a_hosted_provider_holds_no_database_connection() -> None:
    held: list[bool] = []

    class Remote:
        name, capability, timeout = "remote", "text", 1.0

        def call(self, request: TextRequest) -> TextResult:
            held.append(connection.connection is not None)
            return TextResult("From afar.")

    class Local(BuiltinTextProvider):
        def call(self, request: TextRequest) -> TextResult:  # type: ignore[override]
            held.append(connection.connection is not None)
            return super().call(request)  # type: ignore[return-value]

    connection.ensure_connection()
    ProviderChain("text", [Local()]).call(REQUEST)
    ProviderChain("text", [Remote()]).call(REQUEST)
    connection.ensure_connection()
    with transaction.atomic():  # a transaction keeps its connection
        ProviderChain("text", [Remote()]).call(REQUEST)

    assert held == [True, False, True]
