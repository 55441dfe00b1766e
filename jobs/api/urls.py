"""Routes of /api/v1/ (mounted by production.api_urls) and the seed-shaped paths."""

from __future__ import annotations

from django.urls import path
from rest_framework.routers import SimpleRouter

from jobs.api.brand_assets import BrandAssetViewSet
from jobs.api.downloads import OutputDownloadView
from jobs.api.index import ApiIndexView
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
    *router.urls,
]

# Mounted at /api/ beside v1/: the seed's exact paths, without a trailing slash.
seed_urlpatterns = [
    path("production/jobs", SeedJobsView.as_view(), name="api-seed-jobs"),
    path("production-planner/phase4", SeedPhase4View.as_view(), name="api-seed-phase4"),
]
