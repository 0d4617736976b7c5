"""Checking an assessments file: `commune_code,year,stage,c1,…,cN[,programme][,status]` (DESIGN §5).

The criteria set of a new assessment is the services' `criteria_sets_for` (the newest published set
in force: a draft copy is never used); an existing assessment keeps its own set.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import NamedTuple

from django.utils.translation import gettext as _

from assessments.models import Assessment, Criterion, CriterionResult, Result, Status
from assessments.services import criteria_sets_for
from communes.models import Unit

from ..reading import excerpt
from .cells import STAGES, Cells, Rows, parse_result, word
from .checker import Checker, Found, year_end
from .plan import CREATED, UNCHANGED, UPDATED

STORED_BATCH = 2000  # existing assessments whose results are compared per query


class AssessmentChange(NamedTuple):
    """A row to write: a new assessment (created), or an existing one recorded again (updated)."""

    row: int
    action: str
    unit: Unit
    year: int
    programme_id: int
    criteria_set_id: int
    stage: str  # "self" or "verified"
    returned: bool
    criteria: tuple[tuple[int, int], ...]  # (number, criterion id) of the set, by number (shared by rows)
    values: tuple[str, ...]  # the Result of each of `criteria`

    def results(self) -> dict[int, str]:
        return {number: value for (number, _id), value in zip(self.criteria, self.values, strict=True)}


class Stored(NamedTuple):
    id: int
    status: str
    criteria_set_id: int


@dataclass(frozen=True)
class Layout:
    """A criteria set as the rows read it: its criteria, and where their columns are in a compact row."""

    set_id: int
    criteria: tuple[tuple[int, int], ...]
    positions: tuple[int | None, ...]  # position of each criterion's column (None: no such column)
    extra: tuple[tuple[int, int], ...]  # (number, position) of the file's cK columns the set does not have


@dataclass
class Known:
    """What the rows are checked against, read before the first row in a constant number of queries."""

    existing: dict[tuple[int, int, int], Stored]  # (unit id, year, programme id) → its assessment
    in_force: dict[tuple[int, int], int]  # (programme id, year) → the set a new assessment takes
    layouts: dict[int, Layout]

    @classmethod
    def load(cls, checker: Checker, years: set[int]) -> Known:
        existing = {
            (unit_id, year, programme_id): Stored(pk, status, set_id)
            for pk, unit_id, year, programme_id, status, set_id in Assessment.objects.filter(
                unit_id__in=list(checker.units), year__in=years
            ).values_list("id", "unit_id", "year", "criteria_set__programme_id", "status", "criteria_set_id")
        }
        in_force = {key: s.id for key, s in criteria_sets_for([p.id for p in checker.programmes], years).items()}
        criteria = defaultdict(list)
        for set_id, number, criterion_id in Criterion.objects.filter(
            criteria_set_id__in=set(in_force.values()) | {s.criteria_set_id for s in existing.values()}
        ).order_by("criteria_set_id", "number").values_list("criteria_set_id", "number", "id"):
            criteria[set_id].append((number, criterion_id))
        index = checker.rows.index
        layouts = {}
        for set_id in set(in_force.values()) | {s.criteria_set_id for s in existing.values()}:
            mine = tuple(criteria[set_id])
            numbers = {number for number, _id in mine}
            layouts[set_id] = Layout(
                set_id, mine, tuple(index.get(f"c{number}") for number, _id in mine),
                tuple((n, index[f"c{n}"]) for n in sorted(checker.rows.criteria - numbers)),
            )
        return cls(existing, in_force, layouts)

    def layout(self, stored: Stored | None, found: Found, year: int) -> Layout | None:
        set_id = stored.criteria_set_id if stored else self.in_force.get((found.programme.id, year))
        return None if set_id is None else self.layouts[set_id]


def plan_assessments(checker: Checker, rows: Rows) -> None:
    known = Known.load(checker, checker.years_in_file())
    seen: dict[tuple[int, int, int], int] = {}
    meeting_stored: list[tuple[AssessmentChange, Stored]] = []
    for row, cells in rows:
        change, stored = _check_row(checker, known, seen, row, cells)
        if change is None:
            continue
        if stored is None:
            checker.plan.count(CREATED, change.unit)
            checker.plan.changes.append(change)
            continue
        meeting_stored.append((change, stored))
        if len(meeting_stored) == STORED_BATCH:
            _compare_with_stored(checker, meeting_stored)
            meeting_stored = []
    _compare_with_stored(checker, meeting_stored)


def _check_row(checker: Checker, known: Known, seen: dict, row: int, cells: Cells):
    """(the change, the stored assessment it meets or None), or (None, None) after a problem."""
    year = checker.year(row, cells)
    if year is None:
        checker.code_known(row, cells)
    found = checker.unit(row, cells, day=year_end(year), year=year) if year is not None else None
    stage, returned = _stage(checker, row, cells)
    if found is None or year is None:
        return None, None
    unit = found.unit
    key = (unit.id, year, found.programme.id)
    if key in seen:
        checker.problem(row, "commune_code", _("%(unit)s năm %(year)s đã có ở dòng %(first)s.")
                        % {"unit": unit, "year": year, "first": seen[key]})
        return None, None
    seen[key] = row
    stored = known.existing.get(key)
    layout = known.layout(stored, found, year)
    if layout is None:
        checker.problem(row, "year", _("chưa có bộ tiêu chí áp dụng cho năm %(year)s.") % {"year": year})
        return None, None
    values = _values(checker, row, cells, layout, stage, year)
    if stage is None or values is None or not _workflow_allows(checker, row, stage, stored, unit, year):
        return None, None
    return AssessmentChange(row, CREATED, unit, year, found.programme.id, layout.set_id, stage, returned,
                            layout.criteria, values), stored


def _stage(checker: Checker, row: int, cells: Cells) -> tuple[str | None, bool]:
    """The row's stage (None when unusable) and whether it is a returned assessment."""
    stage = word(cells.get("stage"))
    if stage not in STAGES:
        checker.problem(row, "stage", _("giai đoạn “%(value)s” không hợp lệ (chỉ nhận self hoặc verified).")
                        % {"value": excerpt(cells.get("stage"))})
        stage = None
    status = word(cells.get("status"))
    if status not in ("", "returned"):
        checker.problem(row, "status", _("trạng thái “%(value)s” không hợp lệ (để trống hoặc returned).")
                        % {"value": excerpt(cells.get("status"), 20)})
        stage = None
    elif status and stage == "verified":
        checker.problem(row, "status", _("dòng đã thẩm định (verified) không thể có trạng thái returned."))
        stage = None
    return stage, bool(status)


