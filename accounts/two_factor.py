"""Two-factor sign-in (xác thực hai lớp): who must use it, enrolment, codes, recovery codes, reset.

The cryptography is django-otp's: a TOTP device (RFC 6238, an authenticator app) and a static device
whose one-use tokens are the recovery codes (mã dự phòng). Sign-in is password → code → signed in: the
password step does not sign in a user who has a device (accounts/views.py keeps them pending), so an
authenticated session of an enrolled user is one that passed the second step. Writes here are the
services of this area (enrol, regenerate, disable, reset), each audited by a TwoFactorEvent.
"""

from __future__ import annotations

import re
import time
from base64 import b32encode
from binascii import unhexlify

import segno
from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp import verify_token
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from .models import Role, TwoFactorEvent, User

RECOVERY_CODE_COUNT = 10
ENROLMENT_MAX_AGE = 15 * 60  # seconds between showing the QR code and typing the first code
ENROLMENT_SALT = "accounts.two_factor.enrolment"
TOTP_CODE = re.compile(r"\d{6}\Z")


class TwoFactorError(ValueError):
    """A refusal the user can act on (a wrong code, an expired enrolment page …)."""


def required_roles() -> set[str]:
    """Administrators always; the roles PORTAL_2FA_REQUIRED lists."""
    return {Role.ADMIN.value, *settings.PORTAL_2FA_REQUIRED}


def is_required(user) -> bool:
    """Must this user pass a second factor to use the portal? (Never in the demo, see settings.)"""
    if not getattr(user, "is_authenticated", False) or settings.PORTAL_2FA_DEMO_EXEMPT:
        return False
    return user.role in required_roles()


