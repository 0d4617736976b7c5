"""Writes of the data exchange: applying a checked import file, keeping uploads until confirmed.

An import is all-or-nothing: the file is checked again inside the transaction that writes it,
and any problem rolls everything back. `writing` applies the plan (new assessments in bulk, the
few updates through the assessments services); the figures of what it touched are refreshed in
the same transaction by figures_after_import().
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable
from typing import BinaryIO

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import permissions
from assessments import facts

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


# ---------------------------------------------------------------- uploads waiting for confirmation


def pending_import_create(*, user, kind: str, name: str, data: bytes) -> PendingImport:
    """Check an uploaded file once and keep what the preview shows; forget the user's stale uploads.

    The bytes are kept only when the file can be confirmed: a refused file (a spreadsheet bomb, a row
    error) is not stored, only its problems.
    """
    permissions.require(user, "data.import")
    PendingImport.objects.filter(created_at__lt=timezone.now() - PENDING_MAX_AGE).delete()
    PendingImport.objects.filter(user=user, consumed_at__isnull=False).delete()
    plan = build_plan(kind=kind, name=name, data=data, user=user)
    if not plan.ok:
        data = b""
    return PendingImport.objects.create(
        user=user, kind=kind, file_name=name[:255], data=data, sha256=hashlib.sha256(data).hexdigest() if data else "",
        problems=[[p.row, p.column, p.reason] for p in plan.problems], problem_count=plan.problem_count,
        summary={
            "totals": plan.totals(), "skipped_rows": plan.skipped_rows,
            "areas": [{"name": entry["district"].name, CREATED: entry[CREATED], UPDATED: entry[UPDATED],
                       UNCHANGED: entry[UNCHANGED]} for entry in plan.summary()],
        },
    )


class AlreadyImported(Exception):
    pass


@transaction.atomic
def pending_import_confirm(*, pending: PendingImport, user) -> ImportPlan:
    """Import a previewed file exactly once. Raises AlreadyImported or ImportRejected."""
    permissions.require(user, "data.import")
    # The conditional update is the lock: a second click waits for the first and then finds it done.
    # A file refused on upload has no bytes to import.
    claimed = PendingImport.objects.filter(pk=pending.pk, user=user, consumed_at__isnull=True,
                                           problem_count=0).update(consumed_at=timezone.now())
    if not claimed:
        raise AlreadyImported
    pending = PendingImport.objects.get(pk=pending.pk)
    data = bytes(pending.data)
    if hashlib.sha256(data).hexdigest() != pending.sha256:
        raise AlreadyImported
    # A rejection rolls back the claim too, so the user can fix the data and confirm again.
    return data_import(kind=pending.kind, name=pending.file_name, data=data, actor=user)
