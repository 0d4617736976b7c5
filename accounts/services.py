from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from communes.models import District, Unit

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
    full_name: str = "",
    check_password: bool = True,
) -> tuple[User, bool]:
    """Create (or update the role and scope of) a portal user. Returns (user, created)."""
    if role not in Role.values:
        raise UserSetupError(_("Vai trò không hợp lệ: %(role)s") % {"role": role})
    unit = district = None
    if role == Role.COMMUNE_OFFICER:
        if unit_code is None:
            raise UserSetupError(_("Cán bộ Công an xã cần --unit (mã GSO của xã)."))
        unit = Unit.objects.filter(code=unit_code).first()
        if unit is None:
            raise UserSetupError(_("Không có đơn vị mã %(code)s.") % {"code": unit_code})
    elif role == Role.DISTRICT_REVIEWER:
        if district_code is None:
            raise UserSetupError(_("Cán bộ thẩm định cấp huyện cần --district (mã GSO của huyện)."))
        district = District.objects.filter(code=district_code).first()
        if district is None:
            raise UserSetupError(_("Không có huyện mã %(code)s.") % {"code": district_code})
    elif unit_code is not None or district_code is not None:
        raise UserSetupError(_("Vai trò này có phạm vi toàn tỉnh; không dùng --unit hoặc --district."))
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
    user.role, user.unit, user.district = role, unit, district
    if full_name:
        parts = full_name.rsplit(" ", 1)
        user.last_name, user.first_name = (parts[0], parts[1]) if len(parts) == 2 else ("", parts[0])
    # Only administrators reach the Django admin.
    user.is_staff = user.is_superuser = role == Role.ADMIN
    user.is_active = True
    user.save()
    return user, created
