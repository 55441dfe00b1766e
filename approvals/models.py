"""Approval requests: a human decision a job waits for, tied to the revision it was asked on."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from jobs.models import ProductionJob
from production.models import Role


class ApprovalType(models.TextChoices):
    CONCEPT = "concept", "Concept"
    SCRIPT = "script", "Script"
    FINAL = "final", "Final review"
    OWNER_SIGNOFF = "owner_signoff", "Owner sign-off"


class ApprovalStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    APPROVED = "approved", "Approved"
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
        max_length=20, choices=ApprovalStatus.choices, default=ApprovalStatus.PENDING
    )
    feedback = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by_label = models.CharField(max_length=80, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["job", "gate"],
                condition=Q(status="pending"),
                name="one_open_approval_per_gate",
            )
        ]
        indexes = [models.Index(fields=["status", "approver_role"], name="approval_queue")]

    def __str__(self) -> str:
        return f"{self.get_approval_type_display()} for {self.job} (r{self.revision})"

    @property
    def is_pending(self) -> bool:
        return self.status == ApprovalStatus.PENDING
