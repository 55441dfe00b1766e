"""Approval requests in the oversight console: who was asked, who decided what, and when."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from approvals.models import ApprovalRequest, ClaimResolution


@admin.register(ApprovalRequest)
class ApprovalRequestAdmin(admin.ModelAdmin):
    list_display = (
        "__str__",
        "client",
        "gate",
        "approval_type",
        "approver_role",
        "revision",
        "status",
        "decided_by_label",
        "decided_at",
        "due_at",
        "review_page",
    )
    list_filter = ("status", "approval_type", "approver_role", "job__client")
    search_fields = ("job__title", "job__client__name", "feedback", "decided_by_label")
    list_select_related = ("job", "job__client")
    date_hierarchy = "created_at"
    readonly_fields = (
        "job_link",
        "gate",
        "approval_type",
        "approver_role",
        "revision",
        "output_ids",
        "status",
        "feedback",
        "decided_by",
        "decided_by_label",
        "decided_at",
        "due_at",
        "created_at",
        "review_page",
    )
    fields = readonly_fields

    # Decisions are made on the review page or with the job actions, which write history.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description="client", ordering="job__client__name")
    def client(self, approval: ApprovalRequest) -> str:
        return approval.job.client.name

    @admin.display(description="job")
    def job_link(self, approval: ApprovalRequest) -> str:
        url = reverse("admin:jobs_productionjob_change", args=[approval.job_id])
        return format_html('<a href="{}">{}</a>', url, approval.job.title)

    @admin.display(description="review")
    def review_page(self, approval: ApprovalRequest) -> str:
        return format_html('<a href="{}">open</a>', reverse("reviews:review", args=[approval.pk]))


@admin.register(ClaimResolution)
class ClaimResolutionAdmin(admin.ModelAdmin):
    """Evidence and dismissals of flagged claims: read-only, as they are part of the audit."""

    list_display = (
        "excerpt",
        "kind",
        "category",
        "job",
        "created_by_label",
        "created_by_role",
        "created_at",
        "expires_at",
    )
    list_filter = ("kind", "category", "job__client")
    search_fields = ("excerpt", "text", "source", "job__title")
    list_select_related = ("job",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
