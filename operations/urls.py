"""Operations routes: probes and metrics at the root, the operations pages under /operations/."""

from django.urls import path

from operations import health_views

urlpatterns = [
    path("healthz", health_views.healthz, name="healthz"),
    path("readyz", health_views.readyz, name="readyz"),
    path("metrics", health_views.metrics_view, name="metrics"),
]
