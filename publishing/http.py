"""HTTP for the connectors: one session, timeouts, and failures sorted into retry or give up."""

from __future__ import annotations

import email.utils
import time
from collections.abc import Callable
from typing import Any

import requests

from publishing import conf


class PublishError(Exception):
    """A failure written for a person. `transient` ones are retried; `auth` ones refresh first."""

    def __init__(
        self,
        message: str,
        *,
        transient: bool = False,
        auth: bool = False,
        retry_after: float | None = None,
        status: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.transient = transient
        self.auth = auth
        self.retry_after = retry_after
        self.status = status


def retry_after_seconds(response: requests.Response) -> float | None:
    """Retry-After as seconds or an HTTP date; None when absent or unreadable."""
    value = response.headers.get("Retry-After", "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    parsed = email.utils.parsedate_to_datetime(value) if "," in value else None
    return max(0.0, parsed.timestamp() - time.time()) if parsed else None


def session() -> requests.Session:
    s = requests.Session()
    s.headers["User-Agent"] = "production-engine-publishing/1"
    return s


def send(
    http: requests.Session,
    method: str,
    url: str,
    *,
    platform: str,
    explain: Callable[[requests.Response], str],
    ok: tuple[int, ...] = (200, 201),
    classify: Callable[[requests.Response], PublishError | None] | None = None,
    **kwargs: Any,
) -> requests.Response:
    """The response when its status is in `ok`; otherwise a PublishError that says why
    (`classify` first, for platforms whose error bodies say more than their status codes)."""
    kwargs.setdefault("timeout", conf.timeout())
    kwargs.setdefault("allow_redirects", False)
    try:
        response = http.request(method, url, **kwargs)
    except requests.Timeout:
        raise PublishError(f"{platform} did not answer in time.", transient=True) from None
    except requests.RequestException as exc:
        raise PublishError(
            f"{platform} could not be reached ({type(exc).__name__}).", transient=True
        ) from None
    if response.status_code in ok:
        return response
    special = classify(response) if classify else None
    raise special or failure(response, platform=platform, explain=explain)


def failure(
    response: requests.Response, *, platform: str, explain: Callable[[requests.Response], str]
) -> PublishError:
    code = response.status_code
    reason = explain(response)
    if code == 401:
        return PublishError(
            f"{platform} refused the credentials ({reason}).", auth=True, status=code
        )
    if code == 429:
        return PublishError(
            f"{platform} is limiting requests ({reason}); trying again later.",
            transient=True,
            retry_after=retry_after_seconds(response),
            status=code,
        )
    if code >= 500:
        return PublishError(
            f"{platform} had a problem on its side (HTTP {code}: {reason}).",
            transient=True,
            retry_after=retry_after_seconds(response),
            status=code,
        )
    return PublishError(f"{platform} refused the request (HTTP {code}): {reason}", status=code)


def json_or_empty(response: requests.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}
