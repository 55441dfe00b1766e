"""A notification to one user about one event, and each user's choice of channel per event."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Event(models.TextChoices):
    REVIEW_REQUESTED = "review_requested", "Review requested"
    MENTION = "mention", "Mentioned"
    DECISION_MADE = "decision_made", "Decision made"
    SIGNOFF_NEEDED = "signoff_needed", "Sign-off needed"
    JOB_FAILED = "job_failed", "Job failed"
    DUE_SOON = "due_soon", "Due soon"
    OVERDUE = "overdue", "Overdue"


class Channel(models.TextChoices):
    IN_APP = "in_app", "In the inbox"
    EMAIL = "email", "Inbox and e-mail at once"
    DIGEST = "digest", "Inbox and the daily digest"
    OFF = "off", "Off"


# What a user gets before choosing: the things that block work arrive by e-mail.
DEFAULT_CHANNELS: dict[str, str] = {
    Event.REVIEW_REQUESTED: Channel.EMAIL,
    Event.MENTION: Channel.EMAIL,
    Event.DECISION_MADE: Channel.EMAIL,
    Event.SIGNOFF_NEEDED: Channel.EMAIL,
    Event.JOB_FAILED: Channel.EMAIL,
    Event.DUE_SOON: Channel.DIGEST,
    Event.OVERDUE: Channel.EMAIL,
}


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    event = models.CharField(max_length=20, choices=Event.choices)
    # The channel the user's preference chose when this was sent.
    channel = models.CharField(max_length=10, choices=Channel.choices)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    # Where the notice leads: a path on this site.
    url = models.CharField(max_length=500)
    job = models.ForeignKey(
        "jobs.ProductionJob", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # Says what the notice is about, so the same reminder is never sent twice.
    key = models.CharField(max_length=120)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    digested_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="one_notification_per_user_key")
        ]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return f"{self.get_event_display()} for {self.user}: {self.title}"

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class Preference(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    event = models.CharField(max_length=20, choices=Event.choices)
    channel = models.CharField(max_length=10, choices=Channel.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "event"], name="one_preference_per_event")
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.event} by {self.channel}"


class DigestRun(models.Model):
    """The day's digest was started: unique per day, so any number of ticks sends it once."""

    day = models.DateField(unique=True)
    started_at = models.DateTimeField(auto_now_add=True)
    # How many digest e-mails went out.
    sent = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-day"]

    def __str__(self) -> str:
        return f"Digest of {self.day}: {self.sent} e-mails"
