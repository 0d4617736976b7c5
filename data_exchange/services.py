"""Writes of the data exchange: applying a checked import file, keeping uploads until confirmed.

The web import is upload → check (a background job) → preview → confirm (another job): the request only
stores the file or starts the job; data_exchange/jobs.py runs pending_import_check() and pending_import_confirm().

An import is all-or-nothing: the file is checked again inside the transaction that writes it,
and any problem rolls everything back. `writing` applies the plan (new assessments in bulk, the
few updates through the assessments services); the figures of what it touched are refreshed in
the same transaction by figures_after_import().
"""

from __future__ import annotations

import datetime
import hashlib
import io
from collections.abc import Callable
from typing import BinaryIO

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import permissions
from assessments import facts
from jobs.models import Job
from jobs.models import Kind as JobKind
from jobs.services import job_start

from .importing import CREATED, UNCHANGED, UPDATED, ImportPlan, build_plan
from .models import PendingImport
from .reading import Limits
from .writing import APPLY

HISTORY_REASON_MAX = 100
PENDING_MAX_AGE = datetime.timedelta(days=1)


class ImportRejected(Exception):
    """The file has problems; nothing was written. `plan.problems` lists them."""

    def __init__(self, plan: ImportPlan):
        super().__init__(f"{plan.problem_count} problem(s)")
        self.plan = plan


def import_reason(name: str) -> str:
    """The reason written in the history. Stored data, so always in Vietnamese whatever the UI language."""
    reason = f"Nhập dữ liệu từ tệp {name}"
    if len(reason) > HISTORY_REASON_MAX:  # history keeps at most 100 characters
        reason = f"Nhập dữ liệu từ tệp {name[:40]}…{name[-35:]}"
    return reason


def figures_after_import(*, kind: str, touched: set[tuple[int, int]]) -> None:
    """The stored figures of the (programme id, year) pairs an import of `kind` wrote, refreshed in its
    transaction (the bulk inserts send no signals). A decision counts in every later year too; model counts
    are not stored per unit, only the reports' tokens change."""
    if kind == "models":
        facts.bump(programme_ids={pid for pid, _year in touched})
        return
    reach = {"recognitions": "onwards", "registrations": "all"}.get(kind, "year")
    facts.after_import(touched=touched, reach=reach)


