"""App config for approvals and oversight."""

from django.apps import AppConfig


class ApprovalsConfig(AppConfig):
    name = "approvals"
    verbose_name = "Approvals and oversight"

    def ready(self) -> None:
        from approvals import evidence_signals
        from approvals.preflight_treatment import record_before_run
        from jobs import lifecycle

        evidence_signals.connect()
        lifecycle.run_requested.connect(record_before_run, dispatch_uid="approvals.preflight")
