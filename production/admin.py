"""Tenants in the oversight console: clients with their truth layer, memberships, API tokens
and brand assets."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from production.models import ApiToken, BrandAsset, Client, Membership
from production.sign_in_forms import AdminSignInForm

admin.site.site_header = "Production engine oversight"
admin.site.site_title = "Production engine"
admin.site.index_title = "Oversight"
# The job list needs the width (ten columns at 1440 px); the index lists every model anyway.
admin.site.enable_nav_sidebar = False
admin.site.login_form = AdminSignInForm
# Adds the owners' shortcuts (awaiting sign-off, failed jobs, RQ queues) to the index.
admin.site.index_template = "approvals/admin/index.html"


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("user",)


@admin.register(Client)
class ClientAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "slug",
        "auto_approve",
        "threshold_verified_safe",
        "threshold_safe",
        "created_at",
    )
    list_filter = ("auto_approve",)
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    inlines = (MembershipInline,)
    fieldsets = (
        (None, {"fields": ("name", "slug", "brand_profile")}),
        (
            "Truth layer",
            {
                "fields": ("verified_facts", "approved_testimonials", "competitors"),
                "description": (
                    "Claims are verified only against these facts, testimonials only against "
                    'these quotes. Lists in JSON, e.g. ["Founded in 2009."] and '
                    '[{"quote": "...", "author": "..."}].'
                ),
            },
        ),
        (
            "Approval",
            {
                "fields": (
                    "auto_approve",
                    "threshold_verified_safe",
                    "threshold_safe",
                    "threshold_review",
                )
            },
        ),
    )


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "client", "role")
    list_filter = ("role", "client")
    search_fields = ("user__username", "user__email", "client__name")
    list_select_related = ("user", "client")
    autocomplete_fields = ("user",)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "user",
        "prefix",
        "created_at",
        "last_used_at",
        "expires_at",
        "revoked_at",
    )
    list_filter = ("revoked_at",)
    search_fields = ("name", "prefix", "user__username")
    list_select_related = ("user",)
    # Only the hash is stored; keys are issued once by the API, never here.
    readonly_fields = (
        "user",
        "prefix",
        "key_hash",
        "created_at",
        "last_used_at",
        "expires_at",
        "revoked_at",
    )
    fields = ("name", *readonly_fields)
    actions = ("revoke",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description="Revoke selected tokens")
    def revoke(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        count = queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        self.message_user(request, f"Revoked {count} token{'s' if count != 1 else ''}.")


@admin.register(BrandAsset)
class BrandAssetAdmin(admin.ModelAdmin):
    """Read-only: uploads go through the dashboard or the API, where they are checked."""

    list_display = ("__str__", "client", "kind", "source_format", "width", "height", "created_at")
    list_filter = ("kind", "client")
    search_fields = ("title", "original_name", "client__name")
    readonly_fields = [f.name for f in BrandAsset._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
