"""Request rate limits per API token (or per user for session callers), 429 with Retry-After."""

from __future__ import annotations

from typing import Any

from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from production.models import ApiToken

DEFAULT_RATE = "600/min"


class TokenRateThrottle(SimpleRateThrottle):
    """Each token has its own budget, so one integration cannot starve another of the same user.

    The rate is REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["api"] (env API_THROTTLE_RATE), read
    per request so that settings overrides apply. Counts live in Django's default cache.
    """

    scope = "api"

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
