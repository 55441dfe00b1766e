"""App config for the shared kernel."""

from django.apps import AppConfig


class ProductionConfig(AppConfig):
    name = "production"
    verbose_name = "Clients and roles"

    def ready(self) -> None:
        # Connects the hook that gives each new database connection its role and scope.
        from production import tenant_scope  # noqa: F401
