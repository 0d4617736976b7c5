"""Writes of the API app: personal access tokens are made and revoked here (pages, admin, command)."""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User

from .models import ApiToken

# What a token looks like: "cpt_" + an 8-character lookup prefix + "_" + a 43-character secret.
TOKEN_MARK = "cpt_"
PREFIX_LENGTH = 8
MAX_DAYS = 366
DEFAULT_DAYS = 90
# last_used_at is written at most this often, so that a busy script costs no write per request.
LAST_USED_EVERY = datetime.timedelta(minutes=1)


class TokenError(ValueError):
    """A token cannot be made or changed as asked; the message is for the user."""


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def split_token(raw: str) -> str | None:
    """The lookup prefix of a well-formed token, or None."""
    if not raw.startswith(TOKEN_MARK):
        return None
    prefix, _sep, secret = raw[len(TOKEN_MARK):].partition("_")
    if len(prefix) != PREFIX_LENGTH or not secret or len(raw) > 100:
        return None
    return prefix


@transaction.atomic
def api_token_create(*, user: User, name: str, days: int = DEFAULT_DAYS, can_write: bool = False) -> tuple[ApiToken, str]:
    """A new token for `user` (their own role and scope). Returns the row and the token, shown only once."""
    name = (name or "").strip()
    if not name:
        raise TokenError(_("Cần đặt tên gợi nhớ cho mã truy cập."))
    if not 1 <= int(days) <= MAX_DAYS:
        raise TokenError(_("Thời hạn phải từ 1 đến %(max)s ngày.") % {"max": MAX_DAYS})
    if not user.is_active:
        raise TokenError(_("Tài khoản này đã bị khóa."))
    while True:
        prefix = secrets.token_hex(PREFIX_LENGTH // 2)
        if not ApiToken.objects.filter(prefix=prefix).exists():
            break
    raw = f"{TOKEN_MARK}{prefix}_{secrets.token_urlsafe(32)}"
    now = timezone.now()
    token = ApiToken.objects.create(
        user=user, name=name[:100], prefix=prefix, digest=token_digest(raw), can_write=bool(can_write),
        created_at=now, expires_at=now + datetime.timedelta(days=int(days)),
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor: User) -> ApiToken:
    """Revoke a token: its owner may, and so may an administrator (the admin). Revoking twice changes nothing."""
    if actor.pk != token.user_id and not actor.is_portal_admin:
        raise TokenError(_("Bạn không có quyền thu hồi mã truy cập này."))
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.revoked_by = actor
        token.save(update_fields=["revoked_at", "revoked_by"])
    return token


def api_token_touch(*, token: ApiToken) -> None:
    """Record a use, at most once a minute (one UPDATE, no read)."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