def _values(checker: Checker, row: int, cells: Cells, layout: Layout, stage: str | None, year: int
            ) -> tuple[str, ...] | None:
    """The Result of each criterion of the set, or None after a problem."""
    texts = cells.values
    if None not in layout.positions:  # the usual row, checked with a few lookups
        values = tuple(parse_result(texts[position]) for position in layout.positions)
        if None not in values and not (stage == "verified" and Result.NOT_YET in values) and not any(
                texts[position] for _number, position in layout.extra):
            return values
    values, ok, total = [], True, len(layout.criteria)
    for (number, _id), position in zip(layout.criteria, layout.positions, strict=True):
        if position is None:
            checker.problem(row, f"c{number}", _("thiếu cột: bộ tiêu chí năm %(year)s có %(total)s tiêu chí.")
                            % {"year": year, "total": total})
            ok = False
            continue
        value = parse_result(texts[position])
        if value is None:
            checker.problem(row, f"c{number}", _("giá trị “%(value)s” không hợp lệ (dùng 1, 0, x, đạt, "
                                                 "không đạt, chưa đạt hoặc để trống).") % {"value": excerpt(texts[position])})
            ok = False
        elif value == Result.NOT_YET and stage == "verified":
            checker.problem(row, f"c{number}", _("dòng đã thẩm định (verified) không được để trống kết quả."))
            ok = False
        values.append(value)
    for number, position in layout.extra:
        if texts[position]:
            checker.problem(row, f"c{number}", _("thừa cột: bộ tiêu chí năm %(year)s chỉ có %(total)s tiêu chí.")
                            % {"year": year, "total": total})
            ok = False
    return tuple(values) if ok else None


def _workflow_allows(checker: Checker, row: int, stage: str, stored: Stored | None, unit: Unit, year: int) -> bool:
    """Through the web an import obeys the same rules as the pages (the command line restores backups):

    * a `verified` row needs the permission to verify (reviewers, administrators), like the review page;
    * an assessment the commune is still working on (a draft, or one returned to it) is the officer's:
      neither a `self` nor a `verified` row may take it over — the officer submits it on the portal.
    """
    if checker.user is None:
        return True
    if stage == "verified" and not checker.can("assessment.review"):
        checker.problem(row, "stage", _("vai trò của bạn không được xác nhận thẩm định (verified); chỉ nhập được "
                                        "kết quả tự đánh giá (self)."))
        return False
    if stored is not None and stored.status in (Status.DRAFT, Status.RETURNED):
        checker.problem(row, "stage", _("%(unit)s đang soạn hoặc sửa đánh giá năm %(year)s trên cổng (%(status)s): "
                                        "cán bộ xã gửi lên, cấp trên thẩm định trên trang thẩm định.")
                        % {"unit": unit, "year": year, "status": Status(stored.status).label})
        return False
    return True


def _compare_with_stored(checker: Checker, meeting: list[tuple[AssessmentChange, Stored]]) -> None:
    """Rows meeting an existing assessment: unchanged, updated, or a problem (a verified one is never
    changed by a file). Their stored results are read a batch of STORED_BATCH assessments at a time."""
    if not meeting:
        return
    results: dict[int, dict[int, tuple[str, str]]] = defaultdict(dict)
    for assessment_id, number, self_result, verified_result in CriterionResult.objects.filter(
        assessment_id__in=[stored.id for _change, stored in meeting]
    ).values_list("assessment_id", "criterion__number", "self_result", "verified_result"):
        results[assessment_id][number] = (self_result, verified_result)
    for change, stored in meeting:
        action = _action(checker, change, stored, results[stored.id])
        if action is not None:
            checker.plan.count(action, change.unit)
            if action == UPDATED:
                checker.plan.changes.append(change._replace(action=UPDATED))


def _action(checker: Checker, change: AssessmentChange, stored: Stored, results: dict) -> str | None:
    column = 0 if change.stage == "self" else 1
    same_results = all(results.get(number, ("", ""))[column] == value
                       for (number, _id), value in zip(change.criteria, change.values, strict=True))
    if stored.status == Status.VERIFIED:
        if change.stage == "verified" and same_results:
            return UNCHANGED
        checker.problem(change.row, "stage", _("đánh giá năm %(year)s của %(unit)s đã được thẩm định, "
                                               "không thể thay đổi bằng tệp nhập.")
                        % {"year": change.year, "unit": change.unit})
        return None
    wanted = Status.VERIFIED if change.stage == "verified" else Status.RETURNED if change.returned else Status.SUBMITTED
    return UNCHANGED if stored.status == wanted and same_results else UPDATED
