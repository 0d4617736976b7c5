from django.contrib import admin

from .models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    """Read-only: administrators may look at what runs (owner, state, timing), not change it."""

    list_display = ("id", "title", "owner", "state", "done", "total", "created_at", "finished_at")
    list_filter = ("state", "kind")
    search_fields = ("title", "owner__username")
    readonly_fields = [f.name for f in Job._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
