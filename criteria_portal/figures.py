"""The report cache (DESIGN §6): entries keyed by the tokens of the stored figures they were computed from.

A computed report is cached under its kind, its parameters and the tokens of the (programme, day) facts it
read (`assessments.facts.ensure`). A write that changes a counted fact replaces the token of that
programme and day only, so it forgets exactly the entries computed from it; a draft's autosave changes
no token. Tokens live in the database and change in the write's own transaction, and a report reads
the tokens before the facts, so an entry can never hold figures older than its key.

A cache that cannot be reached is skipped: the figures are computed, a warning is logged, and the cache
is not tried again for `RETRY_AFTER` seconds — never a 500, never a lost write.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from contextlib import contextmanager

from django.core.cache import cache
from django.utils import translation

log = logging.getLogger(__name__)
REPORT_TIMEOUT = 24 * 60 * 60  # a day; the tokens make entries unreachable long before that
RETRY_AFTER = 30.0
_down_until = 0.0


def _available() -> bool:
    return time.monotonic() >= _down_until


def _failed(error: Exception) -> None:
    global _down_until
    _down_until = time.monotonic() + RETRY_AFTER
    log.warning("report cache unreachable, computing without it for %ss: %s", int(RETRY_AFTER), error)


def reset() -> None:
    """Try the cache again at once (tests, after an outage is over)."""
    global _down_until
    _down_until = 0.0


def key(kind: str, parts: tuple, tokens: dict | None = None) -> str:
    stamp = ""
    if tokens:
        stamp = hashlib.sha1(repr(sorted(tokens.items())).encode(), usedforsecurity=False).hexdigest()[:20]
    # Reports carry words (notes, state labels): one entry per language.
    language = translation.get_language() or "vi"
    return f"report:{kind}:{language}:" + ":".join(str(p) for p in parts) + f":{stamp}"


def get_many(keys: list[str]) -> dict:
    if not keys or not _available():
        return {}
    try:
        return cache.get_many(keys)
    except Exception as error:  # noqa: BLE001 — any cache failure: compute without it
        _failed(error)
        return {}


def put(entry_key: str, value) -> None:
    if not _available():
        return
    try:
        cache.set(entry_key, value, REPORT_TIMEOUT)
    except Exception as error:  # noqa: BLE001
        _failed(error)


def cached(kind: str, parts: tuple, tokens: dict | None, compute):
    """`compute()` cached under `kind`, `parts` and the tokens of the facts it reads."""
    entry_key = key(kind, parts, tokens)
    value = get_many([entry_key]).get(entry_key)
    if value is None:
        value = compute()
        put(entry_key, value)
    return value


# ---------------------------------------------------------------- bulk changes of the map

_bulk = threading.local()
_bulk_handlers: list = []


def on_bulk_map_changes(handler) -> None:
    """`handler(keys)` runs once at the end of `bulk_map_changes()` with what the receivers collected."""
    _bulk_handlers.append(handler)


@contextmanager
def bulk_map_changes():
    """A loader changing thousands of units: the receivers collect (see `collecting`), one handler call at the end."""
    if getattr(_bulk, "pending", None) is not None:
        yield
        return
    _bulk.pending = set()
    try:
        yield
        pending = _bulk.pending
    finally:
        _bulk.pending = None
    if pending:
        for handler in _bulk_handlers:
            handler(pending)


def collecting() -> set | None:
    """The set a receiver adds to while a bulk change is under way, else None."""
    return getattr(_bulk, "pending", None)
