"""API routes: /api/v1/ (the REST API), the seed-shaped /api/production/... paths, and docs."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from jobs.api.docs import OfflineRedocView
from jobs.api.errors import api_not_found
from jobs.api.urls import seed_urlpatterns

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("redoc/", OfflineRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    path("v1/", include("approvals.api_urls")),
    path("v1/", include("publishing.api_urls")),
    path("v1/", include("jobs.api.urls")),
    *seed_urlpatterns,
    # Anything else under /api/ is a JSON 404 in the one error shape, not an HTML page.
    re_path(r"^.*$", api_not_found, name="api-not-found"),
]
