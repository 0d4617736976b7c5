"""Completeness and timeliness of a programme's yearly assessments, as of a day (DESIGN §2).

The units are the holders of the programme's frame places in year Y (DESIGN §7: the units that assess
that year). Each is in exactly one state as of the end of `as_of` — the one definition is
`assessments.facts.readings` (``not_started``, ``draft``, ``submitted_on_time``, ``submitted_late``,
``returned``, ``verified_on_time``, ``verified_late``; **reported** = submitted or verified).

The stored facts carry each holder's assessment status, the dates of its latest submission and
verification, and the day of its last workflow step. When nothing happened after `as_of`, the stored
reading is the reading of that day; only the assessments with a later step are replayed from their
Transition log (one query for those few). So the page costs the rows it shows, not the country.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from assessments import facts
from assessments.facts.readings import (  # noqa: F401 — the states are read from here by pages and commands
    DRAFT,
    LATE,
    MISSING,
    NOT_STARTED,
    REPORTED,
    RETURNED,
    STATE_LABELS,
    STATES,
    SUBMITTED_LATE,
    SUBMITTED_ON_TIME,
    VERIFIED,
    VERIFIED_LATE,
    VERIFIED_ON_TIME,
    WAITING,
    Reading,
    Step,
    days_late,
    default_as_of,
    read_as_of,
    state_of,
    steps_from_dates,
    year_end,
)
from assessments.models import Assessment, FrameFact, Programme, Transition
from assessments.programmes import Calendar, calendar_for, calendars_for
from communes.models import Unit

SUBMITTED = REPORTED  # submitted on time or late, or verified: with the district or done
SORTS = ("code", "name", "district", "state")


def state_label(state: str) -> str:
    return str(STATE_LABELS[state])


@dataclass(frozen=True)
class Group:
    """A unit's district, or its province for the units without a district (all units since 1/7/2025)."""

    code: str
    name: str
    is_province: bool

    @property
    def sort_key(self) -> tuple:
        return (self.is_province, int(self.code) if self.code.isdigit() else 0, self.name)


def group_of(unit: Unit) -> Group:
    if unit.district_id:
        return Group(str(unit.district.code), unit.district.name, False)
    return Group(str(unit.province.code),
                 _("%(province)s (các đơn vị không thuộc huyện)") % {"province": unit.province.name}, True)


@dataclass
class UnitState:
    unit: Unit
    group: Group
    state: str
    submitted_on: datetime.date | None
    verified_on: datetime.date | None
    assessment_id: int | None
    days_late: int  # days past the deadline that concerns it now (commune when missing, district when waiting)

    @property
    def label(self) -> str:
        return state_label(self.state)

    @property
    def missing(self) -> bool:
        return self.state in MISSING

    @property
    def late(self) -> bool:
        return self.state in LATE or self.days_late > 0


def _counts(units: list[UnitState]) -> dict[str, int]:
    counts = dict.fromkeys(STATES, 0)
    for u in units:
        counts[u.state] += 1
    return counts


def _iso(day: datetime.date | None) -> str | None:
    return day.isoformat() if day else None


@dataclass
class Completeness:
    programme: Programme
    year: int
    as_of: datetime.date
    calendar: Calendar
    units: list[UnitState]  # sorted by code

    @property
    def units_total(self) -> int:
        return len(self.units)

    def counts(self) -> dict[str, int]:
        return _counts(self.units)

    @property
    def reported(self) -> int:
        return sum(1 for u in self.units if u.state in REPORTED)

    def groups(self) -> list[tuple[Group, list[UnitState]]]:
        by_group: dict[Group, list[UnitState]] = defaultdict(list)
        for u in self.units:
            by_group[u.group].append(u)
        return sorted(by_group.items(), key=lambda kv: kv[0].sort_key)

    def districts(self) -> list[dict]:
        return [{"code": g.code, "name": g.name, "units_total": len(units), "counts": _counts(units)}
                for g, units in self.groups()]

    def missing(self, sort: str = "district") -> list[UnitState]:
        return sort_units([u for u in self.units if u.missing], sort)

    def as_json(self) -> dict:
        """The structure `completeness_report --format json` prints and /reports/completeness.json serves."""
        return {
            "year": self.year,
            "as_of": self.as_of.isoformat(),
            "units_total": self.units_total,
            "reported": self.reported,
            "counts": self.counts(),
            "districts": self.districts(),
            "units": [{"code": str(u.unit.code), "name": u.unit.name, "state": u.state,
                       "submitted_at": _iso(u.submitted_on), "verified_at": _iso(u.verified_on)}
                      for u in self.units],
        }


def sort_units(units: list[UnitState], sort: str) -> list[UnitState]:
    """Sort by one of SORTS, descending with a leading "-"; an unknown key sorts by district."""
    key = sort.lstrip("-")
    keys = {
        "code": lambda u: (u.unit.code, u.unit.id),
        "name": lambda u: (u.unit.name.casefold(), u.unit.code),
        "district": lambda u: (u.group.sort_key, u.unit.code),
        "state": lambda u: (STATES.index(u.state), u.group.sort_key, u.unit.code),
    }
    return sorted(units, key=keys.get(key, keys["district"]), reverse=sort.startswith("-") and key in keys)


