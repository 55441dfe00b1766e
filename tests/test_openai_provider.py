"""The OpenAI-compatible provider against a local server speaking the same protocol."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from jobs.providers import (
    OpenAICompatibleProvider,
    ProviderError,
    ProviderTimeout,
    TextRequest,
)
from tests.fake_openai_server import Delay, Empty, FakeOpenAIServer, Malformed, Reply, Status

REQUEST = TextRequest(
    messages=[
        {"role": "system", "content": "You write marketing copy."},
        {"role": "user", "content": "Improve this draft: Fresh bread every morning."},
    ],
    max_tokens=120,
    temperature=0.2,
    draft="Fresh bread every morning.",
)


@pytest.fixture(scope="module")
def server() -> Iterator[FakeOpenAIServer]:
    with FakeOpenAIServer() as running:
        yield running


@pytest.fixture(autouse=True)
def clean(server: FakeOpenAIServer) -> None:
    server.reset(default=Reply())


def provider_for(server: FakeOpenAIServer, **overrides: object) -> OpenAICompatibleProvider:
    options: dict[str, object] = {"api_key": "sk-test", "model": "gpt-4o-mini", "timeout": 2.0}
    options.update(overrides)
    return OpenAICompatibleProvider(server.base_url, **options)  # type: ignore[arg-type]


def test_it_returns_the_completion_with_its_usage_tokens(server: FakeOpenAIServer) -> None:
    server.script(Reply("Warm loaves at dawn.", prompt_tokens=41, completion_tokens=5))

    result = provider_for(server).call(REQUEST)

    assert result.text == "Warm loaves at dawn."
    assert (result.tokens_in, result.tokens_out) == (41, 5)
    assert result.model == "gpt-4o-mini"


def test_it_posts_the_model_messages_and_limits_with_a_bearer_key(
    server: FakeOpenAIServer,
) -> None:
    provider_for(server, model="local-llama").call(REQUEST)

    [received] = server.received
    assert received.path == "/v1/chat/completions"
    assert received.headers["Authorization"] == "Bearer sk-test"
    assert received.body == {
        "model": "local-llama",
        "messages": REQUEST.messages,
        "max_tokens": 120,
        "temperature": 0.2,
    }


def test_it_sends_no_authorization_header_without_a_key(server: FakeOpenAIServer) -> None:
    provider_for(server, api_key="").call(REQUEST)

    assert "Authorization" not in server.received[0].headers


def test_it_estimates_tokens_from_words_when_the_server_omits_usage(
    server: FakeOpenAIServer,
) -> None:
    server.script(Reply("one two three", usage=False))

    result = provider_for(server).call(REQUEST)

    assert result.tokens_out == 3
    assert result.tokens_in == 4 + 7  # Words of the system and the user message.


@pytest.mark.parametrize("status", [500, 502, 503, 429])
def test_it_marks_server_errors_and_throttling_as_retryable(
    server: FakeOpenAIServer, status: int
) -> None:
    server.script(Status(status, "upstream is busy"))

    with pytest.raises(ProviderError) as raised:
        provider_for(server).call(REQUEST)

    assert raised.value.retryable
    assert raised.value.status == status
    assert f"HTTP {status}" in str(raised.value)
    assert "upstream is busy" in str(raised.value)


@pytest.mark.parametrize("status", [400, 401, 403])
def test_it_marks_client_errors_as_final(server: FakeOpenAIServer, status: int) -> None:
    server.script(Status(status, "invalid api key"))

    with pytest.raises(ProviderError) as raised:
        provider_for(server).call(REQUEST)

    assert not raised.value.retryable
    assert f"HTTP {status}" in str(raised.value)


def test_it_raises_a_timeout_when_the_server_is_slower_than_the_limit(
    server: FakeOpenAIServer,
) -> None:
    server.script(Delay(2.0))

    with pytest.raises(ProviderTimeout) as raised:
        provider_for(server, timeout=0.2).call(REQUEST)

    assert raised.value.retryable
    assert "0.2s" in str(raised.value)


def test_it_rejects_a_body_that_is_not_json(server: FakeOpenAIServer) -> None:
    server.script(Malformed("<html>gateway</html>"))

    with pytest.raises(ProviderError) as raised:
        provider_for(server).call(REQUEST)

    assert not isinstance(raised.value, ProviderTimeout)
    assert "not a chat completion" in str(raised.value)
    assert "<html>gateway</html>" in str(raised.value)


def test_it_rejects_an_empty_completion(server: FakeOpenAIServer) -> None:
    server.script(Empty())

    with pytest.raises(ProviderError, match="empty completion"):
        provider_for(server).call(REQUEST)


def test_it_reports_an_unreachable_server_as_retryable() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        free_port = probe.getsockname()[1]
    provider = OpenAICompatibleProvider(f"http://127.0.0.1:{free_port}/v1", timeout=1.0)

    with pytest.raises(ProviderError) as raised:
        provider.call(REQUEST)

    assert raised.value.retryable
    assert "could not be reached" in str(raised.value)
