"""Dashboard routes: the job list, the new-job dialog, a job's page, its partials and files."""

from django.urls import path

from dashboards import asset_views, live_push, production_views, views
from dashboards.download_all import download_all

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("start/", views.start, name="start"),
    path("client/", views.switch_client, name="switch_client"),
    path("jobs/new/", views.new_job, name="new_job"),
    path("jobs/new/preview/", views.new_job_preview, name="new_job_preview"),
    path("jobs/<uuid:job_id>/", views.job_detail, name="job_detail"),
    path("jobs/<uuid:job_id>/parts/<slug:part>/", views.job_partial, name="job_partial"),
    path("jobs/<uuid:job_id>/live/", live_push.job_stream, name="job_stream"),
    path("live/", live_push.dashboard_stream, name="dashboard_stream"),
    path("jobs/<uuid:job_id>/actions/<slug:action>/", views.job_action, name="job_action"),
    path("productions/new/", production_views.workflow_selector, name="production_new"),
    path("productions/metrics/", production_views.metrics, name="production_metrics"),
    path(
        "productions/<uuid:job_id>/budget/",
        production_views.budget_signoff,
        name="production_budget_signoff",
    ),
    path(
        "productions/metrics/<slug:workflow>/<slug:step>/",
        production_views.step_runs,
        name="production_step_runs",
    ),
    path("steps/<int:run_id>/", production_views.step_run, name="step_run"),
    path("brand/", asset_views.asset_library, name="asset_library"),
    path("brand/assets/<int:asset_id>/file/", asset_views.asset_file, name="asset_file"),
    path("brand/assets/<int:asset_id>/delete/", asset_views.asset_delete, name="asset_delete"),
    path(
        "jobs/<uuid:job_id>/outputs/<int:output_id>/file/",
        views.output_file,
        name="output_file",
    ),
    path("jobs/<uuid:job_id>/r<int:revision>/download-all/", download_all, name="download_all"),
]
