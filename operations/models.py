"""Operations records: outgoing webhook endpoints, the messages sent to them and their log."""

from __future__ import annotations

import base64
import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from production.models import Client


class EventType(models.TextChoices):
    JOB_STATUS_CHANGED = "job.status_changed", "Job status changed"
    OUTPUT_CREATED = "output.created", "Output created"
    APPROVAL_REQUESTED = "approval.requested", "Approval requested"
    APPROVAL_DECIDED = "approval.decided", "Approval decided"
    PUBLISHED = "publication.published", "Deliverable published"


def new_secret() -> str:
    """A Standard Webhooks secret: "whsec_" and 32 random bytes in base64."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def new_message_id() -> str:
    return f"msg_{uuid.uuid4().hex}"


class WebhookEndpoint(models.Model):
    """A client's receiver URL and the events it subscribes to."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="webhook_endpoints")
    url = models.URLField(max_length=500)
    description = models.CharField(max_length=200, blank=True)
    events = models.JSONField(default=list)
    secret = models.CharField(max_length=80, default=new_secret)
    # After a rotation the old secret keeps signing (a second signature) until this time.
    previous_secret = models.CharField(max_length=80, blank=True)
    previous_secret_expires_at = models.DateTimeField(null=True, blank=True)
    is_active = models.BooleanField(default=True)
    disabled_reason = models.CharField(max_length=300, blank=True)
    disabled_at = models.DateTimeField(null=True, blank=True)
    # Deliveries in a row that failed after their last retry; reset by any success.
    consecutive_failures = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["client", "is_active"], name="webhook_client_active")]

    def __str__(self) -> str:
        return self.url


class WebhookMessage(models.Model):
    """One event for one client; its id is the webhook-id every delivery and retry carries."""

    msg_id = models.CharField(max_length=40, unique=True, default=new_message_id)
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="webhook_messages")
    event_type = models.CharField(max_length=40, choices=EventType.choices)
    # What it is about, so one engine row never makes two messages of one type.
    source = models.CharField(max_length=80)
    payload = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["event_type", "source"], name="one_message_per_event")
        ]

    def __str__(self) -> str:
        return f"{self.event_type} {self.msg_id}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SUCCEEDED = "succeeded", "Delivered"
    FAILED = "failed", "Failed"


class WebhookDelivery(models.Model):
    """A message on its way to one endpoint, with retries."""

    message = models.ForeignKey(WebhookMessage, on_delete=models.CASCADE, related_name="deliveries")
    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    # Attempts made so far; a worker claims attempt n+1 with a conditional update.
    attempts = models.PositiveIntegerField(default=0)
    last_response_code = models.PositiveSmallIntegerField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["message", "endpoint"], name="one_delivery_per_endpoint"
            )
        ]
        indexes = [
            models.Index(fields=["endpoint", "-created_at"], name="delivery_endpoint_recent"),
            models.Index(fields=["status"], name="delivery_status"),
        ]

    def __str__(self) -> str:
        return f"{self.message} -> {self.endpoint} ({self.status})"


