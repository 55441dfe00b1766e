"""Trust-layer routes under /api/v1/ (mounted by production.api_urls beside jobs.api.urls)."""

from django.urls import path

from approvals import api, evidence_api
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
    path(
        "jobs/<str:pk>/evidence/<int:evidence_id>/confirm",
        evidence_api.ConfirmEvidenceView.as_view(),
        name="api-evidence-confirm",
    ),
    path(
        "jobs/<str:pk>/evidence/<int:evidence_id>/withdraw",
        evidence_api.WithdrawEvidenceView.as_view(),
        name="api-evidence-withdraw",
    ),
    path("preflight", api.PreflightView.as_view(), name="api-preflight"),
]
