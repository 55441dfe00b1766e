"""A text provider for any server speaking the OpenAI chat-completions protocol."""

from __future__ import annotations

import http.client
import json
import urllib.error
import urllib.request
from typing import Any

from .base import ProviderError, ProviderTimeout, TextResult
from .builtin import count_words
from .requests import TextRequest

# Worth another try on the same provider: throttling, server trouble, request timeouts.
RETRYABLE_STATUSES = frozenset({408, 409, 429})


def _excerpt(raw: bytes | str, limit: int = 200) -> str:
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "..."


def is_retryable_status(status: int) -> bool:
    return status in RETRYABLE_STATUSES or status >= 500


class OpenAICompatibleProvider:
    """POSTs to {base_url}/chat/completions; works with hosted models and local model servers."""

    capability = "text"

    def __init__(
        self,
        base_url: str,
        api_key: str = "",
        model: str = "gpt-4o-mini",
        timeout: float = 30.0,
        name: str = "openai",
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.api_key = api_key
        self.model = model
        self.timeout = float(timeout)
        self.name = name

    @property
    def url(self) -> str:
        return f"{self.base_url}/chat/completions"

    def call(self, request: TextRequest) -> TextResult:
        payload = {
            "model": self.model,
            "messages": request.messages,
            "max_tokens": request.max_tokens,
            "temperature": request.temperature,
        }
        raw = self._post(json.dumps(payload).encode("utf-8"))
        return self._parse(raw, request)

    def _post(self, body: bytes) -> bytes:
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        http_request = urllib.request.Request(self.url, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(http_request, timeout=self.timeout) as response:
                return response.read()
        except urllib.error.HTTPError as exc:
            status = exc.code
            try:
                detail = _excerpt(exc.read() or b"")
            except OSError:
                detail = ""
            raise ProviderError(
                f"{self.name} answered HTTP {status}: {detail or exc.reason}",
                retryable=is_retryable_status(status),
                status=status,
            ) from exc
        except TimeoutError as exc:
            raise ProviderTimeout(f"{self.name} gave no answer within {self.timeout:g}s") from exc
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, TimeoutError):
                raise ProviderTimeout(
                    f"{self.name} gave no answer within {self.timeout:g}s"
                ) from exc
            raise ProviderError(
                f"{self.name} could not be reached at {self.url}: {exc.reason}", retryable=True
            ) from exc
        except (http.client.HTTPException, OSError) as exc:
            # Dropped or reset connections are usually transient.
            raise ProviderError(
                f"{self.name} connection failed: {type(exc).__name__}: {exc}", retryable=True
            ) from exc

    def _parse(self, raw: bytes, request: TextRequest) -> TextResult:
        try:
            data: Any = json.loads(raw)
            content = data["choices"][0]["message"]["content"]
        except (ValueError, KeyError, IndexError, TypeError) as exc:
            raise ProviderError(
                f"{self.name} sent a response that is not a chat completion: {_excerpt(raw)}"
            ) from exc
        if not isinstance(content, str) or not content.strip():
            raise ProviderError(f"{self.name} returned an empty completion: {_excerpt(raw)}")
        usage = data.get("usage") if isinstance(data, dict) else None
        usage = usage if isinstance(usage, dict) else {}
        # Some local servers omit usage; word counts keep the accounting roughly right.
        prompt_words = sum(count_words(str(m.get("content", ""))) for m in request.messages)
        return TextResult(
            text=content.strip(),
            tokens_in=_int(usage.get("prompt_tokens"), prompt_words),
            tokens_out=_int(usage.get("completion_tokens"), count_words(content)),
            # The configured model, not the served alias, so the price table matches.
            model=self.model,
        )


def _int(value: Any, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except (TypeError, ValueError):
        return default
