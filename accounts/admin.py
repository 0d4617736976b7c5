from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.db.models import Exists, OuterRef
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import two_factor
from .email_addresses import validate_deliverable_email
from .models import Role, TwoFactorEvent, User

# Authenticators are managed through the audited reset below, never edited by hand (django-otp's own admin
# pages would show every user's secret key).
for _model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


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

    def clean_email(self):
        # An administrator sets an address directly (no confirmation), but only one the mailer can send to.
        email = User.objects.normalize_email((self.cleaned_data.get("email") or "").strip())
        if email:
            validate_deliverable_email(email)
        return email


class TwoFactorEventInline(admin.TabularInline):
    model = TwoFactorEvent
    fk_name = "user"
    extra = 0
    can_delete = False
    fields = readonly_fields = ("at", "kind", "actor")
    ordering = ("-at",)
    verbose_name_plural = _("Nhật ký xác thực hai lớp")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = UserChangeScopeForm
    add_form = UserCreationScopeForm
    list_display = ("username", "get_full_name", "role", "unit", "district", "is_active", "two_factor_on", "last_login")
    list_filter = ("role", "district", "is_active")
    search_fields = ("username", "first_name", "last_name", "email", "unit__name", "district__name")
    autocomplete_fields = ("unit", "district")
    list_select_related = ("unit", "district")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Thông tin cá nhân"), {"fields": ("first_name", "last_name", "email", "pending_email", "reminders_enabled")}),
        (_("Vai trò và phạm vi"), {"fields": ("role", "unit", "district", "province", "is_active")}),
        (_("Thời gian"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "password1", "password2", "role", "unit", "district", "province")}),
    )

    readonly_fields = ("pending_email",)

    def get_inlines(self, request, obj):
        return (TwoFactorEventInline,) if obj is not None else ()
    actions = ("two_factor_reset",)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(
            has_totp=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)))

    @admin.display(boolean=True, description=_("Xác thực hai lớp"), ordering="has_totp")
    def two_factor_on(self, obj):
        return obj.has_totp

    @admin.action(description=_("Đặt lại xác thực hai lớp (mất điện thoại)"))
    def two_factor_reset(self, request, queryset):
        """Removes the selected users' authenticator and recovery codes, after a confirmation page; each
        reset is recorded (who, whom, when) in the two-factor log."""
        if request.POST.get("confirm") == "yes":
            users = list(queryset)
            for user in users:
                two_factor.two_factor_reset(user=user, actor=request.user)
            self.message_user(request, ngettext(
                "Đã đặt lại xác thực hai lớp của %(n)s người dùng; họ sẽ phải bật lại khi đăng nhập (nếu vai trò "
                "bắt buộc).", "Đã đặt lại xác thực hai lớp của %(n)s người dùng; họ sẽ phải bật lại khi đăng nhập "
                "(nếu vai trò bắt buộc).", len(users)) % {"n": len(users)}, messages.SUCCESS)
            return None
        return TemplateResponse(request, "admin/accounts/user/two_factor_reset.html", {
            **self.admin_site.each_context(request),
            "title": _("Đặt lại xác thực hai lớp"),
            "users": queryset,
            "opts": self.model._meta,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        })

    def save_model(self, request, obj, form, change):
        # Only administrators reach the Django admin; the role decides, not hand-set flags.
        obj.is_staff = obj.is_superuser = obj.role == Role.ADMIN
        super().save_model(request, obj, form, change)


@admin.register(TwoFactorEvent)
class TwoFactorEventAdmin(admin.ModelAdmin):
    """The audit of two-factor sign-in, read-only."""

    list_display = ("at", "user", "kind", "actor")
    list_filter = ("kind",)
    search_fields = ("user__username", "actor__username")
    list_select_related = ("user", "actor")
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
