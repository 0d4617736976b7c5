"""A generation token for every figure the reports compute (issue 13: live and cheap).

Computed reports are cached under a key that includes the current token; every write that can
change a figure replaces the token, so a cached report is never read after a save. The token is
replaced at once and again when the transaction commits, so that a report computed by another
request between the write and the commit is not kept either.
"""

from __future__ import annotations

import uuid

from django.core.cache import cache
from django.db import transaction

KEY = "figures:generation"
REPORT_TIMEOUT = 60 * 60  # an hour; the token makes entries stale long before that


def generation() -> str:
    token = cache.get(KEY)
    if token is None:
        token = uuid.uuid4().hex
        cache.add(KEY, token, None)
        token = cache.get(KEY) or token
    return token


def _bump() -> None:
    cache.set(KEY, uuid.uuid4().hex, None)


def figures_changed() -> None:
    """Call after any write that can change a report figure (services call it; signals catch the rest)."""
    _bump()
    transaction.on_commit(_bump)


def cached(kind: str, parts: tuple, compute):
    """`compute()` cached under the current generation token."""
    key = f"report:{generation()}:{kind}:" + ":".join(str(p) for p in parts)
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, REPORT_TIMEOUT)
    return value
