"""What checking a file gives: its problems (kept bounded) or the changes to make, counted per area."""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

from communes.models import Unit

from ..reading import excerpt

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"
# A reason quotes at most a short excerpt of a cell (reading.excerpt); this bounds whatever else it holds
# (unit names, lists of codes), so that the problems kept, stored and shown are bounded in bytes:
# IMPORT_MAX_PROBLEMS × (REASON_CHARS + COLUMN_CHARS) characters at most.
REASON_CHARS = 300
COLUMN_CHARS = 40


@dataclass(frozen=True)
class Problem:
    row: int
    column: str
    reason: str

    def __str__(self) -> str:  # the command-line form fixed by §5
        return f"row {self.row}, column {self.column}: {self.reason}"

    def localised(self) -> str:  # the web form, in the user's language
        return _("Dòng %(row)s, cột %(column)s: %(reason)s") % {
            "row": self.row, "column": self.column, "reason": self.reason}


@dataclass
class ImportPlan:
    """What a file would do, or what is wrong with it.

    Problems are counted, but only the first `problem_limit` (settings.IMPORT_MAX_PROBLEMS) by row
    are kept: a file of 200,000 duplicate rows must not make a 200,000-line page or list in memory.
    `changes` holds one small record per row to write (created or updated, see each kind's module);
    rows left unchanged are only counted.
    """

    kind: str
    file_name: str
    changes: list = field(default_factory=list)
    skipped_rows: int = 0
    problem_count: int = 0
    problem_limit: int = field(default_factory=lambda: settings.IMPORT_MAX_PROBLEMS)
    _kept: list = field(default_factory=list, repr=False)  # heap of (-row, -order, Problem): the last kept on top
    _areas: dict = field(default_factory=dict, repr=False)  # (no district, area code) → counts by action

    def add_problem(self, row: int, column: str, reason: str) -> None:
        self.problem_count += 1
        column = excerpt(column, COLUMN_CHARS)
        reason = reason if len(reason) <= REASON_CHARS else reason[:REASON_CHARS] + "…"
        entry = (-row, -self.problem_count, Problem(row, column, reason))
        if len(self._kept) < self.problem_limit:
            heapq.heappush(self._kept, entry)
        elif self._kept and entry > self._kept[0]:  # earlier in the file than the last one kept
            heapq.heapreplace(self._kept, entry)

    def count(self, action: str, unit: Unit) -> None:
        """One checked row: `action` on `unit`'s data (for the totals and the summary by district)."""
        # Units created after 1/7/2025 have no district: they are summed under their province.
        area = unit.district or unit.province
        key = (unit.district is None, area.code)
        entry = self._areas.get(key)
        if entry is None:
            entry = self._areas[key] = {"district": area, CREATED: 0, UPDATED: 0, UNCHANGED: 0}
        entry[action] += 1

    def refuse(self, row: int, column: str, reason: str) -> None:
        """The whole file is refused for one reason (unreadable, over a limit): that is its only problem."""
        self.discard_changes()
        self.problem_count, self._kept = 0, []
        self.add_problem(row, column, reason)

    def discard_changes(self) -> None:
        """A file with problems changes nothing: no changes, nothing counted."""
        self.changes = []
        self._areas = {}

    @property
    def problems(self) -> list[Problem]:
        """The problems kept, by row (and in the order found within a row)."""
        return [problem for _row, _order, problem in sorted(self._kept, reverse=True)]

    @property
    def more_problems(self) -> int:
        """How many problems were counted but not kept."""
        return self.problem_count - len(self._kept)

    @property
    def ok(self) -> bool:
        return self.problem_count == 0

    def summary(self) -> list[dict]:
        """Per district: how many rows create, update or leave unchanged an object. Sorted by district code."""
        return [self._areas[key] for key in sorted(self._areas)]

    def totals(self) -> dict[str, int]:
        return {action: sum(entry[action] for entry in self._areas.values()) for action in (CREATED, UPDATED, UNCHANGED)}
