"""Publishing routes under /api/v1/ (mounted by production.api_urls)."""

from django.urls import path

from publishing import api

urlpatterns = [
    path("publishing/connections", api.ConnectionsView.as_view(), name="api-connections"),
    path(
        "publishing/connections/<int:pk>",
        api.ConnectionDetailView.as_view(),
        name="api-connection",
    ),
    path(
        "jobs/<str:pk>/publications",
        api.JobPublicationsView.as_view(),
        name="api-job-publications",
    ),
    path("publications/<int:pk>", api.PublicationDetailView.as_view(), name="api-publication"),
    path(
        "publications/<int:pk>/cancel",
        api.PublicationActionView.as_view(action_name="cancel"),
        name="api-publication-cancel",
    ),
    path(
        "publications/<int:pk>/retry",
        api.PublicationActionView.as_view(action_name="retry"),
        name="api-publication-retry",
    ),
]
