import datetime
import smtplib
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, mailers
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from communes.lineage import UnitCodeError, unit_resolve
from communes.models import District, Province, Unit

from .email_addresses import validate_deliverable_email
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
    unit, district, province = _user_scope(role, unit_code, district_code, province_code, on)
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


def _user_scope(role: str, unit_code: int | None, district_code: int | None, province_code: int | None,
                on: datetime.date | None) -> tuple[Unit | None, District | None, Province | None]:
    """The unit, district or province a role's scope is given by, from their codes; the options a role
    does not use, a missing one it needs, or an unknown code are a UserSetupError."""
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
    return unit, district, province


class EmailChangeError(ValueError):
    """A refusal about an e-mail address or its confirmation link, worded for the user."""


EMAIL_CONFIRM_SALT = "accounts.email-confirm"


@dataclass
class AccountUpdate:
    confirmation_sent_to: str = ""  # the new address a confirmation link went to
    email_removed: bool = False


@transaction.atomic
def user_update_account(*, user: User, email: str, reminders_enabled: bool) -> AccountUpdate:
    """The settings a user changes on their own account page.

    A new address is not used until the link sent to it is followed (user_confirm_email): until then
    reminders keep going to the old one, and nobody can point them at someone else's mailbox. Clearing
    the address takes effect at once.
    """
    email = User.objects.normalize_email((email or "").strip())
    if email:
        validate_deliverable_email(email)
    result = AccountUpdate()
    fields = ["reminders_enabled"]
    user.reminders_enabled = bool(reminders_enabled)
    if not email:
        result.email_removed = bool(user.email)
        user.email = user.pending_email = ""
        fields += ["email", "pending_email"]
    elif email.lower() == user.email.lower():
        user.pending_email = ""  # back to the address in use: nothing to confirm
        fields.append("pending_email")
    else:  # a new address, or the pending one typed again: (re)send the link
        user.pending_email = email
        fields.append("pending_email")
        email_confirmation_send(user=user)
        result.confirmation_sent_to = email
    user.save(update_fields=fields)
    return result


def email_confirmation_token(*, user: User, email: str) -> str:
    return signing.dumps({"u": user.pk, "e": email}, salt=EMAIL_CONFIRM_SALT)


def email_confirmation_send(*, user: User) -> None:
    """Mail the confirmation link to the pending address. A refusal by the mail server is the user's
    message (the address is not kept), not a 500."""
    token = email_confirmation_token(user=user, email=user.pending_email)
    link = settings.PORTAL_URL + reverse("accounts:email_confirm", args=[token])
    with translation.override("vi"):
        body = render_to_string("emails/email_confirm.txt", {
            "user": user, "email": user.pending_email, "link": link, "days": settings.PORTAL_EMAIL_CONFIRM_DAYS,
        })
        subject = _("[Cổng tiêu chí] Xác nhận địa chỉ e-mail")
    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [user.pending_email])
    try:
        mailers.default.send_messages([message])
    except (smtplib.SMTPRecipientsRefused, ValueError) as exc:
        raise EmailChangeError(_("Máy chủ thư từ chối địa chỉ %(email)s. Hãy kiểm tra lại địa chỉ.")
                               % {"email": user.pending_email}) from exc
    except (smtplib.SMTPException, OSError) as exc:
        raise EmailChangeError(_("Chưa gửi được thư xác nhận (máy chủ thư không trả lời). Hãy thử lại sau.")) from exc


def email_confirmation_read(*, user: User, token: str) -> str:
    """The pending address `token` confirms for `user`; EmailChangeError with the reason otherwise."""
    try:
        data = signing.loads(token, salt=EMAIL_CONFIRM_SALT, max_age=datetime.timedelta(
            days=settings.PORTAL_EMAIL_CONFIRM_DAYS))
    except signing.SignatureExpired:
        raise EmailChangeError(
            _("Liên kết xác nhận đã hết hạn (quá %(days)s ngày). Hãy nhập lại địa chỉ trên trang Tài khoản của tôi "
              "để nhận liên kết mới.") % {"days": settings.PORTAL_EMAIL_CONFIRM_DAYS}) from None
    except signing.BadSignature:
        raise EmailChangeError(_("Liên kết xác nhận không hợp lệ (bị sửa hoặc chép thiếu). Hãy mở đúng liên kết "
                                 "trong thư, hoặc nhập lại địa chỉ để nhận liên kết mới.")) from None
    if not isinstance(data, dict) or data.get("u") != user.pk:
        raise EmailChangeError(_("Liên kết xác nhận này dành cho một tài khoản khác. Hãy đăng nhập đúng tài "
                                 "khoản đã yêu cầu đổi địa chỉ."))
    if not user.pending_email or data.get("e") != user.pending_email:
        raise EmailChangeError(_("Liên kết này không còn dùng được: địa chỉ đã được xác nhận, hoặc bạn đã yêu cầu "
                                 "một địa chỉ khác sau đó."))
    return data["e"]


@transaction.atomic
def user_confirm_email(*, user: User, token: str) -> User:
    """Follow the link: the pending address becomes the one reminders go to."""
    user = User.objects.select_for_update().get(pk=user.pk)
    user.email = email_confirmation_read(user=user, token=token)
    user.pending_email = ""
    user.save(update_fields=["email", "pending_email"])
    return user


@transaction.atomic
def user_cancel_email_change(*, user: User) -> None:
    user.pending_email = ""
    user.save(update_fields=["pending_email"])
