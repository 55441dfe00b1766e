"""App config for approvals and oversight."""

from django.apps import AppConfig


class ApprovalsConfig(AppConfig):
    name = "approvals"
    verbose_name = "Approvals and oversight"

    def ready(self) -> None:
        from approvals import evidence_signals

        evidence_signals.connect()
