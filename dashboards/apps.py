"""App config for the dashboard."""

from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "dashboards"
    verbose_name = "Dashboards"

    def ready(self) -> None:
        # Open pages hear of every change they show (see jobs.live and dashboards.live_stream).
        from approvals.models import ApprovalRequest
        from jobs import live
        from jobs.models import JobEvent, Output, ProductionJob, StepRun

        live.notify_on_save(ProductionJob, "job")
        live.notify_on_save(StepRun, "step")
        live.notify_on_save(JobEvent, "event")
        live.notify_on_save(Output, "output")
        live.notify_on_save(ApprovalRequest, "review")
