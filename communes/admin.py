from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import District, Province, Unit, UnitSuccession


class InForceFilter(admin.SimpleListFilter):
    title = _("hiệu lực")
    parameter_name = "current"

    def lookups(self, request, model_admin):
        return (("yes", _("Đang có hiệu lực")), ("no", _("Đã hết hiệu lực")))

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(valid_to__isnull=True)
        if self.value() == "no":
            return queryset.filter(valid_to__isnull=False)
        return queryset


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "valid_from", "valid_to", "successor")
    list_filter = (InForceFilter,)
    search_fields = ("name", "code")
    autocomplete_fields = ("successor",)


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "province", "valid_from", "valid_to")
    list_filter = (InForceFilter, "province", "kind")
    search_fields = ("name", "code")


class SuccessionInline(admin.TabularInline):
    model = UnitSuccession
    fk_name = "predecessor"
    extra = 0
    autocomplete_fields = ("successor",)
    verbose_name = _("đơn vị kế thừa")
    verbose_name_plural = _("đơn vị kế thừa")


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "province", "district", "valid_from", "valid_to")
    list_filter = (InForceFilter, "province", "district", "kind")
    search_fields = ("name", "code")
    list_select_related = ("province", "district")
    inlines = (SuccessionInline,)
