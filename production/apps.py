"""App config for the shared kernel."""

from django.apps import AppConfig


class ProductionConfig(AppConfig):
    name = "production"
    verbose_name = "Clients and roles"
