"""Reading the map over time (DESIGN §7): codes as of a date, successors, predecessors, holders.

Every function here runs a number of queries bounded by the depth of the lineage (a merger of
a merger…), never by the number of units.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .models import Province, Unit, UnitSuccession

# Lineage chains are short (the 2025 reform is one step); this only guards against a cycle in bad data.
MAX_DEPTH = 20


class UnitCodeError(LookupError):
    """A code that names no unit in force on the date; the message says what it named instead."""

    def __init__(self, message: str, successors: list[Unit] | None = None):
        super().__init__(message)
        self.successors = successors or []


def _day(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


@dataclass
class CodeBook:
    """Every unit (all lifespans) carrying some of the given codes, loaded in one query."""

    by_code: dict[int, list[Unit]] = field(default_factory=dict)
    successors: dict[int, list[Unit]] = field(default_factory=dict)

    @classmethod
    def load(cls, codes: Iterable[int], *, queryset=None) -> CodeBook:
        codes = {c for c in codes if c is not None}
        book = cls()
        if not codes:
            return book
        qs = (queryset if queryset is not None else Unit.objects.all()).select_related("district", "province")
        for unit in qs.filter(code__in=codes).order_by("code", "valid_from"):
            book.by_code.setdefault(unit.code, []).append(unit)
        ended = [u.id for units in book.by_code.values() for u in units if u.valid_to is not None]
        if ended:
            for s in (
                UnitSuccession.objects.filter(predecessor_id__in=ended)
                .select_related("successor")
                .order_by("-primary", "successor__code")
            ):
                book.successors.setdefault(s.predecessor_id, []).append(s.successor)
        return book

    def resolve(self, code: int, day: datetime.date) -> Unit:
        """The unit that carries `code` on `day`, or UnitCodeError naming what the code meant then."""
        units = self.by_code.get(code, [])
        for unit in units:
            if unit.in_force_on(day):
                return unit
        if not units:
            raise UnitCodeError(_("không có đơn vị nào mã “%(code)s”.") % {"code": f"{code:05d}"})
        # The code existed, but not on that day: say what it was and where it went.
        before = [u for u in units if u.valid_to is not None and u.valid_to < day]
        if before:
            last = before[-1]
            successors = self.successors.get(last.id, [])
            names = ", ".join(f"{s.name} (mã {s.code:05d})" for s in successors)
            if successors:
                message = _(
                    "mã %(code)s là %(name)s, đã hết hiệu lực từ ngày %(end)s; đơn vị kế thừa: %(successors)s."
                ) % {"code": f"{code:05d}", "name": last.name, "end": _day(last.valid_to), "successors": names}
            else:
                message = _("mã %(code)s là %(name)s, đã hết hiệu lực từ ngày %(end)s.") % {
                    "code": f"{code:05d}", "name": last.name, "end": _day(last.valid_to)}
            raise UnitCodeError(message, successors)
        first = units[0]
        raise UnitCodeError(
            _("mã %(code)s chỉ có hiệu lực từ ngày %(start)s (%(name)s).")
            % {"code": f"{code:05d}", "start": _day(first.valid_from), "name": first.name}
        )


def unit_resolve(code: int, day: datetime.date, *, queryset=None) -> Unit:
    """One code as of one day (commands, URLs): see CodeBook.resolve."""
    return CodeBook.load([code], queryset=queryset).resolve(code, day)


@dataclass
class Lineage:
    """The successions reachable forward from some units, with the units they lead to."""

    units: dict[int, Unit]
    successions: dict[int, list[UnitSuccession]]

    @classmethod
    def following(cls, units: Iterable[Unit]) -> Lineage:
        known = {u.id: u for u in units}
        successions: dict[int, list[UnitSuccession]] = defaultdict(list)
        frontier = [u.id for u in known.values() if u.valid_to is not None]
        for _depth in range(MAX_DEPTH):
            if not frontier:
                break
            rows = list(
                UnitSuccession.objects.filter(predecessor_id__in=frontier).select_related(
                    "successor", "successor__province", "successor__district"
                )
            )
            frontier = []
            for s in rows:
                successions[s.predecessor_id].append(s)
                if s.successor_id not in known:
                    known[s.successor_id] = s.successor
                    if s.successor.valid_to is not None:
                        frontier.append(s.successor_id)
        return cls(known, dict(successions))

    def primary_successor(self, unit_id: int) -> UnitSuccession | None:
        rows = self.successions.get(unit_id, [])
        if not rows:
            return None
        return next((s for s in rows if s.primary), None) or min(rows, key=lambda s: s.successor.code)

    def holder(self, unit: Unit, day: datetime.date) -> Unit | None:
        """The unit holding `unit`'s place on `day`: itself if in force, else its (primary) successor's chain."""
        current = unit
        for _depth in range(MAX_DEPTH):
            if current.in_force_on(day):
                return current
            if current.valid_from is not None and current.valid_from > day:
                return None
            step = self.primary_successor(current.id)
            if step is None or step.effective_on > day:
                return None
            current = self.units[step.successor_id]
        return None


def predecessor_ids(unit_ids: Iterable[int]) -> set[int]:
    """Every unit that went (whole or in part, directly or not) into one of `unit_ids`."""
    found: set[int] = set()
    frontier = set(unit_ids)
    for _depth in range(MAX_DEPTH):
        if not frontier:
            break
        rows = set(UnitSuccession.objects.filter(successor_id__in=frontier).values_list("predecessor_id", flat=True))
        frontier = rows - found - set(unit_ids)
        found |= frontier
    return found


def province_family_ids(province_id: int) -> set[int]:
    """A province and every province merged into it, directly or not (one query)."""
    successor_of = dict(Province.objects.values_list("id", "successor_id"))
    ids = {province_id}
    changed = True
    while changed:
        changed = False
        for pid, succ in successor_of.items():
            if succ in ids and pid not in ids:
                ids.add(pid)
                changed = True
    return ids


def province_on(province: Province, day: datetime.date, provinces: dict[int, Province] | None = None) -> Province:
    """The province holding `province`'s place on `day`: itself while in force, else the province it was merged
    into (its `successor`, following the chain while each ended before `day`). Hoà Bình (ended 30/6/2025, merged
    into Phú Thọ) is itself on 31/12/2024 and Phú Thọ on 31/12/2025. `provinces` (id → Province): read from it
    instead of one query per step (many programmes at once); a province ended without a successor stays itself.
    """
    current = province
    for _depth in range(MAX_DEPTH):
        if current.valid_to is None or current.valid_to >= day or current.successor_id is None:
            return current
        following = provinces.get(current.successor_id) if provinces is not None else None
        current = following or Province.objects.get(pk=current.successor_id)
    return current


def provinces_by_id() -> dict[int, Province]:
    """Every province (a hundred rows at most), for `province_on` over many programmes in one query."""
    return {p.id: p for p in Province.objects.only("id", "code", "name", "valid_to", "successor_id")}


@dataclass
class UnitLineage:
    """What a unit page shows: where the unit came from and where it went, with dates."""

    predecessors: list[UnitSuccession]
    successors: list[UnitSuccession]


def unit_lineage(unit: Unit) -> UnitLineage:
    related = ("predecessor", "successor", "predecessor__district", "successor__district")
    return UnitLineage(
        predecessors=list(UnitSuccession.objects.filter(successor=unit).select_related(*related)
                          .order_by("predecessor__code")),
        successors=list(UnitSuccession.objects.filter(predecessor=unit).select_related(*related)
                        .order_by("-primary", "successor__code")),
    )
