"""Portal users: one role and a scope (DESIGN §4)."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COMMUNE_OFFICER = "commune_officer", _("Cán bộ Công an xã")
    DISTRICT_REVIEWER = "district_reviewer", _("Cán bộ thẩm định cấp huyện")
    PROVINCE_VIEWER = "province_viewer", _("Ban Chỉ đạo tỉnh")
    ADMIN = "admin", _("Quản trị hệ thống")
    NATIONAL_VIEWER = "national_viewer", _("Theo dõi toàn quốc")


class User(AbstractUser):
    role = models.CharField(_("vai trò"), max_length=32, choices=Role.choices, default=Role.PROVINCE_VIEWER)
    unit = models.ForeignKey(
        "communes.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="officers",
        verbose_name=_("đơn vị cấp xã"),
    )
    district = models.ForeignKey(
        "communes.District", on_delete=models.PROTECT, null=True, blank=True, related_name="reviewers",
        verbose_name=_("huyện"),
    )
    # A province scope: provincial viewers, and reviewers of units that have no district (§7).
    province = models.ForeignKey(
        "communes.Province", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("tỉnh"),
    )

    # The user's own choice (the "Tài khoản của tôi" page): deadline reminders by e-mail.
    reminders_enabled = models.BooleanField(
        _("nhận e-mail nhắc hạn"), default=True,
        help_text=_("Nhắc trước hạn nộp, hạn thẩm định và khi đã quá hạn."),
    )
    # A new address the user asked for, waiting for the link sent to it: reminders keep going to
    # `email` until it is confirmed (accounts.services.user_confirm_email).
    pending_email = models.EmailField(_("địa chỉ e-mail chờ xác nhận"), blank=True, default="")

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")
        constraints = [
            # The scope matches the role: an officer has exactly a unit, a reviewer exactly a district
            # or a province, a provincial viewer exactly a province.
            models.CheckConstraint(
                condition=(
                    models.Q(role="commune_officer", unit__isnull=False, district__isnull=True, province__isnull=True)
                    | models.Q(role="district_reviewer", unit__isnull=True, district__isnull=False,
                               province__isnull=True)
                    | models.Q(role="district_reviewer", unit__isnull=True, district__isnull=True,
                               province__isnull=False)
                    | models.Q(role="province_viewer", unit__isnull=True, district__isnull=True, province__isnull=False)
                    | models.Q(role__in=["admin", "national_viewer"], unit__isnull=True, district__isnull=True,
                               province__isnull=True)
                ),
                name="user_scope_matches_role",
            ),
        ]

    @property
    def is_portal_admin(self) -> bool:
        return self.is_active and self.role == Role.ADMIN

    @property
    def role_label(self) -> str:
        """The role as people read it: a reviewer of units without a district (since the 2025 reform) is a
        "cán bộ thẩm định", not "cấp huyện" (GLOSSARY)."""
        if self.role == Role.DISTRICT_REVIEWER and not self.district_id:
            return str(_("Cán bộ thẩm định"))
        return self.get_role_display()

    @property
    def scope_label(self) -> str:
        if self.role == Role.COMMUNE_OFFICER and self.unit_id:
            return str(self.unit)
        if self.role == Role.DISTRICT_REVIEWER and self.district_id:
            return str(self.district)
        if self.province_id:
            return str(self.province)
        if self.role == Role.NATIONAL_VIEWER:
            return str(_("Toàn quốc"))
        return str(_("Toàn hệ thống"))


class TwoFactorEvent(models.Model):
    """The audit of two-factor sign-in: who enrolled, regenerated recovery codes, turned it off, or had it
    reset by an administrator (actor), and when. Read-only in the admin."""

    class Kind(models.TextChoices):
        ENROLLED = "enrolled", _("Bật xác thực hai lớp")
        RECOVERY_CODES = "recovery_codes", _("Tạo lại mã dự phòng")
        DISABLED = "disabled", _("Tự tắt xác thực hai lớp")
        RESET = "reset", _("Quản trị viên đặt lại xác thực hai lớp")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="two_factor_events",
                             verbose_name=_("người dùng"))
    actor = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                              verbose_name=_("người thực hiện"))
    kind = models.CharField(_("sự kiện"), max_length=20, choices=Kind.choices)
    at = models.DateTimeField(_("thời điểm"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("nhật ký xác thực hai lớp")
        verbose_name_plural = _("nhật ký xác thực hai lớp")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_kind_display()}"
