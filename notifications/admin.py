from django.contrib import admin

from .models import Notification, ReminderLog


class ReadOnly(admin.ModelAdmin):
    """Written by the workflow and by send_reminders only; the admin looks."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(ReadOnly):
    list_display = ("created_at", "user", "kind", "text", "read_at")
    list_filter = ("kind", "created_at")
    search_fields = ("user__username", "text")
    list_select_related = ("user",)


@admin.register(ReminderLog)
class ReminderLogAdmin(ReadOnly):
    list_display = ("day", "user", "rule", "email", "subject", "sent_at")
    list_filter = ("rule", "day")
    search_fields = ("user__username", "email", "subject")
    list_select_related = ("user",)
