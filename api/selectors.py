"""Reads of the API app."""

from __future__ import annotations

import hmac

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from .models import ApiToken
from .services import token_digest


def token_list(*, user) -> QuerySet[ApiToken]:
    """A user's own tokens, newest first (nobody else's: an administrator uses the admin)."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")


def token_get(*, user, pk: int) -> ApiToken:
    return get_object_or_404(token_list(user=user), pk=pk)


def token_for(raw: str, prefix: str) -> ApiToken | None:
    """The token row whose prefix and digest match `raw`, with its user (one query)."""
    token = ApiToken.objects.select_related("user").filter(prefix=prefix).first()
    if token is None or not hmac.compare_digest(token.digest, token_digest(raw)):
        return None
    return token
