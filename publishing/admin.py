"""Admin for staff: connected accounts (secrets never shown) and publications with their outcome."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from publishing import services
from publishing.models import Connection, Publication, PublicationStatus


@admin.register(Connection)
class ConnectionAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "client",
        "platform",
        "secret_hint",
        "token_expires_at",
        "auto_publish",
        "is_active",
    )
    list_filter = ("platform", "is_active", "client")
    search_fields = ("name", "client__name")
    # The sealed secrets are not a field here: staff connect accounts through the owners' page.
    fields = (
        "client",
        "platform",
        "name",
        "account",
        "secret_hint",
        "token_expires_at",
        "is_active",
        "auto_publish",
        "last_error",
        "created_by",
        "created_at",
    )
    readonly_fields = (
        "client",
        "platform",
        "secret_hint",
        "token_expires_at",
        "created_by",
        "created_at",
        "last_error",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin):
    list_display = ("id", "job", "platform", "status", "attempts", "remote_url", "created_at")
    list_filter = ("status", "platform", "client")
    search_fields = ("job__title", "remote_id", "remote_url", "error")
    list_select_related = ("job",)
    actions = ("retry_failed",)
    readonly_fields = [f.name for f in Publication._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description="Try failed publications again")
    def retry_failed(self, request: HttpRequest, queryset: QuerySet[Publication]) -> None:
        done = 0
        for publication in queryset.filter(status=PublicationStatus.FAILED):
            try:
                services.publication_retry(publication=publication, user=request.user)
                done += 1
            except services.PublishingError as exc:
                self.message_user(request, f"{publication}: {exc.message}", messages.WARNING)
        self.message_user(request, f"{done} publication(s) queued again.")
