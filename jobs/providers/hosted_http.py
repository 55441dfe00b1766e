"""One POST to a hosted provider, with its failures sorted into retryable and permanent errors."""

from __future__ import annotations

import http.client
import urllib.error
import urllib.request
from collections.abc import Mapping

from .base import ProviderError, ProviderTimeout

# Worth another try on the same provider: throttling, server trouble, request timeouts.
RETRYABLE_STATUSES = frozenset({408, 409, 429})


def excerpt(raw: bytes | str, limit: int = 200) -> str:
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "..."


def is_retryable_status(status: int) -> bool:
    return status in RETRYABLE_STATUSES or status >= 500


def post(
    name: str, url: str, body: bytes, headers: Mapping[str, str], timeout: float
) -> tuple[bytes, str]:
    """The response body and its content type; ProviderError (or ProviderTimeout) otherwise."""
    request = urllib.request.Request(url, data=body, headers=dict(headers), method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.read(), response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as exc:
        try:
            detail = excerpt(exc.read() or b"")
        except OSError:
            detail = ""
        raise ProviderError(
            f"{name} answered HTTP {exc.code}: {detail or exc.reason}",
            retryable=is_retryable_status(exc.code),
            status=exc.code,
        ) from exc
    except TimeoutError as exc:
        raise ProviderTimeout(f"{name} gave no answer within {timeout:g}s") from exc
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            raise ProviderTimeout(f"{name} gave no answer within {timeout:g}s") from exc
        raise ProviderError(
            f"{name} could not be reached at {url}: {exc.reason}", retryable=True
        ) from exc
    except (http.client.HTTPException, OSError) as exc:
        # Dropped or reset connections are usually transient.
        raise ProviderError(
            f"{name} connection failed: {type(exc).__name__}: {exc}", retryable=True
        ) from exc
