"""Operations routes: probes and metrics at the root, the operations pages under /operations/."""

from django.urls import include, path

from operations import budget_views, health_views, metrics_views, webhook_views

pages = [
    path("metrics/", metrics_views.metrics_dashboard, name="metrics"),
    path("<slug:slug>/budget/", budget_views.budget, name="budget"),
    path("<slug:slug>/webhooks/", webhook_views.endpoints, name="webhooks"),
    path(
        "<slug:slug>/webhooks/<int:endpoint_id>/",
        webhook_views.endpoint_detail,
        name="endpoint",
    ),
    path(
        "<slug:slug>/webhooks/<int:endpoint_id>/<slug:action>/",
        webhook_views.endpoint_action,
        name="endpoint_action",
    ),
    path(
        "<slug:slug>/webhooks/<int:endpoint_id>/deliveries/<int:delivery_id>/redeliver/",
        webhook_views.redeliver,
        name="redeliver",
    ),
]

urlpatterns = [
    path("healthz", health_views.healthz, name="healthz"),
    path("readyz", health_views.readyz, name="readyz"),
    path("metrics", health_views.metrics_view, name="metrics"),
    path("operations/", include((pages, "operations"))),
]
