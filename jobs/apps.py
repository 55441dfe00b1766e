"""App config for the engine."""

from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "jobs"
    verbose_name = "Production jobs"

    def ready(self) -> None:
        # Imported once the app registry is ready: the engine imports models.
        from jobs import engine, lifecycle
        from jobs.job_types import checks
        from jobs.models import Status

        checks.register()

        lifecycle.on_status(Status.QUEUED, engine.schedule_ready_steps)
        lifecycle.on_status(Status.CANCELLED, engine.cancel_open_steps)
