"""Which e-mail addresses the portal accepts: only those its mailer can deliver to.

Django's EmailValidator accepts quoted local parts with control characters (`"a\\x01b"@…`), non-ASCII
local parts and IP literals; the SMTP backend then refuses them (`prep_address` raises ValueError: a
non-ASCII local part needs SMTPUTF8, which Django does not use), so such an address silently got no
reminder. The rule here is the intersection: a plain dot-atom ASCII local part (no quotes, no spaces,
no control characters), a domain name with a dot (an internationalised one is sent IDNA-encoded), and
the same parse the mailer does must find no defect.
"""

from __future__ import annotations

import email.message
import email.policy
import re
from email.headerregistry import AddressHeader

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils.encoding import punycode
from django.utils.translation import gettext_lazy as _

MAX_LENGTH = 254  # RFC 5321 path limit, less the angle brackets
MAX_LOCAL_LENGTH = 64
# RFC 5322 dot-atom: atext characters, single dots between them, none at either end.
DOT_ATOM = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*\Z")


def validate_deliverable_email(value: str) -> None:
    """Raise ValidationError (Vietnamese) unless the mailer can send to `value`."""
    if len(value) > MAX_LENGTH:
        raise ValidationError(_("Địa chỉ e-mail quá dài (tối đa %(n)s ký tự).") % {"n": MAX_LENGTH}, code="length")
    if any(ord(c) < 33 or ord(c) == 127 or c.isspace() for c in value):
        raise ValidationError(_("Địa chỉ e-mail không được chứa dấu cách hay ký tự điều khiển."), code="control")
    local, at, domain = value.rpartition("@")
    if not at or not local or not domain:
        raise ValidationError(_("Nhập một địa chỉ e-mail dạng ten@donvi.gov.vn."), code="invalid")
    if not local.isascii() or not DOT_ATOM.match(local) or len(local) > MAX_LOCAL_LENGTH:
        raise ValidationError(
            _("Phần trước @ chỉ được gồm chữ cái không dấu, chữ số và các dấu . _ - + (không dùng dấu ngoặc kép, "
              "chữ có dấu hay hai dấu chấm liền nhau)."), code="local_part")
    if domain.startswith("[") or "." not in domain.strip("."):
        raise ValidationError(_("Phần sau @ phải là một tên miền, ví dụ congan.gov.vn."), code="domain")
    try:
        EmailValidator()(value)
        punycode(domain)
    except (ValidationError, UnicodeError):
        raise ValidationError(_("Tên miền “%(domain)s” không hợp lệ.") % {"domain": domain}, code="domain") from None
    if not mailer_accepts(value):
        raise ValidationError(_("Máy chủ thư không gửi được đến địa chỉ này."), code="mailer")


def mailer_accepts(value: str) -> bool:
    """The checks Django's SMTP backend (`prep_address`) and message builder make before sending."""
    try:
        parsed = AddressHeader.value_parser(value)
        if parsed.all_defects or len(parsed.all_mailboxes) != 1:
            return False
        header = email.message.EmailMessage(policy=email.policy.SMTP)
        header["To"] = value
        header.as_bytes()
    except (ValueError, TypeError, IndexError, UnicodeError):
        return False
    return True


def is_deliverable(value: str) -> bool:
    try:
        validate_deliverable_email(value)
    except ValidationError:
        return False
    return True


def refusal_reason(value: str) -> str:
    """Why `value` cannot be used (for `send_reminders`' report), or "" when it can."""
    try:
        validate_deliverable_email(value)
    except ValidationError as exc:
        return " ".join(str(m) for m in exc.messages)
    return ""
