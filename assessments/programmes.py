"""Programmes as data (DESIGN §7): which programme, its frame, and who holds each frame unit in a year.

This module is the one place that decides "which programme": pages, services, imports and
reports all ask here. Nothing names a programme or a province; they come from the data.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.validators import slug_re
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from communes.lineage import Lineage, predecessor_ids
from communes.models import Unit, in_force_q

from .models import Programme, ProgrammeYear


class ProgrammeError(LookupError):
    """A programme was asked for that does not exist or does not apply; the message is for the user."""


def year_end(year: int) -> datetime.date:
    return datetime.date(year, 12, 31)


def programme_list() -> list[Programme]:
    return list(Programme.objects.select_related("territory_province", "territory_district").order_by("-is_default", "code"))


def programme_default() -> Programme | None:
    """The programme marked default in the data (none marked: the first by code)."""
    return (
        Programme.objects.select_related("territory_province", "territory_district")
        .order_by("-is_default", "code")
        .first()
    )


def programme_get(code: str | None = None) -> Programme:
    """The programme with `code`, or the default one when no code is given."""
    if code in (None, ""):
        programme = programme_default()
        if programme is None:
            raise ProgrammeError(_("Chưa có chương trình nào: chạy load_criteria trước."))
        return programme
    code = str(code)
    programme = None
    # A code is a slug of at most 50 characters: anything else (a NUL, which PostgreSQL refuses, or a page of
    # text) is an unknown code without asking the database.
    if len(code) <= Programme._meta.get_field("code").max_length and slug_re.match(code):
        programme = Programme.objects.select_related("territory_province", "territory_district").filter(code=code).first()
    if programme is None:
        codes = ", ".join(Programme.objects.order_by("code").values_list("code", flat=True))
        raise ProgrammeError(
            _("Không có chương trình mã “%(code)s” (các chương trình: %(codes)s).") % {"code": str(code)[:50],
                                                                                       "codes": codes}
        )
    return programme


@dataclass(frozen=True)
class Calendar:
    """A programme's calendar for one year: the assessment window and the two deadlines (DESIGN §2).

    `custom` says whether the year has its own row (ProgrammeYear, edited in the admin) or uses the
    programme's yearly defaults.
    """

    programme: Programme
    year: int
    window_start: datetime.date
    window_end: datetime.date
    commune_deadline: datetime.date
    district_deadline: datetime.date
    custom: bool = False

    def days_to_commune_deadline(self, day: datetime.date) -> int:
        """Days from `day` to the commune deadline: negative once it has passed."""
        return (self.commune_deadline - day).days

    def days_to_district_deadline(self, day: datetime.date) -> int:
        return (self.district_deadline - day).days


def default_calendar(programme: Programme, year: int) -> Calendar:
    """The programme's yearly defaults: window from its start day of the year before to its end day."""
    return Calendar(
        programme=programme,
        year=year,
        window_start=programme.window_start_in(year),
        window_end=programme.window_end_in(year),
        commune_deadline=programme.commune_deadline_in(year),
        district_deadline=programme.district_deadline_in(year),
    )


def _calendar_of(programme: Programme, row: ProgrammeYear | None, year: int) -> Calendar:
    if row is None:
        return default_calendar(programme, year)
    return Calendar(programme, year, row.window_start, row.window_end, row.commune_deadline, row.district_deadline,
                    custom=True)


def calendar_for(programme: Programme, year: int) -> Calendar:
    """THE calendar every page, report and reminder reads (one query)."""
    return _calendar_of(programme, ProgrammeYear.objects.filter(programme=programme, year=year).first(), year)


def calendars_for(programmes: list[Programme], year: int) -> dict[int, Calendar]:
    """Programme id → its calendar for `year`, for several programmes in one query."""
    rows = {r.programme_id: r for r in ProgrammeYear.objects.filter(programme__in=[p.id for p in programmes], year=year)}
    return {p.id: _calendar_of(p, rows.get(p.id), year) for p in programmes}


class CalendarBook:
    """Calendars read once per request: a page listing several years or programmes asks the book, which reads
    only the (programme, year) pairs it has not read yet."""

    def __init__(self):
        self._known: dict[tuple[int, int], Calendar] = {}

    def of(self, programmes: list[Programme], year: int) -> dict[int, Calendar]:
        missing = [p for p in programmes if (p.id, year) not in self._known]
        if missing:
            for pid, calendar in calendars_for(missing, year).items():
                self._known[(pid, year)] = calendar
        return {p.id: self._known[(p.id, year)] for p in programmes}


