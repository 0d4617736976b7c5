"""The units of the user's scope that programmes read, and each one's assessment of the year."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from accounts import permissions
from communes.models import Unit

from .. import programmes, selectors
from ..models import (
    Assessment,
    Programme,
)
from .deadlines import Timeliness, timeliness_of


def eligible_unit_list(*, user) -> QuerySet[Unit]:
    """Units in the user's scope that some programme reads: its frame units, and this year's holders.

    Read from the user's scope (and its lineage), never from every programme's frame."""
    scope = list(permissions.unit_list(user=user).only(*programmes.UNIT_FIELDS))
    every = programmes.programme_list()
    frame_ids = {u.id for u in scope for p in every if programmes.in_frame(p, u)}
    holders = set(programmes.units_in_programmes({u.id for u in scope}, selectors.current_year()))
    return permissions.unit_list(user=user).filter(id__in=sorted(frame_ids | holders))


@dataclass
class UnitRow:
    unit: Unit
    assessment: Assessment | None
    timeliness: Timeliness | None = None


def scope_membership(*, user, year: int) -> dict[int, list[Programme]]:
    """Unit id → the programmes whose frame places it holds in `year`, for the units of the user's scope."""
    return programmes.units_in_programmes(set(permissions.unit_list(user=user).values_list("id", flat=True)), year)


def programmes_of(membership: dict[int, list[Programme]]) -> list[Programme]:
    seen: dict[int, Programme] = {}
    for chosen in membership.values():
        for p in chosen:
            seen.setdefault(p.id, p)
    return sorted(seen.values(), key=lambda p: (not p.is_default, p.code))


def unit_status_table(*, user, year: int, membership: dict[int, list[Programme]] | None = None,
                      calendars: programmes.CalendarBook | None = None) -> list[UnitRow]:
    """Every unit of the user's scope assessed in `year` by some programme, with its assessment."""
    if membership is None:
        membership = scope_membership(user=user, year=year)
    units = list(permissions.unit_list(user=user).filter(id__in=sorted(membership))
                 .order_by("district__code", "code"))
    assessments = {
        a.unit_id: a
        for a in permissions.scoped(Assessment.objects.filter(year=year, unit_id__in=sorted(membership)), user)
        .select_related("criteria_set__programme")
    }
    timeliness = timeliness_of(assessments.values(), calendars=calendars)
    return [UnitRow(unit, a, timeliness.get(a.id) if a else None)
            for unit in units for a in [assessments.get(unit.id)]]
