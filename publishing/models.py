"""Publishing records: a client's connected accounts and each publication sent through one."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from jobs.models import Output, ProductionJob
from production.models import Client


class Platform(models.TextChoices):
    WORDPRESS = "wordpress", "WordPress"
    YOUTUBE = "youtube", "YouTube"
    INSTAGRAM = "instagram", "Instagram"


class Connection(models.Model):
    """An account of one client on one platform. Secrets live only in `sealed_secrets`."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="connections")
    platform = models.CharField(max_length=12, choices=Platform.choices)
    name = models.CharField(max_length=120)
    # Non-secret account details: WordPress site URL and user name, Instagram user id, etc.
    account = models.JSONField(default=dict, blank=True)
    # Fernet token of a JSON object (passwords, access and refresh tokens); see vault.py.
    sealed_secrets = models.TextField()
    # What a person may see of the secret: its last characters.
    secret_hint = models.CharField(max_length=16, blank=True)
    token_expires_at = models.DateTimeField(null=True, blank=True)
    is_active = models.BooleanField(default=True)
    # Publish each approved job's deliverable here without being asked (drafts on WordPress,
    # private on YouTube; Instagram has no draft, so it goes out).
    auto_publish = models.BooleanField(default=False)
    last_error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["platform", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["client", "platform", "name"], name="one_connection_name_per_platform"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_platform_display()}: {self.name} ({self.client})"


class PublicationStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Publishing"
    RETRYING = "retrying", "Waiting to retry"
    PUBLISHED = "published", "Published"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


ACTIVE_STATUSES = (
    PublicationStatus.SCHEDULED,
    PublicationStatus.QUEUED,
    PublicationStatus.RUNNING,
    PublicationStatus.RETRYING,
)


class Publication(models.Model):
    """One deliverable sent (or to be sent) to one connected account."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="publications")
    job = models.ForeignKey(ProductionJob, on_delete=models.CASCADE, related_name="publications")
    revision = models.PositiveIntegerField()
    connection = models.ForeignKey(
        Connection, null=True, on_delete=models.SET_NULL, related_name="publications"
    )
    platform = models.CharField(max_length=12, choices=Platform.choices)
    # The main deliverable (post text, video, image) and, for WordPress, a featured image.
    output = models.ForeignKey(Output, on_delete=models.PROTECT, related_name="+")
    image = models.ForeignKey(
        Output, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(max_length=200, blank=True)
    caption = models.TextField(blank=True)
    # Platform choices: WordPress "draft"/"publish", YouTube "private"/"unlisted"/"public".
    visibility = models.CharField(max_length=12, blank=True)
    status = models.CharField(
        max_length=10, choices=PublicationStatus.choices, default=PublicationStatus.QUEUED
    )
    scheduled_for = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    # What a retry resumes from: an uploaded media id, an upload session, a media container.
    progress = models.JSONField(default=dict, blank=True)
    remote_id = models.CharField(max_length=120, blank=True)
    remote_url = models.URLField(max_length=500, blank=True)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_by_label = models.CharField(max_length=80, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["job", "-created_at"], name="publication_job")]
        constraints = [
            # The same deliverable is not sent twice to one account while one send is open.
            models.UniqueConstraint(
                fields=["connection", "output"],
                condition=Q(status__in=["scheduled", "queued", "running", "retrying"]),
                name="one_open_publication_per_output_and_account",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_platform_display()} publication {self.pk} of {self.job_id}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES


# The engine's status colours, reused so a publication reads like a job at a glance.
PILL_STATUS = {
    PublicationStatus.SCHEDULED: "pending",
    PublicationStatus.QUEUED: "queued",
    PublicationStatus.RUNNING: "processing",
    PublicationStatus.RETRYING: "revision",
    PublicationStatus.PUBLISHED: "completed",
    PublicationStatus.FAILED: "failed",
    PublicationStatus.CANCELLED: "cancelled",
}
