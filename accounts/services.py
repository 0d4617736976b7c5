import datetime

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from communes.lineage import UnitCodeError, unit_resolve
from communes.models import District, Province

from .models import Role, User


class UserSetupError(ValueError):
    pass


@transaction.atomic
def user_create_or_update(
    *,
    username: str,
    role: str,
    password: str | None,
    unit_code: int | None = None,
    district_code: int | None = None,
    province_code: int | None = None,
    on: datetime.date | None = None,
    full_name: str = "",
    check_password: bool = True,
) -> tuple[User, bool]:
    """Create (or update the role and scope of) a portal user. Returns (user, created).

    A unit code is resolved as of `on` (default today): GSO reuses codes (§7).
    """
    if role not in Role.values:
        raise UserSetupError(_("Vai trò không hợp lệ: %(role)s") % {"role": role})
    unit = district = province = None
    given = {k for k, v in (("unit", unit_code), ("district", district_code), ("province", province_code))
             if v is not None}
    allowed = {
        Role.COMMUNE_OFFICER: {"unit"}, Role.DISTRICT_REVIEWER: {"district", "province"},
        Role.PROVINCE_VIEWER: {"province"}, Role.ADMIN: set(), Role.NATIONAL_VIEWER: set(),
    }[role]
    if given - allowed:
        raise UserSetupError(
            _("Vai trò này không dùng %(options)s.") % {"options": ", ".join(f"--{k}" for k in sorted(given - allowed))}
        )
    if role == Role.COMMUNE_OFFICER:
        if unit_code is None:
            raise UserSetupError(_("Cán bộ Công an xã cần --unit (mã GSO của xã)."))
        try:
            unit = unit_resolve(unit_code, on or timezone.localdate())
        except UnitCodeError as exc:
            raise UserSetupError(_("Đơn vị: %(reason)s") % {"reason": exc}) from None
    elif role == Role.DISTRICT_REVIEWER:
        if (district_code is None) == (province_code is None):
            raise UserSetupError(
                _("Cán bộ thẩm định cần đúng một trong --district (mã huyện) hoặc --province (mã tỉnh, cho các "
                  "đơn vị không thuộc huyện).")
            )
        if district_code is not None:
            district = District.objects.filter(code=district_code).first()
            if district is None:
                raise UserSetupError(_("Không có huyện mã %(code)s.") % {"code": district_code})
    elif role == Role.PROVINCE_VIEWER and province_code is None:
        raise UserSetupError(_("Ban Chỉ đạo tỉnh cần --province (mã GSO của tỉnh)."))
    if province_code is not None:
        province = Province.objects.filter(code=province_code).first()
        if province is None:
            raise UserSetupError(_("Không có tỉnh mã %(code)s.") % {"code": province_code})
    user = User.objects.filter(username=username).first()
    created = user is None
    if created:
        user = User(username=username)
        if not password:
            raise UserSetupError(_("Cần mật khẩu cho tài khoản mới."))
    if password:
        if check_password:
            try:
                validate_password(password, user)
            except ValidationError as exc:
                raise UserSetupError(" ".join(exc.messages)) from None
        user.set_password(password)
    user.role, user.unit, user.district, user.province = role, unit, district, province
    if full_name:
        parts = full_name.rsplit(" ", 1)
        user.last_name, user.first_name = (parts[0], parts[1]) if len(parts) == 2 else ("", parts[0])
    # Only administrators reach the Django admin.
    user.is_staff = user.is_superuser = role == Role.ADMIN
    user.is_active = True
    user.save()
    return user, created


@transaction.atomic
def user_update_account(*, user: User, email: str, reminders_enabled: bool) -> User:
    """The settings a user changes on their own account page."""
    user.email = User.objects.normalize_email((email or "").strip())
    user.reminders_enabled = bool(reminders_enabled)
    user.save(update_fields=["email", "reminders_enabled"])
    return user
