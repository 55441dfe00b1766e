"""A content security policy on every response: scripts, styles and media from this site only.

Pages carry no inline scripts, event handlers or style attributes, so an injected tag or
attribute in an output or a brief cannot run or restyle anything even if escaping ever slips.
Two staff-only places ship third-party pages with inline start-up code and styles: the API
documentation (Swagger UI, ReDoc; the static schema only) and django-rq's queue pages in the
admin. They get a policy that allows inline code, and nothing from other origins.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

_STRICT = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data: blob:",
    "media-src": "'self' blob:",
    "font-src": "'self' data:",
    "connect-src": "'self'",
    "worker-src": "'self' blob:",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
_INLINE = {
    **_STRICT,
    "script-src": "'self' 'unsafe-inline'",
    "style-src": "'self' 'unsafe-inline'",
}
INLINE_ALLOWED_PREFIXES = ("/api/docs/", "/api/redoc/", "/admin/django-rq/")


def _header(directives: dict[str, str]) -> str:
    return "; ".join(f"{name} {value}" for name, value in directives.items())


STRICT_POLICY = _header(_STRICT)
INLINE_POLICY = _header(_INLINE)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


def policy_for(path: str) -> str:
    return INLINE_POLICY if path.startswith(INLINE_ALLOWED_PREFIXES) else STRICT_POLICY


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", policy_for(request.path))
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
