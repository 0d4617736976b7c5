"""What a job does, by kind: each app registers the work of its own kinds (`register`), so the jobs app runs
work it does not import — the reports' files (reports/jobs.py), the data exchange's exports and imports
(data_exchange/jobs.py) — and depends on none of them. A work is `work(job, progress) -> Output | Page`.

Also the helpers every work shares: the owner's right re-checked at run time, rows counted as they pass,
a report file built in one step.
"""

from __future__ import annotations

import io
from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from accounts import permissions

from .models import Job
from .services import JobFailure, Output, Progress

WORK: dict[str, Callable] = {}


def register(kind: str):
    """Decorator: `work` does the jobs of `kind` (registered when its app's module is imported, in ready())."""
    def decorate(work: Callable) -> Callable:
        WORK[kind] = work
        return work
    return decorate


def work_for(kind: str) -> Callable:
    return WORK[kind]


def require(job: Job, capability: str) -> None:
    """The owner may still do this (a role or scope changed since the job started is a refusal, not a leak)."""
    try:
        permissions.require(job.owner, capability)
    except PermissionDenied:
        raise JobFailure(_("Tài khoản của bạn không còn quyền tạo tệp này.")) from None


def counted(rows, progress: Progress):
    for row in rows:
        yield row
        progress.advance()


def file_output(progress: Progress, build: Callable[[], bytes], name: str, content_type: str) -> Output:
    """A file built in one step (a report): the bar shows the step."""
    progress.start(2)
    content = build()
    progress.advance()
    progress.flush()
    return Output(io.BytesIO(content), name, content_type)
