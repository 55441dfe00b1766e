"""Probes for load balancers and orchestrators, and the Prometheus scrape endpoint."""

from __future__ import annotations

import hmac

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST

from operations import metrics, readiness
from production import tenant_scope


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Alive: the process answers. Touches nothing else, so a slow database never kills it."""
    return JsonResponse({"status": "alive"})


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    """Ready for traffic: 200 when every check passes, 503 naming the ones that failed."""
    checks = readiness.run_checks()
    failed = [check.name for check in checks if not check.ok]
    body = {
        "status": "not ready" if failed else "ready",
        "failed": failed,
        "checks": {check.name: check.as_dict() for check in checks},
    }
    return JsonResponse(body, status=503 if failed else 200)


@never_cache
@require_GET
def metrics_view(request: HttpRequest) -> HttpResponse:
    """Prometheus text format. With METRICS_TOKEN set, scrapers send it as a bearer token."""
    token = settings.METRICS_TOKEN
    if token:
        sent = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        if not hmac.compare_digest(sent.encode(), token.encode()):
            return HttpResponse("Unauthorized\n", status=401, content_type="text/plain")
    # Totals over every client (no client's rows are shown): read across tenants.
    with tenant_scope.system():
        body = metrics.render()
    return HttpResponse(body, content_type=CONTENT_TYPE_LATEST)