def frame_units(programme: Programme) -> QuerySet[Unit]:
    """The units of the programme's kinds in its territory, in force on the resolution date.

    A programme without a territory or a resolution date has an empty frame (never "met").
    """
    q = frame_q(programme)
    return Unit.objects.none() if q is None else Unit.objects.filter(q)


def frame_q(programme: Programme) -> Q | None:
    """The frame as a filter on Unit (None: an empty frame)."""
    if programme.territory_province_id is None or programme.resolution_date is None:
        return None
    q = in_force_q(programme.resolution_date) & Q(
        province_id=programme.territory_province_id, kind__in=list(programme.unit_kinds or [])
    )
    if programme.territory_district_id:
        q &= Q(district_id=programme.territory_district_id)
    return q


def in_frame(programme: Programme, unit: Unit) -> bool:
    """The frame rule of `frame_units`, for one unit already loaded."""
    return (
        programme.territory_province_id is not None and programme.resolution_date is not None
        and unit.province_id == programme.territory_province_id and unit.kind in (programme.unit_kinds or [])
        and (not programme.territory_district_id or unit.district_id == programme.territory_district_id)
        and unit.in_force_on(programme.resolution_date)
    )


@dataclass
class Frame:
    """A programme's frame read for one year: each frame unit and the unit holding its place."""

    programme: Programme
    year: int
    units: list[Unit]
    holders: dict[int, Unit | None]  # frame unit id → holder (None: nobody holds it)

    @classmethod
    def load(cls, programme: Programme, year: int, *, on: datetime.date | None = None) -> Frame:
        """Holders as of 31/12/`year` (or as of `on`, e.g. a decision date)."""
        units = list(frame_units(programme).select_related("district", "province").order_by("code"))
        lineage = Lineage.following(units)
        day = on or year_end(year)
        return cls(programme, year, units, {u.id: lineage.holder(u, day) for u in units})

    @classmethod
    def load_many(cls, programmes: list[Programme], year: int, *, on: datetime.date | None = None
                  ) -> dict[int, Frame]:
        """The frames of many programmes with one query for their units and one lineage walk."""
        return FrameSet.load(programmes).frames(year, on=on)

    @property
    def total(self) -> int:
        return len(self.units)

    def holder_ids(self) -> set[int]:
        return {h.id for h in self.holders.values() if h is not None}

    def carried_by(self) -> dict[int, list[Unit]]:
        """Holder id → the frame units it carries (itself included when it is a frame unit)."""
        out: dict[int, list[Unit]] = {}
        for unit in self.units:
            holder = self.holders[unit.id]
            if holder is not None:
                out.setdefault(holder.id, []).append(unit)
        return out

    def holder_list(self) -> list[Unit]:
        seen: dict[int, Unit] = {}
        for holder in self.holders.values():
            if holder is not None:
                seen.setdefault(holder.id, holder)
        return sorted(seen.values(), key=lambda u: (u.code, u.id))


# What frame readers use of a unit (a national frame set holds thousands).
UNIT_FIELDS = ("id", "code", "name", "kind", "valid_from", "valid_to", "province_id", "district_id",
               "province__id", "province__code", "province__name", "district__id", "district__code",
               "district__name", "district__valid_to", "district__valid_from")


@dataclass
class FrameSet:
    """Many programmes' frame units and their lineage, loaded once and read for any day."""

    programmes: list[Programme]
    units: dict[int, list[Unit]]  # programme id → its frame units
    lineage: Lineage

    @classmethod
    def load(cls, programmes: list[Programme]) -> FrameSet:
        territories = {p.territory_province_id for p in programmes if p.territory_province_id}
        kinds = sorted({k for p in programmes for k in (p.unit_kinds or [])})
        by_province: dict[int, list[Unit]] = {}
        for unit in (
            Unit.objects.filter(province_id__in=sorted(territories), kind__in=kinds)
            .select_related("district", "province").only(*UNIT_FIELDS).order_by("code")
        ):
            by_province.setdefault(unit.province_id, []).append(unit)
        units = {p.id: [u for u in by_province.get(p.territory_province_id, []) if in_frame(p, u)]
                 for p in programmes}
        return cls(programmes, units, Lineage.following([u for mine in units.values() for u in mine]))

    def frames(self, year: int, *, on: datetime.date | None = None) -> dict[int, Frame]:
        day = on or year_end(year)
        return {p.id: Frame(p, year, self.units[p.id], {u.id: self.lineage.holder(u, day) for u in self.units[p.id]})
                for p in self.programmes}


