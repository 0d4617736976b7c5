"""Checking an import file before anything is written (DESIGN §5), one module per kind of file.

`build_plan()` reads the file once as a stream into compact rows (`cells.read_rows`), looks up every
unit and year of the file in a constant number of queries (`checker`), checks every row against the
database and the rest of the file with the services' own rules, and returns an ImportPlan: either
its problems (one per bad cell, kept bounded) or the changes to make, one small record per row.
Nothing here writes; services.data_import() applies a clean plan.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import BinaryIO

from ..reading import FileFormatError, Limits, open_table
from .assessments import AssessmentChange, plan_assessments
from .cells import BASE_COLUMNS, KINDS, OPTIONAL_COLUMNS, Rows, parse_date, parse_int, parse_result, read_rows
from .checker import Checker
from .model_counts import ModelCountChange, plan_model_counts
from .plan import CREATED, UNCHANGED, UPDATED, ImportPlan, Problem
from .recognitions import RecognitionChange, plan_recognitions
from .registrations import RegistrationChange, plan_registrations

__all__ = [
    "BASE_COLUMNS", "CREATED", "KINDS", "OPTIONAL_COLUMNS", "UNCHANGED", "UPDATED", "AssessmentChange",
    "ImportPlan", "ModelCountChange", "Problem", "RecognitionChange", "RegistrationChange", "build_plan",
    "parse_date", "parse_int", "parse_result",
]

PLANNERS = {"assessments": plan_assessments, "recognitions": plan_recognitions,
            "registrations": plan_registrations, "models": plan_model_counts}
PROGRESS_EVERY = 1000  # rows between two calls of on_progress


def build_plan(*, kind: str, name: str, data: bytes | BinaryIO, user=None, limits: Limits | None = None,
               on_progress: Callable[[int, int], None] | None = None) -> ImportPlan:
    """Check the whole file; `user` None means the command line's full scope.

    `data`: the bytes, or a seekable binary file (read as a stream). `limits`: the web upload's by default
    (Limits.from_settings()). `on_progress(done, total)` is called every PROGRESS_EVERY rows checked.
    """
    if kind not in KINDS:
        raise ValueError(kind)
    plan = ImportPlan(kind=kind, file_name=name)
    rows = file_rows(plan, kind, name, data, limits)
    if rows is None:
        return plan
    checker = Checker(plan, _Reported(rows, on_progress) if on_progress else rows, user)
    PLANNERS[kind](checker, checker.rows)
    if not plan.ok:
        plan.discard_changes()
    return plan


def file_rows(plan: ImportPlan, kind: str, name: str, data: bytes | BinaryIO, limits: Limits | None) -> Rows | None:
    """The first pass: the file's rows, or None with the reason in `plan` (a file that cannot be read,
    or is over a limit, has that one problem; a bad header has its own)."""
    try:
        with open_table(name, data, limits) as table:
            return read_rows(plan, table, kind)
    except FileFormatError as exc:
        plan.refuse(exc.row, exc.column, str(exc))
        return None


class _Reported(Rows):
    """The rows, calling on_progress(done, total) while they are checked."""

    def __init__(self, rows: Rows, on_progress: Callable[[int, int], None]):
        super().__init__(index=rows.index, criteria=rows.criteria, items=rows.items)
        self.on_progress = on_progress

    def __iter__(self):
        total = len(self.items)
        for done, item in enumerate(super().__iter__(), start=1):
            yield item
            if done % PROGRESS_EVERY == 0 or done == total:
                self.on_progress(done, total)