@transaction.atomic
def data_import(*, kind: str, name: str, data: bytes | BinaryIO, actor=None, limits: Limits | None = None,
                on_progress: Callable[[int, int], None] | None = None) -> ImportPlan:
    """Check and import a whole file, or nothing. `actor` None: command line, full scope, no user.

    `data`: the bytes or a seekable binary file (read as a stream); `limits`: the web upload's by default,
    Limits.for_command_line() for a backup of any size. `on_progress(done, total)`: every row counts
    twice in `total`, once checked and once written. Raises ImportRejected when any row is bad.
    """
    rows = 0

    def checked(done: int, total: int) -> None:
        nonlocal rows
        rows = total
        on_progress(done, 2 * total)

    plan = build_plan(kind=kind, name=name, data=data, user=actor, limits=limits,
                      on_progress=checked if on_progress else None)
    if not plan.ok:
        raise ImportRejected(plan)
    to_write = max(len(plan.changes), 1)

    def written(done: int) -> None:
        if on_progress and rows:
            on_progress(rows + rows * done // to_write, 2 * rows)

    try:
        with transaction.atomic():
            touched = APPLY[kind](plan, actor=actor, reason=import_reason(name), progress=written)
            figures_after_import(kind=kind, touched=touched)
    except IntegrityError:
        # Someone wrote the same data between the check and the write.
        plan.add_problem(1, "-", _("Dữ liệu vừa được người khác thay đổi; hãy nhập lại tệp."))
        raise ImportRejected(plan) from None
    return plan


# ---------------------------------------------------------------- uploads: check and confirm, each a job


def pending_import_upload(*, user, kind: str, name: str, data: bytes, title: str, language: str) -> PendingImport:
    """Keep an uploaded file and start the job that checks it (data_exchange/jobs.py); the request does nothing
    else. Uploads never confirmed are forgotten after a day, imported ones (their counts only) with their jobs."""
    permissions.require(user, "data.import")
    now = timezone.now()
    PendingImport.objects.filter(consumed_at__isnull=True, created_at__lt=now - PENDING_MAX_AGE).delete()
    PendingImport.objects.filter(consumed_at__lt=now - datetime.timedelta(days=settings.JOBS_KEEP_DAYS)).delete()
    pending = PendingImport.objects.create(user=user, kind=kind, file_name=name[:255], data=data,
                                           sha256=hashlib.sha256(data).hexdigest())
    job = job_start(owner=user, kind=JobKind.IMPORT_CHECK, title=title,
                    params={"pending": str(pending.pk), "language": language})
    PendingImport.objects.filter(pk=pending.pk).update(check_job=job)
    pending.check_job = job
    return pending


def pending_import_check(*, pending: PendingImport, on_progress: Callable[[int, int], None] | None = None
                         ) -> PendingImport:
    """Check an uploaded file once (the check job) and keep what the preview shows. A refused file (a
    spreadsheet bomb, a row error) is not kept, only its problems. Checked already: nothing to do."""
    permissions.require(pending.user, "data.import")
    if pending.checked_at is not None:
        return pending
    plan = build_plan(kind=pending.kind, name=pending.file_name, data=io.BytesIO(bytes(pending.data)),
                      user=pending.user, on_progress=on_progress)
    if not plan.ok:
        pending.data, pending.sha256 = b"", ""
    pending.problems = [[p.row, p.column, p.reason] for p in plan.problems]
    pending.problem_count = plan.problem_count
    pending.summary = {
        "totals": plan.totals(), "skipped_rows": plan.skipped_rows,
        "areas": [{"name": entry["district"].name, CREATED: entry[CREATED], UPDATED: entry[UPDATED],
                   UNCHANGED: entry[UNCHANGED]} for entry in plan.summary()],
    }
    pending.checked_at = timezone.now()
    pending.save(update_fields=["data", "sha256", "problems", "problem_count", "summary", "checked_at"])
    return pending


class AlreadyImported(Exception):
    pass


class NotConfirmable(Exception):
    """Not checked yet, refused by the check, or imported: there is nothing to confirm."""


def pending_import_confirm_start(*, pending: PendingImport, user, title: str, language: str) -> Job:
    """Start the job that imports a previewed file, once: while this file has a confirm job (queued,
    running, done or failed: a double click, a second tab), the answer is that job. Raises NotConfirmable."""
    permissions.require(user, "data.import")
    with transaction.atomic():
        # The row lock is the queue: a second click waits for the first and then finds its job.
        locked = PendingImport.objects.select_for_update().defer("data").get(pk=pending.pk, user=user)
        if locked.confirm_job_id is not None:
            return Job.objects.get(pk=locked.confirm_job_id)
        if not locked.confirmable:
            raise NotConfirmable
        job = job_start(owner=user, kind=JobKind.IMPORT_CONFIRM, title=title,
                        params={"pending": str(locked.pk), "language": language})
        PendingImport.objects.filter(pk=locked.pk).update(confirm_job=job)
    return job


@transaction.atomic
def pending_import_confirm(*, pending: PendingImport, user,
                           on_progress: Callable[[int, int], None] | None = None) -> ImportPlan:
    """Import a previewed file exactly once (the confirm job). Raises AlreadyImported or ImportRejected."""
    permissions.require(user, "data.import")
    # The conditional update is the lock: a second run waits for the first and then finds it done.
    # A file refused by its check has no bytes to import.
    claimed = PendingImport.objects.filter(pk=pending.pk, user=user, consumed_at__isnull=True, checked_at__isnull=False,
                                           problem_count=0).update(consumed_at=timezone.now())
    if not claimed:
        raise AlreadyImported
    pending = PendingImport.objects.get(pk=pending.pk)
    data = bytes(pending.data)
    if hashlib.sha256(data).hexdigest() != pending.sha256:
        raise AlreadyImported
    # A rejection (or any error, or the worker's death) rolls back the claim too: nothing was imported.
    plan = data_import(kind=pending.kind, name=pending.file_name, data=data, actor=user, on_progress=on_progress)
    PendingImport.objects.filter(pk=pending.pk).update(data=b"", imported=plan.totals())
    return plan
