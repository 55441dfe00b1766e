"""App config for approvals and oversight."""

from django.apps import AppConfig


class ApprovalsConfig(AppConfig):
    name = "approvals"
    verbose_name = "Approvals and oversight"

    def ready(self) -> None:
        # Imported once the app registry is ready: both modules import models.
        from approvals import review
        from jobs.engine import reviews

        # The module itself is the engine's review interface (jobs.engine.reviews.Reviews).
        reviews.register(review)

        # Fact recall on any save of a client's facts; a video's plan checked as its run starts.
        from approvals import evidence_signals
        from approvals.preflight_treatment import record_before_run
        from jobs import lifecycle

        evidence_signals.connect()
        lifecycle.run_requested.connect(record_before_run, dispatch_uid="approvals.preflight")
