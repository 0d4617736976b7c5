from django.contrib import admin

from criteria_portal.admin_history import HistoryAdmin

from .models import ModelCount, ModelType


@admin.register(ModelType)
class ModelTypeAdmin(HistoryAdmin):
    list_display = ("code", "name", "kind", "unit_of_count", "sort_order")
    ordering = ("sort_order", "code")


@admin.register(ModelCount)
class ModelCountAdmin(HistoryAdmin):
    list_display = ("unit", "year", "model_type", "count", "status")
    list_filter = ("year", "model_type", "status")
    raw_id_fields = ("unit", "assessment", "recorded_by", "verified_by")
    search_fields = ("unit__name", "unit__code")