class WebhookAttempt(models.Model):
    """One HTTP request of a delivery: the log with response codes."""

    delivery = models.ForeignKey(
        WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log"
    )
    number = models.PositiveIntegerField()
    response_code = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.TextField(blank=True)
    error = models.CharField(max_length=300, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    manual = models.BooleanField(default=False)
    requested_by_label = models.CharField(max_length=80, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["number", "id"]

    @property
    def ok(self) -> bool:
        return self.response_code is not None and 200 <= self.response_code < 300


class ClientBudget(models.Model):
    """A client's monthly spend limit: a run that would go over it waits for an owner."""

    client = models.OneToOneField(Client, on_delete=models.CASCADE, related_name="budget")
    monthly_usd = models.DecimalField(max_digits=12, decimal_places=2)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.client}: ${self.monthly_usd}/month"


class AlertKind(models.TextChoices):
    FAILURE_RATE = "failure_rate", "Failure rate over a window"
    BREAKER_OPEN = "breaker_open", "A provider's circuit breaker is open"
    QUEUE_BACKLOG = "queue_backlog", "Queue backlog"
    QUEUE_WAIT = "queue_wait", "Queue wait"
    SPEND = "spend", "Spend against a client's budget"
    APPROVALS_OVERDUE = "approvals_overdue", "Approvals overdue"
    STORAGE = "storage", "Storage used"
    WEBHOOK_DISABLED = "webhook_disabled", "A webhook endpoint was disabled after failures"
    TOKEN_EXPIRY = "token_expiry", "A publishing token about to expire"


class AlertRule(models.Model):
    """A condition watched every minute; staff edit the defaults in the admin."""

    name = models.CharField(max_length=100, unique=True)
    kind = models.CharField(max_length=20, choices=AlertKind.choices)
    # Meaning by kind: a rate 0..1, a count, seconds, a percentage of budget, or gigabytes.
    threshold = models.FloatField()
    window_minutes = models.PositiveIntegerField(default=60)
    # Failure rate: fewer finished jobs than this in the window say nothing.
    minimum = models.PositiveIntegerField(default=0)
    # A firing alert is repeated no sooner than this, and one that resolves and fires again
    # within it is not sent again.
    cooldown_minutes = models.PositiveIntegerField(default=60)
    enabled = models.BooleanField(default=True)

    class Meta:
        ordering = ["kind", "threshold"]

    def __str__(self) -> str:
        return self.name


class ChannelKind(models.TextChoices):
    EMAIL = "email", "E-mail"
    SLACK = "slack", "Slack-compatible incoming webhook (Slack, Discord /slack, Teams)"
    WEBHOOK = "webhook", "Generic webhook (JSON)"


class AlertChannel(models.Model):
    """Where alerts go: e-mail addresses, or a URL that takes a JSON POST."""

    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=10, choices=ChannelKind.choices)
    # Comma-separated addresses for e-mail, a URL for the others.
    target = models.CharField(max_length=500)
    enabled = models.BooleanField(default=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"


class AlertState(models.Model):
    """Where one rule stands for one subject (a client, a provider, a queue, or everything)."""

    rule = models.ForeignKey(AlertRule, on_delete=models.CASCADE, related_name="states")
    subject = models.CharField(max_length=120, blank=True)
    firing = models.BooleanField(default=False)
    value = models.FloatField(default=0)
    message = models.CharField(max_length=500, blank=True)
    fired_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    last_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["rule", "subject"], name="one_state_per_subject")
        ]


class AlertNotice(models.Model):
    """An alert or a "resolved" message as sent, with what each channel answered."""

    rule = models.ForeignKey(AlertRule, on_delete=models.CASCADE, related_name="notices")
    subject = models.CharField(max_length=120, blank=True)
    status = models.CharField(max_length=10)  # "firing" or "resolved"
    message = models.CharField(max_length=500)
    results = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]


class DailySummary(models.Model):
    """One row per day: the worker that inserts it sends that day's summary e-mails."""

    day = models.DateField(unique=True)
    sent_at = models.DateTimeField(auto_now_add=True)
    recipients = models.JSONField(default=list)


class BreakerState(models.TextChoices):
    OPEN = "open", "Opened"
    HALF_OPEN = "half_open", "Half-open (one trial call)"
    CLOSED = "closed", "Closed"


class BreakerEvent(models.Model):
    """A provider's circuit breaker changing state: when, why, and on closing how long it was open."""

    provider = models.CharField(max_length=60)
    state = models.CharField(max_length=10, choices=BreakerState.choices)
    reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Set on a closing: the opening that started the episode and the time until this closing.
    opened_at = models.DateTimeField(null=True, blank=True)
    open_seconds = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["provider", "-created_at"], name="breaker_provider_recent"),
            models.Index(fields=["created_at"], name="breaker_event_created"),
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.state} at {self.created_at:%Y-%m-%d %H:%M:%S}"

    @property
    def open_for(self) -> str:
        """How long the episode this closing ends stayed open, as a person says it."""
        if self.open_seconds is None:
            return ""
        seconds = self.open_seconds
        if seconds < 60:
            return f"{seconds:.1f} s"
        minutes, rest = divmod(round(seconds), 60)
        if minutes < 60:
            return f"{minutes} min {rest} s"
        return f"{minutes // 60} h {minutes % 60} min"


class RetentionPolicy(models.Model):
    """How long a client's files of superseded revisions and unapproved work are kept."""

    client = models.OneToOneField(Client, on_delete=models.CASCADE, related_name="retention")
    # Files older than this many days are deleted; 0 keeps them for good.
    file_days = models.PositiveIntegerField(default=90)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "retention policies"

    def __str__(self) -> str:
        kept = f"{self.file_days} days" if self.file_days else "for good"
        return f"{self.client}: files kept {kept}"


class RetentionRun(models.Model):
    """One pass of the retention policy and what it deleted (or, dry, would delete)."""

    day = models.DateField()
    scheduled = models.BooleanField(default=False)
    dry_run = models.BooleanField(default=False)
    report = models.JSONField(default=dict)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            # The scheduled pass runs once a day however many workers tick.
            models.UniqueConstraint(
                fields=["day"], condition=models.Q(scheduled=True), name="one_scheduled_retention"
            )
        ]

    def __str__(self) -> str:
        return f"retention {self.day}{' (dry run)' if self.dry_run else ''}"
