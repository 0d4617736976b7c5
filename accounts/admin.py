from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _

from .models import Role, User


class ScopeFormMixin:
    """The role decides which scope a user needs; say so on the field, in Vietnamese, instead of letting the
    database's check constraint answer with a raw English error."""

    def clean(self):
        cleaned = super().clean()
        role = cleaned.get("role")
        unit, district, province = cleaned.get("unit"), cleaned.get("district"), cleaned.get("province")
        if role == Role.COMMUNE_OFFICER:
            if not unit:
                self.add_error("unit", _("Cán bộ Công an xã cần được gán một đơn vị (xã, thị trấn, phường)."))
            for name, value in (("district", district), ("province", province)):
                if value:
                    self.add_error(name, _("Cán bộ Công an xã chỉ có phạm vi là đơn vị; hãy để trống ô này."))
        elif role == Role.DISTRICT_REVIEWER:
            if unit:
                self.add_error("unit", _("Cán bộ thẩm định không gán đơn vị cấp xã; hãy để trống ô này."))
            if bool(district) == bool(province):
                self.add_error("district", _("Cán bộ thẩm định cần đúng một phạm vi: một huyện, hoặc một tỉnh "
                                             "(cho các đơn vị không còn cấp huyện)."))
        elif role == Role.PROVINCE_VIEWER:
            if not province:
                self.add_error("province", _("Ban Chỉ đạo tỉnh cần được gán một tỉnh."))
            for name, value in (("unit", unit), ("district", district)):
                if value:
                    self.add_error(name, _("Ban Chỉ đạo tỉnh chỉ có phạm vi là tỉnh; hãy để trống ô này."))
        elif role == Role.ADMIN:
            for name, value in (("unit", unit), ("district", district), ("province", province)):
                if value:
                    self.add_error(name, _("Quản trị hệ thống không có phạm vi riêng; hãy để trống ô này."))
        return cleaned


class UserCreationScopeForm(ScopeFormMixin, AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("username", "role", "unit", "district", "province")


class UserChangeScopeForm(ScopeFormMixin, UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = UserChangeScopeForm
    add_form = UserCreationScopeForm
    list_display = ("username", "get_full_name", "role", "unit", "district", "is_active", "last_login")
    list_filter = ("role", "district", "is_active")
    search_fields = ("username", "first_name", "last_name", "email", "unit__name", "district__name")
    autocomplete_fields = ("unit", "district")
    list_select_related = ("unit", "district")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Thông tin cá nhân"), {"fields": ("first_name", "last_name", "email", "reminders_enabled")}),
        (_("Vai trò và phạm vi"), {"fields": ("role", "unit", "district", "province", "is_active")}),
        (_("Thời gian"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "password1", "password2", "role", "unit", "district", "province")}),
    )

    def save_model(self, request, obj, form, change):
        # Only administrators reach the Django admin; the role decides, not hand-set flags.
        obj.is_staff = obj.is_superuser = obj.role == Role.ADMIN
        super().save_model(request, obj, form, change)
