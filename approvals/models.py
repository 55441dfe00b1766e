"""Approval requests: a human decision a job waits for, tied to the revision it was asked on."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from jobs.models import ProductionJob
from production.models import Role

# The gates of the review after generation; a workflow's own gates are named after its steps.
FINAL_GATE = "final"
SIGNOFF_GATE = "owner_signoff"


class ApprovalType(models.TextChoices):
    CONCEPT = "concept", "Concept"
    SCRIPT = "script", "Script"
    FINAL = "final", "Final review"
    OWNER_SIGNOFF = "owner_signoff", "Owner sign-off"


class ApprovalStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    APPROVED = "approved", "Approved"
    # Approved, provided the listed small changes are made; the next revision is not reviewed.
    APPROVED_WITH_CHANGES = "approved_with_changes", "Approved with changes"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    REJECTED = "rejected", "Rejected"
    CANCELLED = "cancelled", "Cancelled"


class ApprovalRequest(models.Model):
    job = models.ForeignKey(ProductionJob, on_delete=models.CASCADE, related_name="approvals")
    # The workflow gate this request belongs to ("final", "owner_signoff" or a step name).
    gate = models.CharField(max_length=60)
    approval_type = models.CharField(max_length=16, choices=ApprovalType.choices)
    approver_role = models.CharField(max_length=16, choices=Role.choices, default=Role.REVIEWER)
    revision = models.PositiveIntegerField()
    output_ids = models.JSONField(default=list, blank=True)
    status = models.CharField(
        max_length=24, choices=ApprovalStatus.choices, default=ApprovalStatus.PENDING
    )
    feedback = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by_label = models.CharField(max_length=80, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(null=True, blank=True)
    # Who is reviewing this: set when a reviewer claims it or is assigned it.
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # When the reminder before the due time and the overdue escalation went out, for this due_at.
    reminded_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # A stage of the client's review (see approvals.stages), copied when the request opened so
    # that changing the configuration never changes a request already made or decided.
    stage = models.ForeignKey(
        "ReviewStage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    stage_name = models.CharField(max_length=60, blank=True)
    stage_index = models.PositiveSmallIntegerField(default=0)  # 1-based; 0: no stages
    stage_count = models.PositiveSmallIntegerField(default=0)
    # Stages that run at the same time share a round (1-based): the next round opens when
    # every request of this one is approved.
    stage_round = models.PositiveSmallIntegerField(default=0)
    # When the stage names its decision makers, only they decide (else approver_role does).
    named_only = models.BooleanField(default=False)
    deciders = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    # Approvals the stage needs before it passes (its rule, counted when it opened).
    approvals_needed = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            # Parallel review stages are open together, each at its own stage index.
            models.UniqueConstraint(
                fields=["job", "gate", "stage_index"],
                condition=Q(status="pending"),
                name="one_open_approval_per_gate_stage",
            )
        ]
        indexes = [models.Index(fields=["status", "approver_role"], name="approval_queue")]

    def __str__(self) -> str:
        return f"{self.get_approval_type_display()} for {self.job} (r{self.revision})"

    @property
    def is_pending(self) -> bool:
        return self.status == ApprovalStatus.PENDING

    @property
    def is_overdue(self) -> bool:
        return self.is_pending and self.due_at is not None and self.due_at < timezone.now()

    @property
    def waiting_for(self) -> list[str]:
        """The named deciders who have not approved yet (a stage needing several approvals)."""
        approved = set(self.stage_approvals.exclude(user=None).values_list("user_id", flat=True))
        return [
            u.get_full_name() or u.get_username()
            for u in self.deciders.order_by("username")
            if u.pk not in approved
        ]

    @property
    def approval_progress(self) -> str:
        """ "1 of 2 approvals (Lee); waiting for Lin", or "" when one approval decides."""
        if self.approvals_needed <= 1:
            return ""
        given = [a.label for a in self.stage_approvals.all()]
        text = f"{len(given)} of {self.approvals_needed} approvals"
        if given:
            text += f" ({', '.join(given)})"
        if self.is_pending and self.named_only:
            waiting = self.waiting_for
            if waiting:
                text += f"; waiting for {', '.join(waiting)}"
        return text

    @property
    def stage_label(self) -> str:
        """ "Stage 2 of 2: Legal", the sign-off stage's name, or "" for a review without stages."""
        if not self.stage_count:
            return ""
        if self.approval_type == ApprovalType.OWNER_SIGNOFF:
            return self.stage_name
        return f"Stage {self.stage_index} of {self.stage_count}: {self.stage_name}"


