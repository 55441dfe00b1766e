"""App config for the engine."""

from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "jobs"
    verbose_name = "Production jobs"

    def ready(self) -> None:
        # Imported once the app registry is ready: the engine imports models.
        from jobs import engine, lifecycle
        from jobs.job_types import checks
        from jobs.mediakit import ffmpeg
        from jobs.models import Status

        checks.register()

        lifecycle.on_status(Status.QUEUED, engine.schedule_ready_steps)
        lifecycle.on_status(Status.CANCELLED, engine.cancel_open_steps)
        # A render that reports progress is a step that moves (its heartbeat).
        ffmpeg.on_progress(engine.step_progress)
