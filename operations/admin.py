"""Staff's view of webhooks: endpoints with their state, deliveries with the attempt log."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from operations import services
from operations.models import (
    AlertChannel,
    AlertNotice,
    AlertRule,
    BreakerEvent,
    ClientBudget,
    RetentionPolicy,
    RetentionRun,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    list_display = ("url", "client", "is_active", "consecutive_failures", "created_at")
    list_filter = ("is_active", "client")
    search_fields = ("url", "description", "client__name")
    readonly_fields = ("secret", "previous_secret", "previous_secret_expires_at", "disabled_at")
    actions = ("enable", "disable")

    @admin.action(description="Enable the selected endpoints")
    def enable(self, request: HttpRequest, queryset: QuerySet[WebhookEndpoint]) -> None:
        for endpoint in queryset:
            services.endpoint_enable(endpoint=endpoint)

    @admin.action(description="Disable the selected endpoints")
    def disable(self, request: HttpRequest, queryset: QuerySet[WebhookEndpoint]) -> None:
        for endpoint in queryset:
            services.endpoint_disable(endpoint=endpoint, reason="Disabled by staff.")


class AttemptInline(admin.TabularInline):
    model = WebhookAttempt
    extra = 0
    can_delete = False
    fields = ("number", "response_code", "error", "duration_ms", "manual", "created_at")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ("message", "endpoint", "status", "attempts", "last_response_code", "created_at")
    list_filter = ("status", "endpoint__client")
    search_fields = ("message__msg_id", "endpoint__url")
    list_select_related = ("message", "endpoint")
    readonly_fields = ("message", "endpoint", "attempts", "last_response_code", "finished_at")
    inlines = (AttemptInline,)
    actions = ("redeliver",)

    @admin.action(description="Redeliver the selected deliveries")
    def redeliver(self, request: HttpRequest, queryset: QuerySet[WebhookDelivery]) -> None:
        label = request.user.get_full_name() or request.user.get_username()
        sent = 0
        for delivery in queryset.select_related("endpoint"):
            try:
                services.delivery_redeliver(delivery=delivery, requested_by=label)
                sent += 1
            except services.WebhookError as exc:
                self.message_user(request, f"{delivery}: {exc.message}", messages.WARNING)
        self.message_user(request, f"{sent} redelivery(ies) queued.", messages.SUCCESS)


@admin.register(ClientBudget)
class ClientBudgetAdmin(admin.ModelAdmin):
    list_display = ("client", "monthly_usd", "updated_by", "updated_at")
    search_fields = ("client__name",)
    readonly_fields = ("updated_by", "updated_at")

    def save_model(
        self, request: HttpRequest, obj: ClientBudget, form: object, change: bool
    ) -> None:
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(AlertRule)
class AlertRuleAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "threshold", "window_minutes", "cooldown_minutes", "enabled")
    list_editable = ("threshold", "enabled")
    list_filter = ("kind", "enabled")


@admin.register(AlertChannel)
class AlertChannelAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "target", "enabled")
    list_filter = ("kind", "enabled")


@admin.register(AlertNotice)
class AlertNoticeAdmin(admin.ModelAdmin):
    list_display = ("created_at", "rule", "subject", "status", "message")
    list_filter = ("status", "rule")
    readonly_fields = ("rule", "subject", "status", "message", "results", "created_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(BreakerEvent)
class BreakerEventAdmin(admin.ModelAdmin):
    """The history of breaker openings: written by the breakers, read here."""

    list_display = ("created_at", "provider", "state", "reason", "open_seconds")
    list_filter = ("state", "provider")
    search_fields = ("provider", "reason")
    date_hierarchy = "created_at"
    readonly_fields = ("provider", "state", "reason", "created_at", "opened_at", "open_seconds")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: BreakerEvent | None = None) -> bool:
        return False


@admin.register(RetentionPolicy)
class RetentionPolicyAdmin(admin.ModelAdmin):
    list_display = ("client", "file_days", "updated_at")
    search_fields = ("client__name",)


@admin.register(RetentionRun)
class RetentionRunAdmin(admin.ModelAdmin):
    """What each retention pass deleted: written by the pass, read here."""

    list_display = ("started_at", "day", "scheduled", "dry_run", "finished_at")
    list_filter = ("scheduled", "dry_run")
    readonly_fields = ("day", "scheduled", "dry_run", "report", "started_at", "finished_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
