"""Notifications in the admin: what was sent to whom, by which channel, and whether it was read."""

from django.contrib import admin

from notifications.models import Notification, Preference


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("title", "user", "event", "channel", "created_at", "read_at", "emailed_at")
    list_filter = ("event", "channel")
    search_fields = ("title", "user__username", "user__email")
    list_select_related = ("user",)
    readonly_fields = [f.name for f in Notification._meta.fields]

    def has_add_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "event", "channel")
    list_filter = ("event", "channel")
