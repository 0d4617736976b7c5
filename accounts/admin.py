from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Role, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "get_full_name", "role", "unit", "district", "is_active", "last_login")
    list_filter = ("role", "district", "is_active")
    search_fields = ("username", "first_name", "last_name", "email", "unit__name", "district__name")
    autocomplete_fields = ("unit", "district")
    list_select_related = ("unit", "district")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Thông tin cá nhân"), {"fields": ("first_name", "last_name", "email", "reminders_enabled")}),
        (_("Vai trò và phạm vi"), {"fields": ("role", "unit", "district", "is_active")}),
        (_("Thời gian"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "password1", "password2", "role", "unit", "district")}),
    )

    def save_model(self, request, obj, form, change):
        # Only administrators reach the Django admin; the role decides, not hand-set flags.
        obj.is_staff = obj.is_superuser = obj.role == Role.ADMIN
        super().save_model(request, obj, form, change)
