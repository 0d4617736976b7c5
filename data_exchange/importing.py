"""Checking an import file row by row, before anything is written (DESIGN §5).

`build_plan()` reads the whole file, checks every row against the database and the rest of
the file, and returns an ImportPlan: either a list of problems (one per bad cell) or the
list of changes to make. Nothing here writes; services.data_import() applies a clean plan.
"""

from __future__ import annotations

import datetime
import heapq
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import permissions
from assessments import programmes
from assessments.models import (
    Assessment,
    CriteriaSet,
    CriterionResult,
    Level,
    Programme,
    Recognition,
    Registration,
    Result,
    Status,
)
from assessments.services import LEVEL_CAPABILITY, recognition_rule_problem, year_range
from communes.lineage import CodeBook, UnitCodeError
from communes.models import Unit
from inventory.models import CountStatus, ModelCount, ModelType
from inventory.services import count_problem

from .formats import FileFormatError, Table, normalise, read_table

KINDS = ("assessments", "recognitions", "registrations", "models")
BASE_COLUMNS = {
    "assessments": ("commune_code", "year", "stage"),
    "recognitions": ("commune_code", "level", "decision_number", "decision_date", "issued_by"),
    "registrations": ("commune_code", "year"),
    "models": ("commune_code", "year", "model_code", "count"),
}
# Columns whose cells say something: a row where all of them are blank is skipped (e.g. an
# untouched line of a template, which comes with the unit code and year filled in).
CONTENT_COLUMNS = {
    "assessments": ("stage",),  # plus every cK column
    "recognitions": ("level", "decision_number", "decision_date", "issued_by"),
    "registrations": ("year",),
    "models": ("model_code", "count"),
}
CRITERION_COLUMN = re.compile(r"^c([1-9]\d{0,2})$")
MET_WORDS = {"1", "x", "đạt"}
NOT_MET_WORDS = {"0", "không đạt", "chưa đạt"}
LEVEL_WORDS = {
    "commune": Level.COMMUNE, "district": Level.DISTRICT, "province": Level.PROVINCE,
    "cấp xã": Level.COMMUNE, "cấp huyện": Level.DISTRICT, "cấp tỉnh": Level.PROVINCE,
}
STAGES = ("self", "verified")
# Optional columns (§5): every format may name the programme by code; a backup also keeps returned
# assessments (`status`) and revocations (`revoked_on`).
OPTIONAL_COLUMNS = {
    "assessments": ("programme", "status"),
    "recognitions": ("programme", "revoked_on"),
    "registrations": ("programme",),
    "models": ("programme", "status"),  # status: self or verified (a backup keeps the verification)
}

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"


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
class Change:
    """One validated row: what to do with which unit."""

    row: int
    action: str  # CREATED / UPDATED / UNCHANGED
    unit: Unit
    data: dict


@dataclass
class ImportPlan:
    """What a file would do, or what is wrong with it.

    Problems are counted, but only the first `problem_limit` (settings.IMPORT_MAX_PROBLEMS) by row
    are kept: a file of 200,000 duplicate rows must not make a 200,000-line page or list in memory.
    """

    kind: str
    file_name: str
    changes: list[Change] = field(default_factory=list)
    skipped_rows: int = 0
    problem_count: int = 0
    problem_limit: int = field(default_factory=lambda: settings.IMPORT_MAX_PROBLEMS)
    _kept: list = field(default_factory=list, repr=False)  # heap of (-row, -order, Problem): the last kept on top

    def add_problem(self, row: int, column: str, reason: str) -> None:
        self.problem_count += 1
        entry = (-row, -self.problem_count, Problem(row, column, reason))
        if len(self._kept) < self.problem_limit:
            heapq.heappush(self._kept, entry)
        elif self._kept and entry > self._kept[0]:  # earlier in the file than the last one kept
            heapq.heapreplace(self._kept, entry)

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
        by_district: dict[tuple, dict] = {}
        for change in self.changes:
            # Units created after 1/7/2025 have no district: they are summed under their province.
            area = change.unit.district or change.unit.province
            key = (change.unit.district is None, area.code)
            entry = by_district.setdefault(key, {"district": area, CREATED: 0, UPDATED: 0, UNCHANGED: 0})
            entry[change.action] += 1
        return [by_district[key] for key in sorted(by_district)]

    def totals(self) -> dict[str, int]:
        counts = Counter(change.action for change in self.changes)
        return {CREATED: counts[CREATED], UPDATED: counts[UPDATED], UNCHANGED: counts[UNCHANGED]}


