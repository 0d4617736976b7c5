"""Checking a registrations file: `commune_code,year[,programme]` (DESIGN §5)."""

from __future__ import annotations

from typing import NamedTuple

from django.utils.translation import gettext as _

from assessments.models import Registration
from communes.models import Unit

from .cells import Rows
from .checker import Checker, year_end
from .plan import CREATED, UNCHANGED


class RegistrationChange(NamedTuple):
    row: int
    action: str
    unit: Unit
    year: int
    programme_id: int


def plan_registrations(checker: Checker, rows: Rows) -> None:
    existing = set(Registration.objects.filter(unit_id__in=list(checker.units))
                   .values_list("programme_id", "unit_id", "year"))
    seen: dict[tuple[int, int, int], int] = {}
    for row, cells in rows:
        year = checker.year(row, cells)
        if year is None:
            checker.code_known(row, cells)
            continue
        found = checker.unit(row, cells, day=year_end(year), year=year)
        if found is None:
            continue
        key = (found.programme.id, found.unit.id, year)
        if key in seen:
            checker.problem(row, "commune_code", _("%(unit)s năm %(year)s đã có ở dòng %(first)s.")
                            % {"unit": found.unit, "year": year, "first": seen[key]})
            continue
        seen[key] = row
        action = UNCHANGED if key in existing else CREATED
        checker.plan.count(action, found.unit)
        if action == CREATED:
            checker.plan.changes.append(RegistrationChange(row, action, found.unit, year, found.programme.id))
