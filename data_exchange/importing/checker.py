"""The checks every kind shares: the unit (its code as of the row's date, in a programme, in scope), the year.

Every rule is the services' own: which programmes a unit is in is `assessments.programmes.
units_in_programmes` (asked once per distinct year or day of the file, for every unit of the file),
the accepted years are `assessments.services.year_range`, the scope is `accounts.permissions`.
"""

from __future__ import annotations

import datetime
from typing import NamedTuple

from django.utils.translation import gettext as _

from accounts import permissions
from assessments import programmes
from assessments.models import Programme
from assessments.services import year_range
from communes.lineage import CodeBook, UnitCodeError
from communes.models import Unit

from ..reading import excerpt
from .cells import Cells, Rows, parse_int
from .plan import ImportPlan


class Found(NamedTuple):
    """A row's unit, the programme the row belongs to, and every programme the unit is in then."""

    unit: Unit
    programme: Programme
    programmes: list[Programme]


class Checker:
    """GSO reuses codes (§7), so `commune_code` is resolved as of 31/12 of the row's year (recognitions:
    as of the decision date); a code naming no unit in force then is an error naming its successors.
    `user` None is the command line: the whole database, no role."""

    def __init__(self, plan: ImportPlan, rows: Rows, user):
        self.plan, self.rows, self.user = plan, rows, user
        self.programmes = programmes.programme_list()
        self.by_code = {p.code: p for p in self.programmes}
        self.book = CodeBook.load(parse_int(code) for code in rows.column("commune_code"))
        self.units = {u.id: u for units in self.book.by_code.values() for u in units}
        if user is None:
            self.scope_ids = None
        else:
            self.scope_ids = set(
                permissions.unit_list(user=user, write=True).filter(id__in=list(self.units)).values_list("id", flat=True)
            )
        self.years = year_range()
        self._members: dict[tuple[int, datetime.date], dict[int, list[Programme]]] = {}

    def problem(self, row: int, column: str, reason: str) -> None:
        self.plan.add_problem(row, column, reason)

    def can(self, capability: str) -> bool:
        """The command line may do anything; a user what their role allows."""
        return self.user is None or permissions.has_capability(self.user, capability)

    def programmes_of(self, unit: Unit, year: int, day: datetime.date) -> list[Programme]:
        """The programmes `unit` is in for `year`, holders read on `day` (the services' rule, for every unit
        of the file at once the first time a (year, day) is asked)."""
        key = (year, day)
        if key not in self._members:
            on = None if day == programmes.year_end(year) else day
            self._members[key] = programmes.units_in_programmes(set(self.units), year, on=on)
        return self._members[key].get(unit.id, [])

    def unit(self, row: int, cells: Cells, *, day: datetime.date, year: int, any_programme: bool = False
             ) -> Found | None:
        """`any_programme`: data of the unit itself (the model inventory) — in several programmes is fine."""
        unit = self._resolve(row, cells, day)
        if unit is None:
            return None
        candidates = self.programmes_of(unit, year, day)
        named = cells.get("programme")
        if named:
            programme = next((p for p in candidates if p.code == named), None)
            if programme is None:
                self._not_in_programme(row, unit, named, year)
                return None
            return Found(unit, programme, candidates)
        if len(candidates) == 1 or (any_programme and candidates):
            return Found(unit, candidates[0], candidates)
        if not candidates:
            self.problem(row, "commune_code", _("%(unit)s (mã %(code)s) không thuộc đối tượng của chương trình nào "
                                                "năm %(year)s.") % {"unit": unit, "code": unit.code_text, "year": year})
        else:
            self.problem(row, "programme", _("%(unit)s (mã %(code)s) thuộc nhiều chương trình năm %(year)s "
                                             "(%(codes)s): thêm cột programme.")
                         % {"unit": unit, "code": unit.code_text, "year": year,
                            "codes": ", ".join(p.code for p in candidates)})
        return None

    def _resolve(self, row: int, cells: Cells, day: datetime.date) -> Unit | None:
        raw = cells.get("commune_code")
        if not raw:
            self.problem(row, "commune_code", _("thiếu mã đơn vị."))
            return None
        code = parse_int(raw)
        if code is None:
            self.problem(row, "commune_code", _("mã đơn vị “%(code)s” không hợp lệ.") % {"code": excerpt(raw, 20)})
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
        return unit

    def _not_in_programme(self, row: int, unit: Unit, named: str, year: int) -> None:
        if named not in self.by_code:
            self.problem(row, "programme", _("không có chương trình mã “%(code)s”.") % {"code": excerpt(named)})
        else:
            self.problem(row, "programme", _("%(unit)s (mã %(code)s) không thuộc chương trình “%(programme)s” "
                                             "năm %(year)s.") % {"unit": unit, "code": unit.code_text,
                                                                 "programme": named, "year": year})

    def code_known(self, row: int, cells: Cells) -> None:
        """Without a usable date a code cannot be resolved; still say when it names no unit at all."""
        raw = cells.get("commune_code")
        if not raw:
            self.problem(row, "commune_code", _("thiếu mã đơn vị."))
        elif parse_int(raw) not in self.book.by_code:
            self.problem(row, "commune_code", _("không có đơn vị nào mã “%(code)s”.") % {"code": excerpt(raw, 20)})

    def year(self, row: int, cells: Cells, column: str = "year") -> int | None:
        raw = cells.get(column)
        year = parse_int(raw)
        if year is None:
            self.problem(row, column, _("năm “%(value)s” không hợp lệ.") % {"value": excerpt(raw)} if raw
                         else _("thiếu năm."))
            return None
        if year not in self.years:
            self.problem(row, column, _("năm %(year)s nằm ngoài khoảng cho phép (%(first)s–%(last)s).")
                         % {"year": year, "first": self.years[0], "last": self.years[-1]})
            return None
        return year

    def years_in_file(self) -> set[int]:
        return {year for year in map(parse_int, self.rows.column("year")) if year in self.years}


def year_end(year: int) -> datetime.date:
    return programmes.year_end(year)