def programmes_for_unit(unit: Unit, year: int, *, on: datetime.date | None = None) -> list[Programme]:
    """THE rule: the programmes a unit is in for `year` — those covering the year whose frame it holds.

    A unit holds a frame place when it is itself a frame unit in force on 31/12 of the year, or
    the successor in force then of one (§7). A unit not in force on 31/12 is in none.
    """
    day = on or year_end(year)
    if not unit.in_force_on(day):
        return []
    # Any kind may hold a place (a ward holding a former commune); frame membership is by kind.
    return units_in_programmes({unit.id}, year, on=day).get(unit.id, [])


def programme_for_unit(
    unit: Unit, year: int, code: str | None = None, *, on: datetime.date | None = None
) -> Programme:
    """The programme of `unit` in `year`: the one named by `code`, or the only one it is in."""
    day = on or year_end(year)
    programmes = programmes_for_unit(unit, year, on=day)
    if code not in (None, ""):
        chosen = next((p for p in programmes if p.code == code), None)
        if chosen is None:
            programme_get(code)  # an unknown code says so
            raise ProgrammeError(
                _("%(unit)s không thuộc chương trình “%(code)s” năm %(year)s.")
                % {"unit": unit, "code": code, "year": year}
            )
        return chosen
    if len(programmes) == 1:
        return programmes[0]
    if not programmes:
        if not unit.in_force_on(day):
            raise ProgrammeError(
                _("%(unit)s không có hiệu lực vào ngày %(day)s.") % {"unit": unit, "day": day.strftime("%d/%m/%Y")}
            )
        raise ProgrammeError(
            _("%(unit)s không thuộc đối tượng của chương trình nào năm %(year)s.") % {"unit": unit, "year": year}
        )
    raise ProgrammeError(
        _("%(unit)s thuộc nhiều chương trình năm %(year)s (%(codes)s): hãy chọn chương trình.")
        % {"unit": unit, "year": year, "codes": ", ".join(p.code for p in programmes)}
    )


def units_in_programmes(unit_ids: set[int] | None, year: int, *, on: datetime.date | None = None
                        ) -> dict[int, list[Programme]]:
    """Unit id → the programmes covering `year` whose frame places it holds on `on` (default 31/12/`year`).

    For given units the cost is theirs, not the country's: the frame units that can pass their place to
    them are the units themselves and their predecessors (§7 lineage), so only those are read and
    followed. `unit_ids` None: every holder of every programme (the whole country's frames).
    """
    day = on or year_end(year)
    covering = [p for p in programme_list() if p.covers_year(year)]
    if not covering:
        return {}
    if unit_ids is None:
        frames = Frame.load_many(covering, year, on=day)
        out: dict[int, list[Programme]] = {}
        for programme in covering:
            for holder_id in frames[programme.id].holder_ids():
                out.setdefault(holder_id, []).append(programme)
        return out
    ids = set(unit_ids)
    if not ids:
        return {}
    candidates = ids | predecessor_ids(ids)
    units = list(Unit.objects.filter(id__in=sorted(candidates)).select_related("district", "province")
                 .only(*UNIT_FIELDS))
    framed = [(p, u) for p in covering for u in units if in_frame(p, u)]
    lineage = Lineage.following({u.id: u for _p, u in framed}.values())
    out = {}
    for programme, unit in framed:
        holder = lineage.holder(unit, day)
        if holder is not None and holder.id in ids and programme not in out.setdefault(holder.id, []):
            out[holder.id].append(programme)
    return out


def window_start(programme: Programme, year: int) -> datetime.date:
    """The first day of the assessment window of `year` (16/11 of the year before by default)."""
    from .models import month_day_in

    return month_day_in(programme.window_start, year - 1)


def window_opened(programme: Programme, year: int, today: datetime.date) -> bool:
    """A year's assessment can be started once its window has opened; earlier years stay open (late)."""
    return today >= window_start(programme, year)
