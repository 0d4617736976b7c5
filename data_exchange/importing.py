"""Checking an import file row by row, before anything is written (DESIGN §5).

`build_plan()` reads the whole file, checks every row against the database and the rest of
the file, and returns an ImportPlan: either a list of problems (one per bad cell) or the
list of changes to make. Nothing here writes; services.data_import() applies a clean plan.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import permissions
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
from communes.models import Unit

from .formats import FileFormatError, Table, normalise, read_table

KINDS = ("assessments", "recognitions", "registrations")
BASE_COLUMNS = {
    "assessments": ("commune_code", "year", "stage"),
    "recognitions": ("commune_code", "level", "decision_number", "decision_date", "issued_by"),
    "registrations": ("commune_code", "year"),
}
# Columns whose cells say something: a row where all of them are blank is skipped (e.g. an
# untouched line of a template, which comes with the unit code and year filled in).
CONTENT_COLUMNS = {
    "assessments": ("stage",),  # plus every cK column
    "recognitions": ("level", "decision_number", "decision_date", "issued_by"),
    "registrations": ("year",),
}
CRITERION_COLUMN = re.compile(r"^c([1-9]\d{0,2})$")
MET_WORDS = {"1", "x", "đạt"}
NOT_MET_WORDS = {"0", "không đạt", "chưa đạt"}
LEVEL_WORDS = {
    "commune": Level.COMMUNE, "district": Level.DISTRICT, "province": Level.PROVINCE,
    "cấp xã": Level.COMMUNE, "cấp huyện": Level.DISTRICT, "cấp tỉnh": Level.PROVINCE,
}
STAGES = ("self", "verified")

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
    kind: str
    file_name: str
    problems: list[Problem] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    skipped_rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> list[dict]:
        """Per district: how many rows create, update or leave unchanged an object. Sorted by district code."""
        by_district: dict[int, dict] = {}
        for change in self.changes:
            district = change.unit.district
            entry = by_district.setdefault(
                district.code, {"district": district, CREATED: 0, UPDATED: 0, UNCHANGED: 0})
            entry[change.action] += 1
        return [by_district[code] for code in sorted(by_district)]

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
    """Shared row checks: the unit (exists, in the programme, in scope) and the year."""

    def __init__(self, plan: ImportPlan, table: Table, user):
        self.plan, self.table, self.user = plan, table, user
        self.programmes = list(Programme.objects.order_by("code"))
        codes = {parse_int(cells.get("commune_code")) for _row, cells in table.rows}
        codes.discard(None)
        self.units = {u.code: u for u in Unit.objects.filter(code__in=codes).select_related("district")}
        if user is None:  # the command line without --user: the whole database
            self.scope_ids = None
        else:
            self.scope_ids = set(permissions.unit_list(user=user).filter(code__in=codes).values_list("id", flat=True))
        self.years = year_range()

    def problem(self, row: int, column: str, reason: str) -> None:
        self.plan.problems.append(Problem(row, column, reason))

    def programme(self, unit: Unit) -> Programme | None:
        return next((p for p in self.programmes if unit.kind in p.unit_kinds), None)

    def unit(self, row: int, cells: dict) -> tuple[Unit, Programme] | None:
        raw = normalise(cells.get("commune_code"))
        if not raw:
            self.problem(row, "commune_code", _("thiếu mã đơn vị."))
            return None
        unit = self.units.get(parse_int(raw))
        if unit is None:
            self.problem(row, "commune_code", _("không có đơn vị nào mã “%(code)s”.") % {"code": raw})
            return None
        programme = self.programme(unit)
        if programme is None:
            self.problem(row, "commune_code", _("%(unit)s (mã %(code)s) không thuộc đối tượng của chương trình "
                                                "(chỉ áp dụng cho xã, thị trấn).") % {"unit": unit, "code": unit.code})
            return None
        if self.scope_ids is not None and unit.id not in self.scope_ids:
            self.problem(row, "commune_code", _("%(unit)s (mã %(code)s) nằm ngoài phạm vi quản lý của bạn.")
                         % {"unit": unit, "code": unit.code})
            return None
        return unit, programme

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
            plan.problems.append(Problem(row, key, _("cột bị lặp lại.")))
        seen.add(key)
        match = CRITERION_COLUMN.match(key) if kind == "assessments" else None
        if match:
            numbers.add(int(match.group(1)))
        elif key not in BASE_COLUMNS[kind]:
            plan.problems.append(Problem(row, key, _("cột không thuộc mẫu nhập %(kind)s (các cột: %(columns)s).")
                                         % {"kind": kind, "columns": _columns_text(kind)}))
    for key in BASE_COLUMNS[kind]:
        if key not in seen:
            plan.problems.append(Problem(row, key, _("thiếu cột bắt buộc.")))
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
        plan.problems.append(Problem(1, "-", str(exc)))
        return plan
    numbers = _check_header(plan, table, kind)
    if plan.problems:
        return plan
    rows = []
    for row, cells in table.rows:
        if not any(normalise(v) for v in cells.values()) or _is_blank_row(kind, cells):
            plan.skipped_rows += 1
            continue
        if normalise(cells.get("")):
            plan.problems.append(Problem(row, "-", _("có dữ liệu ở cột không có tiêu đề.")))
        rows.append((row, cells))
    checker = _Checker(plan, table, user)
    {"assessments": _plan_assessments, "recognitions": _plan_recognitions,
     "registrations": _plan_registrations}[kind](checker, rows, numbers)
    plan.problems.sort(key=lambda p: p.row)
    if plan.problems:
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
    unit_ids = {u.id for u in checker.units.values()}
    years = {parse_int(cells.get("year")) for _row, cells in rows} - {None}
    existing: dict[tuple[int, int, int], Assessment] = {}
    for assessment in Assessment.objects.filter(unit_id__in=unit_ids, year__in=years).select_related("criteria_set"):
        existing[(assessment.unit_id, assessment.year, assessment.criteria_set.programme_id)] = assessment
    results: dict[int, dict[int, tuple[str, str]]] = defaultdict(dict)
    for assessment_id, number, self_result, verified_result in CriterionResult.objects.filter(
        assessment__in=[a.id for a in existing.values()]
    ).values_list("assessment_id", "criterion__number", "self_result", "verified_result"):
        results[assessment_id][number] = (self_result, verified_result)

    seen: dict[tuple[int, int], int] = {}
    for row, cells in rows:
        found = checker.unit(row, cells)
        year = checker.year(row, cells)
        stage = _key(normalise(cells.get("stage")))
        if stage not in STAGES:
            checker.problem(row, "stage", _("giai đoạn “%(value)s” không hợp lệ (chỉ nhận self hoặc verified).")
                            % {"value": normalise(cells.get("stage"))})
            stage = None
        if found is None or year is None:
            continue
        unit, programme = found
        if (unit.id, year) in seen:
            checker.problem(row, "commune_code", _("%(unit)s năm %(year)s đã có ở dòng %(first)s.")
                            % {"unit": unit, "year": year, "first": seen[(unit.id, year)]})
            continue
        seen[(unit.id, year)] = row
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
                same = assessment.status == (Status.SUBMITTED if stage == "self" else Status.VERIFIED) and all(
                    stored.get(n, ("", ""))[column] == v for n, v in values.items())
                action = UNCHANGED if same else UPDATED
        plan.changes.append(Change(row, action, unit, {
            "year": year, "stage": stage, "results": values, "criteria_set": criteria_set,
            "criterion_ids": {n: c.id for n, c in wanted.items()}, "assessment": assessment,
        }))


# ---------------------------------------------------------------- recognitions


def _plan_recognitions(checker: _Checker, rows, numbers) -> None:
    plan, user = checker.plan, checker.user
    today = timezone.localdate()
    parsed = []
    seen: dict[tuple[int, int, str], int] = {}
    existing = {
        (r.unit_id, r.level, r.decision_number): r
        for r in Recognition.objects.filter(unit__code__in=list(checker.units))
    }
    for row, cells in rows:
        found = checker.unit(row, cells)
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
        if found is None or level is None or not number or day is None or not issued_by:
            continue
        unit = found[0]
        key = (unit.id, level, number)
        if key in seen:
            checker.problem(row, "decision_number", _("quyết định này của %(unit)s đã có ở dòng %(first)s.")
                            % {"unit": unit, "first": seen[key]})
            continue
        seen[key] = row
        parsed.append((row, unit, level, number, day, issued_by))

    # Lower levels first: a district decision may rest on a commune decision accepted from this same file.
    in_file = defaultdict(list)  # (unit id, level) → dates of accepted decisions in this file
    for row, unit, level, number, day, issued_by in sorted(parsed, key=lambda p: (p[2], p[0])):
        stored = existing.get((unit.id, level, number))
        if stored is not None:
            if (stored.decision_date, stored.issued_by) != (day, issued_by):
                checker.problem(row, "decision_number", _("quyết định số %(number)s của %(unit)s đã được ghi nhận "
                                                          "với ngày ký hoặc cơ quan ban hành khác.")
                                % {"number": number, "unit": unit})
                continue
            in_file[(unit.id, level)].append(day)
            plan.changes.append(Change(row, UNCHANGED, unit, {}))
            continue
        rule = recognition_rule_problem(unit=unit, level=level, decision_date=day)
        if rule and level != Level.COMMUNE and any(d <= day for d in in_file[(unit.id, level - 1)]):
            rule = None  # the lower-level decision is earlier in this same file
        if rule:
            checker.problem(row, "level", rule)
            continue
        in_file[(unit.id, level)].append(day)
        plan.changes.append(Change(row, CREATED, unit, {
            "level": level, "decision_number": number, "decision_date": day, "issued_by": issued_by}))


# ---------------------------------------------------------------- registrations


def _plan_registrations(checker: _Checker, rows, numbers) -> None:
    plan = checker.plan
    existing = set(Registration.objects.filter(unit__code__in=list(checker.units)).values_list("unit_id", "year"))
    seen: dict[tuple[int, int], int] = {}
    for row, cells in rows:
        found = checker.unit(row, cells)
        year = checker.year(row, cells)
        if found is None or year is None:
            continue
        unit = found[0]
        if (unit.id, year) in seen:
            checker.problem(row, "commune_code", _("%(unit)s năm %(year)s đã có ở dòng %(first)s.")
                            % {"unit": unit, "year": year, "first": seen[(unit.id, year)]})
            continue
        seen[(unit.id, year)] = row
        action = UNCHANGED if (unit.id, year) in existing else CREATED
        plan.changes.append(Change(row, action, unit, {"year": year}))

