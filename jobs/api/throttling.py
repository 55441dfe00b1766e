"""Request rate limits per API token (or per user for session callers), 429 with Retry-After.

The counts live in the cache (Redis). When the cache cannot be reached the API keeps
answering unthrottled rather than failing every call: an outage of the counters must not be
an outage of the API. The cache is tried again after OUTAGE_PAUSE_SECONDS, and the outage is
logged at most once per OUTAGE_LOG_SECONDS per process.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from redis.exceptions import RedisError
from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from production.models import ApiToken

DEFAULT_RATE = "600/min"
OUTAGE_PAUSE_SECONDS = 5.0
OUTAGE_LOG_SECONDS = 60.0

logger = logging.getLogger(__name__)


class CacheOutage:
    """When this process last found the cache unreachable, and when it last said so."""

    def __init__(self) -> None:
        self.failed_at = float("-inf")
        self.logged_at = float("-inf")

    def paused(self, now: float) -> bool:
        return now - self.failed_at < OUTAGE_PAUSE_SECONDS

    def record(self, error: Exception, now: float) -> None:
        self.failed_at = now
        if now - self.logged_at >= OUTAGE_LOG_SECONDS:
            self.logged_at = now
            logger.warning(
                "API throttling is off: the cache is unreachable (%s: %s). "
                "Requests are served unthrottled until it answers again.",
                type(error).__name__,
                error,
            )


outage = CacheOutage()


class TokenRateThrottle(SimpleRateThrottle):
    """Each token has its own budget, so one integration cannot starve another of the same user.

    The rate is REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["api"] (env API_THROTTLE_RATE), read
    per request so that settings overrides apply. Counts live in Django's default cache.
    """

    scope = "api"

    def allow_request(self, request: Request, view: Any) -> bool:
        now = time.monotonic()
        if outage.paused(now):
            return True
        try:
            return super().allow_request(request, view)
        except (RedisError, OSError) as error:
            outage.record(error, now)
            return True

    def get_rate(self) -> str | None:
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope, DEFAULT_RATE)

    def get_cache_key(self, request: Request, view: Any) -> str:
        if isinstance(request.auth, ApiToken):
            # The hash, not the row id: ids can be reused, a key never is.
            ident = f"token:{request.auth.key_hash[:20]}"
        elif request.user and request.user.is_authenticated:
            ident = f"user:{request.user.pk}"
        else:
            ident = f"anon:{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
