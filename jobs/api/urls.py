"""Routes of /api/v1/ (mounted by production.api_urls) and the seed-shaped paths."""

from __future__ import annotations

from django.urls import path
from rest_framework.routers import SimpleRouter

from jobs.api.brand_assets import BrandAssetViewSet
from jobs.api.downloads import OutputDownloadView
from jobs.api.index import ApiIndexView
from jobs.api.productions import (
    ApprovalsView,
    ApproveView,
    ProductionDetailView,
    ProductionsView,
    ProductionWorkflowsView,
    RejectView,
    SeedApprovalsView,
    SeedApproveView,
    SeedRejectView,
    SeedStartView,
)
from jobs.api.seed_compat import SeedJobsView, SeedPhase4View
from jobs.api.tokens import TokenViewSet
from jobs.api.views import (
    ApprovalViewSet,
    JobViewSet,
    ManifestViewSet,
    PlannerSchemaView,
    SafetyCheckView,
    TemplateViewSet,
)

router = SimpleRouter()
# Both /api/v1/jobs and /api/v1/jobs/ answer: integrators write either (a regex route).
router.trailing_slash = "/?"
router.register("jobs", JobViewSet, basename="api-job")
router.register("templates", TemplateViewSet, basename="api-template")
router.register("approvals", ApprovalViewSet, basename="api-approval")
router.register("tokens", TokenViewSet, basename="api-token")
router.register("planner/manifests", ManifestViewSet, basename="api-manifest")
router.register("brand-assets", BrandAssetViewSet, basename="api-brand-asset")

urlpatterns = [
    path("", ApiIndexView.as_view(), name="api-index"),
    path("outputs/<int:pk>/download", OutputDownloadView.as_view(), name="api-output-download"),
    path("safety/check", SafetyCheckView.as_view(), name="api-safety-check"),
    path("planner/schema", PlannerSchemaView.as_view(), name="api-planner-schema"),
    path("productions", ProductionsView.as_view(), name="api-productions"),
    path(
        "productions/workflows", ProductionWorkflowsView.as_view(), name="api-production-workflows"
    ),
    path("productions/approvals", ApprovalsView.as_view(), name="api-production-approvals"),
    path(
        "productions/approvals/<str:pk>/approve",
        ApproveView.as_view(),
        name="api-production-approve",
    ),
    path(
        "productions/approvals/<str:pk>/reject", RejectView.as_view(), name="api-production-reject"
    ),
    path("productions/<str:pk>", ProductionDetailView.as_view(), name="api-production"),
    *router.urls,
]

# Mounted at /api/ beside v1/: the seed's exact paths, without a trailing slash.
seed_urlpatterns = [
    path("production/jobs", SeedJobsView.as_view(), name="api-seed-jobs"),
    path("production-planner/phase4", SeedPhase4View.as_view(), name="api-seed-phase4"),
    # Seed 003: start a production and decide its gates.
    path("production/start", SeedStartView.as_view(), name="api-seed-production-start"),
    path("production/approval", SeedApprovalsView.as_view(), name="api-seed-approvals"),
    path(
        "production/approval/<str:pk>/approve",
        SeedApproveView.as_view(),
        name="api-seed-approve",
    ),
    path("production/approval/<str:pk>/reject", SeedRejectView.as_view(), name="api-seed-reject"),
]