class StageRule(models.TextChoices):
    ANY = "any", "Any one of them approves"
    ALL = "all", "All of them approve"
    COUNT = "count", "A number of them approve"


class StageKind(models.TextChoices):
    REVIEW = "review", "Review"
    SIGNOFF = "signoff", "Owner sign-off of high-impact work"
    SIGNOFF_ALL = "signoff_all", "Owner sign-off of all work"


SIGNOFF_KINDS = (StageKind.SIGNOFF, StageKind.SIGNOFF_ALL)


class ApproverRole(models.Model):
    """A client's own approver role ("Creative Director", "Legal", "Client"): the people who
    hold it decide the stages that name it, however their membership role ranks."""

    client = models.ForeignKey(
        "production.Client", on_delete=models.CASCADE, related_name="approver_roles"
    )
    name = models.CharField(max_length=60)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["client", "name"]
        constraints = [
            models.UniqueConstraint(fields=["client", "name"], name="one_approver_role_name")
        ]

    def __str__(self) -> str:
        return self.name


class ReviewStage(models.Model):
    """One stage of a client's review, in order: who decides it, by which rule, how soon.

    A job's final review passes through its client's stages in `position` order (the stages
    of its template if there are any, else of its job type, else those for every type); a
    stage marked `with_previous` runs at the same time as the one before it. An approval of
    every stage open opens the next; a request for changes or a rejection at any stage goes
    back to the writers. A sign-off stage configures the owners' sign-off after the review.
    """

    client = models.ForeignKey(
        "production.Client", on_delete=models.CASCADE, related_name="review_stages"
    )
    # Blank: every job type without stages of its own.
    job_type = models.CharField(max_length=30, blank=True)
    # Set: the stages of jobs made from this template, in place of the job type's.
    template = models.ForeignKey(
        "jobs.JobTemplate", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=60)
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.REVIEWER)
    # A custom approver role: its holders decide (unless people are named below).
    approver_role = models.ForeignKey(
        ApproverRole, null=True, blank=True, on_delete=models.PROTECT, related_name="stages"
    )
    # Named decision makers: when any are set, only they decide this stage.
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    # When the stage is done: one approval, everyone's, or `required` of them.
    rule = models.CharField(max_length=8, choices=StageRule.choices, default=StageRule.ANY)
    required = models.PositiveSmallIntegerField(default=1)
    due_hours = models.PositiveSmallIntegerField(default=24)
    # Opens together with the stage before it (parallel review, e.g. Legal beside Brand).
    with_previous = models.BooleanField(default=False)
    kind = models.CharField(max_length=12, choices=StageKind.choices, default=StageKind.REVIEW)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["client", "job_type", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["client", "job_type", "position"],
                condition=Q(template__isnull=True),
                name="one_review_stage_per_position",
            ),
            models.UniqueConstraint(
                fields=["template", "position"],
                condition=Q(template__isnull=False),
                name="one_template_stage_per_position",
            ),
        ]

    @property
    def is_signoff(self) -> bool:
        return self.kind in SIGNOFF_KINDS

    @property
    def rule_label(self) -> str:
        if self.rule == StageRule.COUNT:
            return f"{self.required} of them approve"
        return self.get_rule_display()

    def __str__(self) -> str:
        return f"{self.position}. {self.name} ({self.job_type or 'every type'})"


