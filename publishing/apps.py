"""The publishing app: connected accounts per client and the publications sent through them."""

from __future__ import annotations

from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "publishing"
    verbose_name = "Publishing"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from jobs.models import JobEvent
        from publishing import auto

        post_save.connect(auto.on_job_event, sender=JobEvent, dispatch_uid="publishing.auto")
