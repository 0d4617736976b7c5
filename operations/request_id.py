"""A request id for every log line: taken from a sane incoming X-Request-ID (a proxy's), else made here.

It lives in a context variable, so the log lines of a request — and of the background job it started
(jobs/tasks.py sets it there too) — carry the same id, and the response sends it back.
"""

from __future__ import annotations

import contextvars
import logging
import re
import uuid

HEADER = "X-Request-ID"
# Letters, digits and - _ . : only, 8–64 characters: enough for a UUID or a proxy's id, nothing to inject
# into a log line or a header.
SANE = re.compile(r"^[A-Za-z0-9._:-]{8,64}$")
NONE = "-"

current = contextvars.ContextVar("request_id", default=NONE)


def new_id() -> str:
    return uuid.uuid4().hex


def accept(incoming: str | None) -> str:
    """The incoming id if it is sane, else a new one."""
    if incoming and SANE.match(incoming):
        return incoming
    return new_id()


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = accept(request.headers.get(HEADER))
        request.request_id = request_id
        token = current.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            current.reset(token)
        response[HEADER] = request_id
        return response


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record that passes the handler ("-" outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            record.request_id = current.get()
        return True