def _key(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip().casefold()


def parse_result(value) -> str | None:
    """1/0/x/đạt/không đạt/chưa đạt (any case) → Result; blank → NOT_YET; anything else → None."""
    text = _key(normalise(value))
    text = re.sub(r"\s+", " ", text)
    if text == "":
        return Result.NOT_YET
    if text in MET_WORDS:
        return Result.MET
    if text in NOT_MET_WORDS:
        return Result.NOT_MET
    return None


def parse_date(value) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = normalise(value)
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def parse_int(value) -> int | None:
    text = normalise(value)
    return int(text) if re.fullmatch(r"\d{1,9}", text) else None


class _Checker:
    """Shared row checks: the unit (its code as of the row's date, in a programme, in scope) and the year.

    GSO reuses codes (§7), so `commune_code` is resolved as of 31/12 of the row's year (recognitions:
    as of the decision date); a code naming no unit in force then is an error naming its successors.
    """

    def __init__(self, plan: ImportPlan, table: Table, user):
        self.plan, self.table, self.user = plan, table, user
        self.programmes = programmes.programme_list()
        self.by_code = {p.code: p for p in self.programmes}
        codes = {parse_int(cells.get("commune_code")) for _row, cells in table.rows}
        self.book = CodeBook.load(codes)
        self.units = {u.id: u for units in self.book.by_code.values() for u in units}
        if user is None:  # the command line without --user: the whole database
            self.scope_ids = None
        else:
            self.scope_ids = set(
                permissions.unit_list(user=user, write=True).filter(id__in=list(self.units)).values_list("id", flat=True)
            )
        self.years = year_range()
        self._frames: dict[int, set[int]] = {}
        self._holders: dict[tuple[int, int], set[int]] = {}

    def problem(self, row: int, column: str, reason: str) -> None:
        self.plan.add_problem(row, column, reason)

    def _frame_ids(self, programme: Programme) -> set[int]:
        if programme.id not in self._frames:
            self._frames[programme.id] = set(programmes.frame_units(programme).values_list("id", flat=True))
        return self._frames[programme.id]

    def _holder_ids(self, programme: Programme, year: int) -> set[int]:
        key = (programme.id, year)
        if key not in self._holders:
            self._holders[key] = programmes.Frame.load(programme, year).holder_ids()
        return self._holders[key]

    def programmes_of(self, unit: Unit, year: int, *, frame_too: bool = False) -> list[Programme]:
        """Programmes `unit` is in for `year` (the same rule as assessments.programmes, in bulk)."""
        out = []
        for p in self.programmes:
            if not p.covers_year(year):
                continue
            if unit.id in self._holder_ids(p, year) or (frame_too and unit.id in self._frame_ids(p)):
                out.append(p)
        return out

    def unit(self, row: int, cells: dict, *, day: datetime.date, year: int,
             frame_too: bool = False, any_programme: bool = False) -> tuple[Unit, Programme] | None:
        """`any_programme`: data of the unit itself (the model inventory) — in several programmes is fine."""
        raw = normalise(cells.get("commune_code"))
        if not raw:
            self.problem(row, "commune_code", _("thiếu mã đơn vị."))
            return None
        code = parse_int(raw)
        if code is None:
            self.problem(row, "commune_code", _("mã đơn vị “%(code)s” không hợp lệ.") % {"code": raw[:20]})
            return None
        try:
            unit = self.book.resolve(code, day)
        except UnitCodeError as exc:
            self.problem(row, "commune_code", str(exc))
            return None
        if self.scope_ids is not None and unit.id not in self.scope_ids:
            self.problem(row, "commune_code", _("%(unit)s (mã %(code)s) nằm ngoài phạm vi quản lý của bạn.")
                         % {"unit": unit, "code": unit.code_text})
            return None
        candidates = self.programmes_of(unit, year, frame_too=frame_too)
        named = normalise(cells.get("programme"))
        if named:
            programme = next((p for p in candidates if p.code == named), None)
            if programme is None:
                if named not in self.by_code:
                    self.problem(row, "programme", _("không có chương trình mã “%(code)s”.") % {"code": named[:50]})
                else:
                    self.problem(row, "programme", _("%(unit)s (mã %(code)s) không thuộc chương trình “%(programme)s” "
                                                     "năm %(year)s.") % {"unit": unit, "code": unit.code_text,
                                                                         "programme": named, "year": year})
                return None
            return unit, programme
        if len(candidates) == 1 or (any_programme and candidates):
            return unit, candidates[0]
        if not candidates:
            self.problem(row, "commune_code", _("%(unit)s (mã %(code)s) không thuộc đối tượng của chương trình nào "
                                                "năm %(year)s.") % {"unit": unit, "code": unit.code_text, "year": year})
        else:
            self.problem(row, "programme", _("%(unit)s (mã %(code)s) thuộc nhiều chương trình năm %(year)s "
                                             "(%(codes)s): thêm cột programme.")
                         % {"unit": unit, "code": unit.code_text, "year": year,
                            "codes": ", ".join(p.code for p in candidates)})
        return None

    def code_known(self, row: int, cells: dict) -> None:
        """Without a usable date a code cannot be resolved; still say when it names no unit at all."""
        raw = normalise(cells.get("commune_code"))
        if not raw:
            self.problem(row, "commune_code", _("thiếu mã đơn vị."))
        elif parse_int(raw) not in self.book.by_code:
            self.problem(row, "commune_code", _("không có đơn vị nào mã “%(code)s”.") % {"code": raw[:20]})

    def year(self, row: int, cells: dict, column: str = "year") -> int | None:
        raw = normalise(cells.get(column))
        year = parse_int(raw)
        if year is None:
            self.problem(row, column, _("năm “%(value)s” không hợp lệ.") % {"value": raw} if raw else _("thiếu năm."))
            return None
        if year not in self.years:
            self.problem(row, column, _("năm %(year)s nằm ngoài khoảng cho phép (%(first)s–%(last)s).")
                         % {"year": year, "first": self.years[0], "last": self.years[-1]})
            return None
        return year


def _check_header(plan: ImportPlan, table: Table, kind: str) -> set[int]:
    """Problems with the header row itself; returns the criterion numbers present."""
    row = table.header_row
    seen, numbers = set(), set()
    for key in table.columns:
        if not key:
            continue
        if key in seen:
            plan.add_problem(row, key, _("cột bị lặp lại."))
        seen.add(key)
        match = CRITERION_COLUMN.match(key) if kind == "assessments" else None
        if match:
            numbers.add(int(match.group(1)))
        elif key not in BASE_COLUMNS[kind] and key not in OPTIONAL_COLUMNS[kind]:
            plan.add_problem(row, key, _("cột không thuộc mẫu nhập %(kind)s (các cột: %(columns)s).")
                             % {"kind": kind, "columns": _columns_text(kind)})
    for key in BASE_COLUMNS[kind]:
        if key not in seen:
            plan.add_problem(row, key, _("thiếu cột bắt buộc."))
    return numbers


def _columns_text(kind: str) -> str:
    return ",".join(BASE_COLUMNS[kind]) + (",c1,…,cN" if kind == "assessments" else "")


def _is_blank_row(kind: str, cells: dict) -> bool:
    content = [k for k in cells if k in CONTENT_COLUMNS[kind] or CRITERION_COLUMN.match(k)]
    return all(not normalise(cells[k]) for k in content) and not normalise(cells.get(""))


def build_plan(*, kind: str, name: str, data: bytes, user=None) -> ImportPlan:
    """Check the whole file; `user` None means the command line's full scope."""
    if kind not in KINDS:
        raise ValueError(kind)
    plan = ImportPlan(kind=kind, file_name=name)
    try:
        table = read_table(name, data)
    except FileFormatError as exc:
        plan.add_problem(exc.row, "-", str(exc))
        return plan
    numbers = _check_header(plan, table, kind)
    if not plan.ok:
        return plan
    rows = []
    for row, cells in table.rows:
        if not any(normalise(v) for v in cells.values()) or _is_blank_row(kind, cells):
            plan.skipped_rows += 1
            continue
        if normalise(cells.get("")):
            plan.add_problem(row, "-", _("có dữ liệu ở cột không có tiêu đề."))
        rows.append((row, cells))
    checker = _Checker(plan, table, user)
    {"assessments": _plan_assessments, "recognitions": _plan_recognitions,
     "registrations": _plan_registrations, "models": _plan_models}[kind](checker, rows, numbers)
    if not plan.ok:
        plan.changes = []
    return plan


# ---------------------------------------------------------------- assessments


def _plan_assessments(checker: _Checker, rows, numbers: set[int]) -> None:
    plan = checker.plan
    sets = list(CriteriaSet.objects.order_by("-version").prefetch_related("criteria"))
    sets_by_id = {s.id: s for s in sets}

    def set_in_force(programme: Programme, year: int) -> CriteriaSet | None:
        return next((s for s in sets if s.programme_id == programme.id and s.valid_from_year <= year
                     and (s.valid_to_year is None or s.valid_to_year >= year)), None)

    # Existing assessments of the units and years in the file, with their results when verified.
    unit_ids = set(checker.units)
    years = {parse_int(cells.get("year")) for _row, cells in rows} - {None}
    existing: dict[tuple[int, int, int], Assessment] = {}
    for assessment in Assessment.objects.filter(unit_id__in=unit_ids, year__in=years).select_related("criteria_set"):
        existing[(assessment.unit_id, assessment.year, assessment.criteria_set.programme_id)] = assessment
    results: dict[int, dict[int, tuple[str, str]]] = defaultdict(dict)
    for assessment_id, number, self_result, verified_result in CriterionResult.objects.filter(
        assessment__in=[a.id for a in existing.values()]
    ).values_list("assessment_id", "criterion__number", "self_result", "verified_result"):
        results[assessment_id][number] = (self_result, verified_result)

    seen: dict[tuple[int, int, int], int] = {}
    for row, cells in rows:
        year = checker.year(row, cells)
        if year is None:
            checker.code_known(row, cells)
        found = checker.unit(row, cells, day=datetime.date(year, 12, 31), year=year) if year is not None else None
        stage = _key(normalise(cells.get("stage")))
        if stage not in STAGES:
            checker.problem(row, "stage", _("giai đoạn “%(value)s” không hợp lệ (chỉ nhận self hoặc verified).")
                            % {"value": normalise(cells.get("stage"))})
            stage = None
        returned = _key(normalise(cells.get("status")))
        if returned not in ("", "returned"):
            checker.problem(row, "status", _("trạng thái “%(value)s” không hợp lệ (để trống hoặc returned).")
                            % {"value": normalise(cells.get("status"))[:20]})
            stage = None
        elif returned and stage == "verified":
            checker.problem(row, "status", _("dòng đã thẩm định (verified) không thể có trạng thái returned."))
            stage = None
        returned = bool(returned)
        if found is None or year is None:
            continue
        unit, programme = found
        if (unit.id, year, programme.id) in seen:
            checker.problem(row, "commune_code", _("%(unit)s năm %(year)s đã có ở dòng %(first)s.")
                            % {"unit": unit, "year": year, "first": seen[(unit.id, year, programme.id)]})
            continue
        seen[(unit.id, year, programme.id)] = row
        assessment = existing.get((unit.id, year, programme.id))
        criteria_set = sets_by_id[assessment.criteria_set_id] if assessment else set_in_force(programme, year)
        if criteria_set is None:
            checker.problem(row, "year", _("chưa có bộ tiêu chí áp dụng cho năm %(year)s.") % {"year": year})
            continue
        wanted = {c.number: c for c in criteria_set.criteria.all()}
        values: dict[int, str] = {}
        for number in sorted(wanted):
            if number not in numbers:
                checker.problem(row, f"c{number}", _("thiếu cột: bộ tiêu chí năm %(year)s có %(total)s tiêu chí.")
                                % {"year": year, "total": len(wanted)})
                continue
            raw = cells.get(f"c{number}")
            value = parse_result(raw)
            if value is None:
                checker.problem(row, f"c{number}", _("giá trị “%(value)s” không hợp lệ (dùng 1, 0, x, đạt, "
                                                     "không đạt, chưa đạt hoặc để trống).") % {"value": normalise(raw)})
            elif value == Result.NOT_YET and stage == "verified":
                checker.problem(row, f"c{number}", _("dòng đã thẩm định (verified) không được để trống kết quả."))
            else:
                values[number] = value
        for number in sorted(numbers - set(wanted)):
            if normalise(cells.get(f"c{number}")):
                checker.problem(row, f"c{number}", _("thừa cột: bộ tiêu chí năm %(year)s chỉ có %(total)s tiêu chí.")
                                % {"year": year, "total": len(wanted)})
        if stage is None or len(values) != len(wanted):
            continue
        if not _workflow_allows(checker, row, stage, assessment, unit, year):
            continue
        action = CREATED
        if assessment is not None:
            stored = results[assessment.id]
            if assessment.status == Status.VERIFIED:
                same = stage == "verified" and all(stored.get(n, ("", ""))[1] == v for n, v in values.items())
                if not same:
                    checker.problem(row, "stage", _("đánh giá năm %(year)s của %(unit)s đã được thẩm định, "
                                                    "không thể thay đổi bằng tệp nhập.") % {"year": year, "unit": unit})
                    continue
                action = UNCHANGED
            else:
                column = 0 if stage == "self" else 1
                wanted_status = Status.VERIFIED if stage == "verified" else (
                    Status.RETURNED if returned else Status.SUBMITTED)
                same = assessment.status == wanted_status and all(
                    stored.get(n, ("", ""))[column] == v for n, v in values.items())
                action = UNCHANGED if same else UPDATED
        plan.changes.append(Change(row, action, unit, {
            "year": year, "stage": stage, "results": values, "criteria_set": criteria_set, "programme": programme,
            "criterion_ids": {n: c.id for n, c in wanted.items()}, "assessment": assessment, "returned": returned,
        }))


def _workflow_allows(checker: _Checker, row: int, stage: str, assessment, unit, year) -> bool:
    """Through the web an import obeys the same rules as the pages (the command line restores backups):

    * a `verified` row needs the permission to verify (reviewers, administrators), like the review page;
    * an assessment the commune is still working on (a draft, or one returned to it) is the officer's:
      neither a `self` nor a `verified` row may take it over — the officer submits it on the portal.
    """
    user = checker.user
    if user is None:
        return True
    if stage == "verified" and not permissions.has_capability(user, "assessment.review"):
        checker.problem(row, "stage", _("vai trò của bạn không được xác nhận thẩm định (verified); chỉ nhập được "
                                        "kết quả tự đánh giá (self)."))
        return False
    if assessment is not None and assessment.status in (Status.DRAFT, Status.RETURNED):
        checker.problem(row, "stage", _("%(unit)s đang soạn hoặc sửa đánh giá năm %(year)s trên cổng (%(status)s): "
                                        "cán bộ xã gửi lên, cấp trên thẩm định trên trang thẩm định.")
                        % {"unit": unit, "year": year, "status": Status(assessment.status).label})
        return False
    return True


# ---------------------------------------------------------------- recognitions


def _plan_recognitions(checker: _Checker, rows, numbers) -> None:
    plan, user = checker.plan, checker.user
    today = timezone.localdate()
    parsed = []
    seen: dict[tuple[int, int, str], int] = {}
    existing = {
        (r.programme_id, r.unit_id, r.level, r.decision_number): r
        for r in Recognition.objects.filter(unit_id__in=list(checker.units))
    }
    for row, cells in rows:
        raw_level = normalise(cells.get("level"))
        level = LEVEL_WORDS.get(_key(raw_level))
        if level is None:
            checker.problem(row, "level", _("cấp công nhận “%(value)s” không hợp lệ (commune, district hoặc province).")
                            % {"value": raw_level})
        elif user is not None and not permissions.has_capability(user, LEVEL_CAPABILITY[level]):
            checker.problem(row, "level", _("vai trò của bạn không được ghi nhận quyết định công nhận %(level)s.")
                            % {"level": Level(level).label.lower()})
            level = None
        number = normalise(cells.get("decision_number"))
        if not number:
            checker.problem(row, "decision_number", _("thiếu số quyết định."))
        elif len(number) > 100:
            checker.problem(row, "decision_number", _("số quyết định dài quá 100 ký tự."))
            number = ""
        raw_date = cells.get("decision_date")
        day = parse_date(raw_date)
        if day is None:
            checker.problem(row, "decision_date", _("ngày “%(value)s” không đúng dạng YYYY-MM-DD hoặc DD/MM/YYYY.")
                            % {"value": normalise(raw_date)})
        elif day > today:
            checker.problem(row, "decision_date", _("ngày ký quyết định không thể ở tương lai."))
            day = None
        issued_by = normalise(cells.get("issued_by"))
        if not issued_by:
            checker.problem(row, "issued_by", _("thiếu cơ quan ban hành."))
        elif len(issued_by) > 255:
            checker.problem(row, "issued_by", _("tên cơ quan ban hành dài quá 255 ký tự."))
            issued_by = ""
        raw_revoked = normalise(cells.get("revoked_on"))
        revoked_on = parse_date(raw_revoked) if raw_revoked else None
        if raw_revoked and revoked_on is None:
            checker.problem(row, "revoked_on", _("ngày “%(value)s” không đúng dạng YYYY-MM-DD hoặc DD/MM/YYYY.")
                            % {"value": raw_revoked[:20]})
            day = None
        elif revoked_on and day and not day <= revoked_on <= today:
            checker.problem(row, "revoked_on", _("ngày thu hồi phải từ ngày ký quyết định đến hôm nay."))
            day = None
        if day is None:
            checker.code_known(row, cells)
        found = checker.unit(row, cells, day=day, year=day.year, frame_too=True) if day is not None else None
        if found is None or level is None or not number or day is None or not issued_by:
            continue
        unit, programme = found
        key = (programme.id, unit.id, level, number)
        if key in seen:
            checker.problem(row, "decision_number", _("quyết định này của %(unit)s đã có ở dòng %(first)s.")
                            % {"unit": unit, "first": seen[key]})
            continue
        seen[key] = row
        parsed.append((row, unit, level, number, day, issued_by, programme, revoked_on))

    # Lower levels first: a district decision may rest on a commune decision accepted from this same file.
    in_file = defaultdict(list)  # (programme id, unit id, level) → dates of accepted decisions in this file
    for row, unit, level, number, day, issued_by, programme, revoked_on in sorted(parsed, key=lambda p: (p[2], p[0])):
        stored = existing.get((programme.id, unit.id, level, number))
        if stored is not None:
            if (stored.decision_date, stored.issued_by) != (day, issued_by):
                checker.problem(row, "decision_number", _("quyết định số %(number)s của %(unit)s đã được ghi nhận "
                                                          "với ngày ký hoặc cơ quan ban hành khác.")
                                % {"number": number, "unit": unit})
                continue
            if stored.revoked_on and stored.revoked_on != revoked_on:
                checker.problem(row, "revoked_on", _("quyết định số %(number)s của %(unit)s đã bị thu hồi ngày "
                                                     "%(day)s; tệp nhập không thể thay đổi việc thu hồi.")
                                % {"number": number, "unit": unit, "day": stored.revoked_on.strftime("%d/%m/%Y")})
                continue
            in_file[(programme.id, unit.id, level)].append(day)
            if revoked_on and not stored.revoked_on:
                plan.changes.append(Change(row, UPDATED, unit, {"recognition": stored, "revoked_on": revoked_on}))
            else:
                plan.changes.append(Change(row, UNCHANGED, unit, {}))
            continue
        rule = recognition_rule_problem(unit=unit, level=level, decision_date=day, programme=programme)
        lower = Level.COMMUNE if level == Level.DISTRICT or unit.district_id is None else Level.DISTRICT
        district_ok = level != Level.DISTRICT or (unit.district is not None and unit.district.in_force_on(day))
        if rule and level != Level.COMMUNE and district_ok and any(
            d <= day for d in in_file[(programme.id, unit.id, lower)]
        ):
            rule = None  # the lower-level decision is earlier in this same file
        if rule:
            checker.problem(row, "level", rule)
            continue
        in_file[(programme.id, unit.id, level)].append(day)
        plan.changes.append(Change(row, CREATED, unit, {
            "programme": programme, "level": level, "decision_number": number, "decision_date": day,
            "issued_by": issued_by, "revoked_on": revoked_on}))


# ---------------------------------------------------------------- registrations


def _plan_registrations(checker: _Checker, rows, numbers) -> None:
    plan = checker.plan
    existing = set(Registration.objects.filter(unit_id__in=list(checker.units))
                   .values_list("programme_id", "unit_id", "year"))
    seen: dict[tuple[int, int, int], int] = {}
    for row, cells in rows:
        year = checker.year(row, cells)
        if year is None:
            checker.code_known(row, cells)
        found = checker.unit(row, cells, day=datetime.date(year, 12, 31), year=year) if year is not None else None
        if found is None or year is None:
            continue
        unit, programme = found
        key = (programme.id, unit.id, year)
        if key in seen:
            checker.problem(row, "commune_code", _("%(unit)s năm %(year)s đã có ở dòng %(first)s.")
                            % {"unit": unit, "year": year, "first": seen[key]})
            continue
        seen[key] = row
        action = UNCHANGED if key in existing else CREATED
        plan.changes.append(Change(row, action, unit, {"year": year, "programme": programme}))


# ---------------------------------------------------------------- models (the self-management model inventory)


def _plan_models(checker: _Checker, rows, numbers) -> None:
    """`commune_code,year,model_code,count[,status]`: status `self` or `verified`; blank means `verified`
    for the command line and reviewers, `self` for others (who may not import verified counts)."""
    plan, user = checker.plan, checker.user
    types = {t.code.casefold(): t for t in ModelType.objects.all()}
    existing = {(c.unit_id, c.year, c.model_type_id): c
                for c in ModelCount.objects.filter(unit_id__in=list(checker.units))}
    reviewer = user is None or permissions.has_capability(user, "assessment.review")
    seen: dict[tuple[int, int, int], int] = {}
    for row, cells in rows:
        year = checker.year(row, cells)
        if year is None:
            checker.code_known(row, cells)
        found = (checker.unit(row, cells, day=datetime.date(year, 12, 31), year=year, any_programme=True)
                 if year is not None else None)
        raw_code = normalise(cells.get("model_code"))
        model_type = types.get(_key(raw_code))
        if not raw_code:
            checker.problem(row, "model_code", _("thiếu mã mô hình."))
        elif model_type is None:
            checker.problem(row, "model_code", _("không có mô hình mã “%(code)s” (các mã: %(codes)s).")
                            % {"code": raw_code[:50], "codes": ", ".join(t.code for t in types.values())})
        raw_count = normalise(cells.get("count"))
        count = parse_int(raw_count)
        if re.fullmatch(r"-\d+", raw_count):
            checker.problem(row, "count", _("số lượng không được âm."))
        elif count is None:
            checker.problem(row, "count", _("số lượng “%(value)s” không hợp lệ (số nguyên từ 0).")
                            % {"value": raw_count[:20]} if raw_count else _("thiếu số lượng."))
        elif model_type is not None and (reason := count_problem(model_type, count)):
            checker.problem(row, "count", reason)
            count = None
        raw_status = _key(normalise(cells.get("status")))
        status = raw_status or (CountStatus.VERIFIED if reviewer else CountStatus.SELF)
        if status not in CountStatus.values:
            checker.problem(row, "status", _("trạng thái “%(value)s” không hợp lệ (self, verified hoặc để trống).")
                            % {"value": raw_status[:20]})
            status = None
        elif status == CountStatus.VERIFIED and not reviewer:
            checker.problem(row, "status", _("vai trò của bạn không được xác nhận số lượng (verified)."))
            status = None
        if found is None or year is None or model_type is None or count is None or status is None:
            continue
        unit, _programme = found
        key = (unit.id, year, model_type.id)
        if key in seen:
            checker.problem(row, "model_code", _("%(unit)s năm %(year)s, mô hình %(code)s đã có ở dòng %(first)s.")
                            % {"unit": unit, "year": year, "code": model_type.code, "first": seen[key]})
            continue
        seen[key] = row
        stored = existing.get(key)
        action = CREATED
        if stored is not None:
            if stored.count == count and stored.status == status:
                action = UNCHANGED
            elif stored.status == CountStatus.VERIFIED and not reviewer:
                checker.problem(row, "count", _("số lượng %(code)s năm %(year)s của %(unit)s đã được xác nhận, "
                                                "chỉ cấp trên sửa được.")
                                % {"code": model_type.code, "year": year, "unit": unit})
                continue
            else:
                action = UPDATED
        plan.changes.append(Change(row, action, unit, {
            "year": year, "model_type": model_type, "count": count, "status": status, "existing": stored}))