class StageApproval(models.Model):
    """One approval of a stage that needs several: the stage passes when it has enough."""

    request = models.ForeignKey(
        ApprovalRequest, on_delete=models.CASCADE, related_name="stage_approvals"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # "user:<id>" or "guest:<name>": one approval per person and request.
    voter = models.CharField(max_length=100)
    label = models.CharField(max_length=80)
    note = models.TextField(blank=True)
    approved_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["approved_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["request", "voter"], name="one_stage_approval_each")
        ]

    def __str__(self) -> str:
        return f"{self.label} approved {self.request}"


class ResolutionKind(models.TextChoices):
    EVIDENCE = "evidence", "Evidence attached"
    DISMISSAL = "dismissal", "Dismissed"


class ClaimResolution(models.Model):
    """Evidence attached to a flagged claim, or its dismissal with a reason.

    A claim is identified within its job by `claim_key` (category and normalised wording), so
    the record also covers the same claim in a later revision. Evidence whose `expires_at` has
    passed no longer backs anything; the newest live record of a claim is the one that counts.
    """

    job = models.ForeignKey(
        ProductionJob, on_delete=models.CASCADE, related_name="claim_resolutions"
    )
    output = models.ForeignKey(
        "jobs.Output", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revision = models.PositiveIntegerField()
    claim_key = models.CharField(max_length=300)
    category = models.CharField(max_length=40)
    excerpt = models.CharField(max_length=300)
    kind = models.CharField(max_length=10, choices=ResolutionKind.choices)
    # The evidence itself (the fact, document summary or note), or the dismissal reason.
    text = models.TextField()
    # Where the evidence can be checked: a URL or the name of a document.
    source = models.CharField(max_length=500, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by_label = models.CharField(max_length=80, blank=True)
    created_by_role = models.CharField(max_length=16, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Evidence backs a claim only once an owner of the client confirms it (an owner's own is
    # confirmed as it is attached); a retracted record backs nothing.
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_by_label = models.CharField(max_length=80, blank=True)
    retracted_at = models.DateTimeField(null=True, blank=True)
    retracted_by_label = models.CharField(max_length=80, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["job", "claim_key"], name="claim_resolution_lookup")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.excerpt[:40]} ({self.job_id})"


class AnchorKind(models.TextChoices):
    NONE = "none", "The whole output"
    TEXT = "text", "A passage"
    REGION = "region", "A region of the image"
    TIME = "time", "A moment of the recording"


class Comment(models.Model):
    """A comment pinned to what it is about: a passage, an image region or a timecode.

    A thread is a root comment and its replies. Roots carry from revision to revision of the
    same output (matched by `output_key`) until resolved.
    """

    job = models.ForeignKey(ProductionJob, on_delete=models.CASCADE, related_name="comments")
    output = models.ForeignKey(
        "jobs.Output", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The output's key (or step): the same deliverable across revisions.
    output_key = models.CharField(max_length=80, blank=True)
    revision = models.PositiveIntegerField()
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    anchor = models.CharField(max_length=8, choices=AnchorKind.choices, default=AnchorKind.NONE)
    start = models.PositiveIntegerField(null=True, blank=True)
    end = models.PositiveIntegerField(null=True, blank=True)
    quote = models.CharField(max_length=500, blank=True)
    # An image region as fractions of the image's width and height.
    x = models.FloatField(null=True, blank=True)
    y = models.FloatField(null=True, blank=True)
    w = models.FloatField(null=True, blank=True)
    h = models.FloatField(null=True, blank=True)
    at_seconds = models.FloatField(null=True, blank=True)
    body = models.TextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_label = models.CharField(max_length=120)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by_label = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["job", "output_key"], name="comment_thread_lookup")]

    def __str__(self) -> str:
        return f"{self.author_label} on {self.job_id}: {self.body[:40]}"

    @property
    def is_resolved(self) -> bool:
        return self.resolved_at is not None

    @property
    def timecode(self) -> str:
        if self.at_seconds is None:
            return ""
        minutes, seconds = divmod(self.at_seconds, 60)
        return f"{int(minutes)}:{seconds:04.1f}"


class GuestLink(models.Model):
    """A signed link for a reviewer without an account, scoped to one job; expires, revocable."""

    job = models.ForeignKey(ProductionJob, on_delete=models.CASCADE, related_name="guest_links")
    # Part of the signed token: a link whose nonce changes is dead even if the signature holds.
    nonce = models.CharField(max_length=32)
    note = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Guest link {self.pk} for {self.job_id}"

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class OutputDecision(models.Model):
    """A reviewer's decision on one output of a request (approve the banner, ask changes to the
    caption); the request is decided once every output has one. Changeable while it is open."""

    request = models.ForeignKey(
        ApprovalRequest, on_delete=models.CASCADE, related_name="output_decisions"
    )
    output = models.ForeignKey("jobs.Output", on_delete=models.CASCADE, related_name="+")
    decision = models.CharField(max_length=20)  # "approve" or "request_changes"
    feedback = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by_label = models.CharField(max_length=80, blank=True)
    decided_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["output_id"]
        constraints = [
            models.UniqueConstraint(fields=["request", "output"], name="one_decision_per_output")
        ]

    def __str__(self) -> str:
        return f"{self.decision} on output {self.output_id} (request {self.request_id})"