def totp_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def is_enrolled(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


# ---------------------------------------------------------------- enrolment


def enrolment_key_new() -> str:
    """A fresh secret (hex, 20 bytes as django-otp's default). Nothing is stored until the first code."""
    return random_hex(20)


def enrolment_token(*, user: User, key: str) -> str:
    """The secret of an enrolment page, signed for this user: the page's GET writes nothing, the POST
    brings the secret back and cannot swap it for another user's or a stale one."""
    return signing.dumps({"u": user.pk, "k": key}, salt=ENROLMENT_SALT, compress=True)


def enrolment_key_from(*, user: User, token: str) -> str:
    try:
        data = signing.loads(token, salt=ENROLMENT_SALT, max_age=ENROLMENT_MAX_AGE)
    except signing.SignatureExpired:
        raise TwoFactorError(_("Trang bật xác thực hai lớp đã mở quá 15 phút. Hãy quét mã QR mới bên dưới.")) from None
    except signing.BadSignature:
        raise TwoFactorError(_("Dữ liệu trang không hợp lệ. Hãy quét mã QR mới bên dưới.")) from None
    if not isinstance(data, dict) or data.get("u") != user.pk or not isinstance(data.get("k"), str):
        raise TwoFactorError(_("Dữ liệu trang không hợp lệ. Hãy quét mã QR mới bên dưới."))
    return data["k"]


def otpauth_url(*, user: User, key: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code (django-otp builds it)."""
    return TOTPDevice(user=user, key=key).config_url


def qr_data_uri(url: str) -> str:
    """The QR code as an SVG data: URI, drawn here (segno) — no external service; CSP allows data: images."""
    return segno.make(url, error="m").svg_data_uri(scale=5, dark="#000", light="#fff")


def manual_key(key: str) -> str:
    """The secret in base32 as authenticator apps ask for it, in groups of four."""
    encoded = b32encode(unhexlify(key)).decode("ascii").rstrip("=")
    return " ".join(encoded[i:i + 4] for i in range(0, len(encoded), 4))


def _totp_step_if_valid(key: str, code: str) -> int | None:
    """The time step `code` belongs to (±1 step of clock drift), or None."""
    code = normalise_code(code)
    if not TOTP_CODE.match(code):
        return None
    totp = TOTP(unhexlify(key))
    totp.time = time.time()
    return totp.t() if totp.verify(int(code), tolerance=1) else None


def _recovery_codes_replace(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=str(_("Mã dự phòng")), confirmed=True)
    codes = []
    while len(codes) < RECOVERY_CODE_COUNT:
        code = StaticToken.random_token()
        if code not in codes:
            codes.append(code)
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


@transaction.atomic
def two_factor_enrol(*, user: User, key: str, code: str) -> list[str]:
    """Turn on two-factor sign-in with the secret the user's app holds, proved by its current code.
    Returns the new recovery codes (shown once)."""
    User.objects.select_for_update().filter(pk=user.pk).first()  # a double click enrols once
    if is_enrolled(user):
        raise TwoFactorError(_("Xác thực hai lớp đã được bật cho tài khoản này."))
    step = _totp_step_if_valid(key, code)
    if step is None:
        raise TwoFactorError(_("Mã không đúng. Hãy nhập mã 6 chữ số đang hiện trong ứng dụng xác thực "
                               "(kiểm tra giờ của điện thoại)."))
    # last_t: the code just used cannot sign in again.
    TOTPDevice.objects.filter(user=user).delete()
    TOTPDevice.objects.create(user=user, name=str(_("Ứng dụng xác thực")), key=key, confirmed=True, last_t=step)
    codes = _recovery_codes_replace(user)
    TwoFactorEvent.objects.create(user=user, actor=user, kind=TwoFactorEvent.Kind.ENROLLED)
    return codes


@transaction.atomic
def two_factor_recovery_codes_regenerate(*, user: User) -> list[str]:
    """New recovery codes; the old ones stop working."""
    if not is_enrolled(user):
        raise TwoFactorError(_("Chưa bật xác thực hai lớp."))
    codes = _recovery_codes_replace(user)
    TwoFactorEvent.objects.create(user=user, actor=user, kind=TwoFactorEvent.Kind.RECOVERY_CODES)
    return codes


def _devices_delete(user: User) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


@transaction.atomic
def two_factor_disable(*, user: User) -> None:
    """The user turns it off — only where the role does not require it."""
    if is_required(user):
        raise TwoFactorError(_("Vai trò của bạn bắt buộc xác thực hai lớp; không thể tắt."))
    _devices_delete(user)
    TwoFactorEvent.objects.create(user=user, actor=user, kind=TwoFactorEvent.Kind.DISABLED)


@transaction.atomic
def two_factor_reset(*, user: User, actor: User) -> None:
    """An administrator removes a user's authenticator and recovery codes (a lost phone). The user's
    verified sessions lose their device at the next request; a required role must enrol again."""
    _devices_delete(user)
    TwoFactorEvent.objects.create(user=user, actor=actor, kind=TwoFactorEvent.Kind.RESET)


# ---------------------------------------------------------------- the second step


def normalise_code(code: str) -> str:
    """People type codes with spaces or dashes ("123 456", "abcd-efgh") and in capitals."""
    return re.sub(r"[\s-]", "", code or "").lower()[:32]


def code_verify(*, user: User, code: str):
    """The device that accepts `code` (the app's 6 digits or a recovery code, used up by this), or None.
    django-otp refuses a TOTP code already used (last_t) and a recovery code already used (deleted)."""
    code = normalise_code(code)
    if not code:
        return None
    model = TOTPDevice if TOTP_CODE.match(code) else StaticDevice
    for device in model.objects.filter(user=user, confirmed=True):
        if verify_token(user, device.persistent_id, code) is not None:
            return device
    return None


def code_allowed(*, user: User) -> bool:
    """False while django-otp's own back-off after wrong codes is running (a few seconds)."""
    devices = [*TOTPDevice.objects.filter(user=user, confirmed=True),
               *StaticDevice.objects.filter(user=user, confirmed=True)]
    return all(device.verify_is_allowed()[0] for device in devices)
