"""The engine's records: templates, jobs, their history, outputs, step runs and manifests."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from jobs.job_fields import description_problems, title_problems
from production.models import Client


class JobType(models.TextChoices):
    CONTENT = "content", "Content"
    VISUAL = "visual", "Visual"
    BRAND = "brand", "Brand"
    SOCIAL = "social", "Social"
    SEO = "seo", "SEO"
    WEBSITE = "website", "Website"
    VOICE = "voice", "Voice"
    VIDEO = "video", "Video"
    # A multi-step production (film, advertising, social) run from a ProductionWorkflow record.
    PRODUCTION = "production", "Production"


class Priority(models.TextChoices):
    URGENT = "urgent", "Urgent"
    HIGH = "high", "High"
    NORMAL = "normal", "Normal"
    LOW = "low", "Low"


PRIORITY_ORDER = {Priority.URGENT: 0, Priority.HIGH: 1, Priority.NORMAL: 2, Priority.LOW: 3}


class Status(models.TextChoices):
    PENDING = "pending", "Pending"
    QUEUED = "queued", "Queued"
    PROCESSING = "processing", "Processing"
    DRAFT = "draft", "Draft"
    REVIEW = "review", "In review"
    APPROVED = "approved", "Approved"
    REVISION = "revision", "Revision"
    COMPLETED = "completed", "Completed"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


TERMINAL_STATUSES = frozenset({Status.COMPLETED, Status.CANCELLED})
# Statuses in which workers may still change the job: the dashboard polls these.
ACTIVE_STATUSES = frozenset({Status.QUEUED, Status.PROCESSING, Status.DRAFT})


class JobTemplate(models.Model):
    """A reusable preset: global when client is empty, otherwise the client's own."""

    client = models.ForeignKey(
        Client, null=True, blank=True, on_delete=models.CASCADE, related_name="templates"
    )
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    job_type = models.CharField(max_length=16, choices=JobType.choices)
    default_inputs = models.JSONField(default=dict, blank=True)
    priority = models.CharField(max_length=8, choices=Priority.choices, default=Priority.NORMAL)
    high_impact = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class WorkflowType(models.TextChoices):
    FILM = "film", "Film/TV"
    ADVERTISING = "advertising", "Advertising"
    SOCIAL = "social", "Social"


class ProductionWorkflow(models.Model):
    """A multi-step production as data: its steps, gates, branches and fan-outs.

    `definition` is {"steps": [...]}, validated (schema, capabilities, DAG) on every save; a
    production copies it when it starts, so editing a workflow never changes a running one.
    """

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    workflow_type = models.CharField(max_length=16, choices=WorkflowType.choices)
    definition = models.JSONField(default=dict)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        from jobs.workflows.production.definition import DefinitionError, validate_definition

        try:
            validate_definition(self.definition)
        except DefinitionError as exc:
            raise ValidationError({"definition": exc.messages}) from None

    def save(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003 - Model.save's signature
        self.clean()
        super().save(*args, **kwargs)


class ProductionJob(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # db_index off: the composite indexes below lead with client; one more index would cost
    # every status change (each one rewrites the row's index entries).
    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, related_name="jobs", db_index=False
    )
    template = models.ForeignKey(
        JobTemplate, null=True, blank=True, on_delete=models.SET_NULL, related_name="jobs"
    )
    job_type = models.CharField(max_length=16, choices=JobType.choices)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    priority = models.CharField(max_length=8, choices=Priority.choices, default=Priority.NORMAL)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    input_data = models.JSONField(default=dict, blank=True)
    # Safety and truth, rolled up from outputs: the job's score is its lowest output score.
    safety_score = models.PositiveSmallIntegerField(null=True, blank=True)
    safety_band = models.CharField(max_length=20, blank=True)
    safety_flags = models.JSONField(default=list, blank=True)
    truth_verified = models.BooleanField(default=False)
    high_impact = models.BooleanField(default=False)
    revision = models.PositiveIntegerField(default=1)
    progress = models.PositiveSmallIntegerField(default=0)
    cost_usd = models.DecimalField(max_digits=12, decimal_places=6, default=Decimal("0"))
    tokens_total = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    # Productions only: the workflow record it started from and the definition it runs.
    workflow = models.ForeignKey(
        ProductionWorkflow, null=True, blank=True, on_delete=models.SET_NULL, related_name="jobs"
    )
    workflow_definition = models.JSONField(default=dict, blank=True)
    budget_usd = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["client", "status", "-created_at"], name="job_client_status"),
            models.Index(fields=["client", "-created_at"], name="job_client_recent"),
            models.Index(fields=["status", "updated_at"], name="job_status_updated"),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        """The title and description rules of jobs.job_fields, for model forms (the admin);
        the services, the dashboard form and the API check the same rules."""
        errors = {
            name: problems
            for name, problems in (
                ("title", title_problems(self.title)),
                ("description", description_problems(self.description)),
            )
            if problems
        }
        if errors:
            raise ValidationError(errors)

    @property
    def is_terminal(self) -> bool:
        return self.status in TERMINAL_STATUSES

    @property
    def is_live(self) -> bool:
        """Whether a worker may still change this job, so pages should keep polling."""
        return self.status in ACTIVE_STATUSES


