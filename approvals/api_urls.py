"""Trust-layer routes under /api/v1/ (mounted by production.api_urls beside jobs.api.urls)."""

from django.urls import path

from approvals import api
from approvals.api_with_changes import ApproveWithChangesView

urlpatterns = [
    path("jobs/<str:pk>/trust", api.JobTrustView.as_view(), name="api-job-trust"),
    path(
        "jobs/<str:pk>/flags/evidence", api.AttachEvidenceView.as_view(), name="api-flag-evidence"
    ),
    path("jobs/<str:pk>/flags/dismiss", api.DismissFlagView.as_view(), name="api-flag-dismiss"),
    path(
        "jobs/<str:pk>/approve-with-changes/",
        ApproveWithChangesView.as_view(),
        name="api-approve-with-changes",
    ),
    path("preflight", api.PreflightView.as_view(), name="api-preflight"),
]