def parse_day(text: str) -> datetime.date:
    """A day written YYYY-MM-DD (the date field, the command) or DD/MM/YYYY; ValueError says what is wrong."""
    text = str(text).strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(_("Ngày “%(value)s” không hợp lệ: hãy viết dạng 2026-11-30 hoặc 30/11/2026.")
                     % {"value": text[:20]})


HOLDER_FIELDS = ("programme_id", "holder_id", "assessment_id", "status", "submitted_on", "verified_on", "last_step_on")


def holder_readings(programmes: list[Programme], year: int, as_of: datetime.date
                    ) -> dict[int, dict[int, tuple[Reading, int | None]]]:
    """Programme id → holder id → (its reading as of the end of `as_of`, its assessment id), from the stored
    facts of 31/12/`year` (the programmes covering `year` only); assessments changed after `as_of` are replayed."""
    covering = [p for p in programmes if p.covers_year(year)]
    out: dict[int, dict[int, tuple[Reading, int | None]]] = {p.id: {} for p in programmes}
    if not covering:
        return out
    facts.ensure(covering, [year_end(year)])
    rows = (FrameFact.objects.filter(programme__in=[p.id for p in covering], day=year_end(year), holder__isnull=False)
            .values(*HOLDER_FIELDS).distinct().order_by())
    replay = []
    for r in rows:
        if r["assessment_id"] is None:
            out[r["programme_id"]][r["holder_id"]] = (Reading(None, None, None), None)
        elif r["last_step_on"] is not None and r["last_step_on"] > as_of:
            replay.append(r)
        else:
            reading = Reading(r["status"], r["submitted_on"], r["verified_on"])
            out[r["programme_id"]][r["holder_id"]] = (reading, r["assessment_id"])
    if replay:
        _replay(replay, as_of, out)
    return out


def _replay(rows: list[dict], as_of: datetime.date, out: dict) -> None:
    ids = [r["assessment_id"] for r in rows]
    steps: dict[int, list[Step]] = defaultdict(list)
    for t in (Transition.objects.filter(assessment_id__in=ids).order_by("assessment_id", "at", "pk")
              .values("assessment_id", "from_status", "to_status", "at")):
        steps[t["assessment_id"]].append(Step(t["at"], t["from_status"], t["to_status"]))
    assessments = {a["id"]: a for a in Assessment.objects.filter(id__in=ids).values(
        "id", "status", "submitted_at", "verified_at", "created_at", "updated_at")}
    for r in rows:
        a = assessments[r["assessment_id"]]
        reading = read_as_of(a, steps.get(a["id"]) or steps_from_dates(a), as_of)
        out[r["programme_id"]][r["holder_id"]] = (reading, a["id"] if reading.status else None)


def reported_counts(programmes: list[Programme], year: int, as_of: datetime.date) -> dict[int, dict[str, int]]:
    """Programme id → {"holders", "reported", "verified"} as of `as_of` (the national page), set-based."""
    readings = holder_readings(programmes, year, as_of)
    calendars = calendars_for(programmes, year)
    out = {}
    for p in programmes:
        calendar = calendars[p.id]
        states = [state_of(r, calendar.commune_deadline, calendar.district_deadline)
                  for r, _id in readings[p.id].values()]
        out[p.id] = {"holders": len(states), "reported": sum(1 for s in states if s in REPORTED),
                     "verified": sum(1 for s in states if s in VERIFIED)}
    return out


def completeness_load(*, programme: Programme, year: int, as_of: datetime.date | None = None,
                      scope: QuerySet[Unit] | None = None) -> Completeness:
    """Every unit assessing `year` in `programme` (those of `scope` only, if given) and its state on `as_of`
    (default: today for the current year, the end of the year for a past one)."""
    as_of = as_of or default_as_of(year)
    calendar = calendar_for(programme, year)
    readings = holder_readings([programme], year, as_of)[programme.id]
    ids = set(readings)
    if ids and scope is not None:
        ids = set(scope.filter(id__in=sorted(ids)).values_list("id", flat=True))
    units = Unit.objects.filter(id__in=sorted(ids)).select_related("district", "province").order_by("code", "id")
    out = []
    for unit in units:
        reading, assessment_id = readings[unit.id]
        state = state_of(reading, calendar.commune_deadline, calendar.district_deadline)
        out.append(UnitState(unit, group_of(unit), state, reading.submitted_on, reading.verified_on, assessment_id,
                             days_late(state, as_of, calendar.commune_deadline, calendar.district_deadline)))
    return Completeness(programme, year, as_of, calendar, out)


def csv_header() -> list[str]:
    return [_("Mã đơn vị"), _("Tên đơn vị"), _("Mã huyện/tỉnh"), _("Huyện (hoặc tỉnh)"), _("Trạng thái"),
            _("Mã trạng thái"), _("Ngày gửi"), _("Ngày thẩm định"), _("Số ngày quá hạn")]


def completeness_csv(completeness: Completeness) -> bytes:
    """Every unit with its state and dates; UTF-8 with a BOM so that Excel reads the Vietnamese text."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(csv_header())
    for u in completeness.units:
        writer.writerow([
            str(u.unit.code), u.unit.name, u.group.code, u.group.name, u.label, u.state,
            u.submitted_on.strftime("%d/%m/%Y") if u.submitted_on else "",
            u.verified_on.strftime("%d/%m/%Y") if u.verified_on else "",
            u.days_late or "",
        ])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")

