from django.contrib import admin

from .models import District, Province, Unit


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ("code", "name")
    search_fields = ("name", "code")


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "province", "dissolved_on")
    list_filter = ("province", "kind")
    search_fields = ("name", "code")
    autocomplete_fields = ("successor",)


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "district", "active", "dissolved_on", "successor")
    list_filter = ("district__province", "district", "kind", "active")
    search_fields = ("name", "code")
    autocomplete_fields = ("successor",)
    list_select_related = ("district", "successor")