class JobEvent(models.Model):
    """The append-only history: every status change and every decision, with its actor."""

    # Indexed by event_job_time (job first); a second index would cost every history row.
    job = models.ForeignKey(
        ProductionJob, on_delete=models.CASCADE, related_name="events", db_index=False
    )
    action = models.CharField(max_length=40, default="status_changed")
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=80, blank=True)
    note = models.TextField(blank=True)
    payload = models.JSONField(default=dict, blank=True)
    revision = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["job", "created_at"], name="event_job_time")]

    def __str__(self) -> str:
        return f"{self.action} {self.from_status}->{self.to_status}"

    @property
    def actor_name(self) -> str:
        if self.actor_id and self.actor:
            return self.actor.get_full_name() or self.actor.get_username()
        return self.actor_label or "system"


class OutputKind(models.TextChoices):
    TEXT = "text", "Text"
    MARKDOWN = "markdown", "Markdown"
    HTML = "html", "HTML"
    IMAGE = "image", "Image"
    AUDIO = "audio", "Audio"
    VIDEO = "video", "Video"
    JSON = "json", "JSON"


def output_upload_path(instance: Output, filename: str) -> str:
    return f"outputs/{instance.job.client_id}/{instance.job_id}/r{instance.revision}/{filename}"


class Output(models.Model):
    """A deliverable. One per job, step, revision and item, so a step run twice writes once."""

    # Indexed by the unique constraint below (job first).
    job = models.ForeignKey(
        ProductionJob, on_delete=models.CASCADE, related_name="outputs", db_index=False
    )
    step = models.CharField(max_length=60)
    revision = models.PositiveIntegerField(default=1)
    item = models.PositiveIntegerField(default=0)
    key = models.CharField(max_length=80, blank=True)
    kind = models.CharField(max_length=10, choices=OutputKind.choices)
    title = models.CharField(max_length=200, blank=True)
    text = models.TextField(blank=True)
    file = models.FileField(upload_to=output_upload_path, max_length=300, blank=True)
    mime_type = models.CharField(max_length=60, blank=True)
    metadata = models.JSONField(default=dict, blank=True)
    size_bytes = models.PositiveBigIntegerField(default=0)
    checksum = models.CharField(max_length=64, blank=True)
    safety_score = models.PositiveSmallIntegerField(null=True, blank=True)
    safety_band = models.CharField(max_length=20, blank=True)
    safety_flags = models.JSONField(default=list, blank=True)
    truth_verified = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["revision", "step", "item"]
        constraints = [
            models.UniqueConstraint(
                fields=["job", "step", "revision", "item"], name="one_output_per_step_item"
            )
        ]

    def __str__(self) -> str:
        return self.title or self.key


class StepStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    WAITING = "waiting", "Waiting for approval"
    SUCCEEDED = "succeeded", "Done"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"
    SKIPPED = "skipped", "Skipped"


# A step whose successors may run: it produced its work, or its branch was not taken.
STEP_DONE_STATUSES = (StepStatus.SUCCEEDED, StepStatus.SKIPPED)


class StepRun(models.Model):
    """One workflow step of one job revision: its attempts, providers, cost and timing."""

    # Indexed by the unique constraint below (job first).
    job = models.ForeignKey(
        ProductionJob, on_delete=models.CASCADE, related_name="step_runs", db_index=False
    )
    step = models.CharField(max_length=60)
    revision = models.PositiveIntegerField(default=1)
    # How many times this step itself has run for the job: a revision that re-runs only part
    # of a workflow carries the other steps forward (reused_from = the revision that ran them).
    step_revision = models.PositiveIntegerField(default=1)
    reused_from = models.PositiveIntegerField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=StepStatus.choices, default=StepStatus.QUEUED)
    attempt = models.PositiveSmallIntegerField(default=1)
    rq_job_id = models.CharField(max_length=80, blank=True)
    provider = models.CharField(max_length=60, blank=True)
    # Every provider call made for this step, in order: provider, outcome, duration, tokens, cost.
    provider_attempts = models.JSONField(default=list, blank=True)
    calls = models.PositiveIntegerField(default=0)
    tokens_in = models.PositiveIntegerField(default=0)
    tokens_out = models.PositiveIntegerField(default=0)
    cost_usd = models.DecimalField(max_digits=12, decimal_places=6, default=Decimal("0"))
    duration_ms = models.PositiveIntegerField(default=0)
    items_total = models.PositiveIntegerField(default=0)
    items_done = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    # Something a person should know about a successful step (e.g. narration unavailable).
    note = models.TextField(blank=True)
    # What the step ran with (inputs, upstream outputs, feedback) and the prompts it sent.
    input_snapshot = models.JSONField(default=dict, blank=True)
    prompts = models.JSONField(default=list, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["job", "step", "revision"], name="one_run_per_step")
        ]
        indexes = [models.Index(fields=["status", "lease_expires_at"], name="steprun_status")]

    def __str__(self) -> str:
        return f"{self.step} r{self.revision} ({self.status})"


class Manifest(models.Model):
    """The planner's production manifest for a video job (or planned on its own via the API)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="manifests")
    job = models.OneToOneField(
        ProductionJob, null=True, blank=True, on_delete=models.CASCADE, related_name="manifest"
    )
    treatment = models.TextField(blank=True)
    inputs = models.JSONField(default=dict, blank=True)
    manifest = models.JSONField(default=dict)
    dag = models.JSONField(default=list, blank=True)
    valid = models.BooleanField(default=False)
    repairs = models.JSONField(default=list, blank=True)
    warnings = models.JSONField(default=list, blank=True)
    used_repair = models.BooleanField(default=False)
    used_fallback = models.BooleanField(default=False)
    used_model = models.BooleanField(default=False)
    processing_ms = models.FloatField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
