"""App config for the engine."""

from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "jobs"
    verbose_name = "Production jobs"

    def ready(self) -> None:
        from jobs.job_types import checks  # the app registry is ready: models may be imported

        checks.register()
