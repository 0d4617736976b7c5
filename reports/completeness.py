"""Completeness and timeliness of a programme's yearly assessments, as of a day.

The units are the holders of the programme's frame places in year Y (DESIGN §7: the units that
assess that year). Each is in exactly one state, read from its assessment of Y in the programme
as the workflow had left it at the end of `as_of` (local time):

* ``not_started`` — no assessment yet; ``draft`` — being entered; ``returned`` — sent back by the
  reviewer and not submitted again;
* ``submitted_on_time`` / ``submitted_late`` — waiting for the district, submitted on or before /
  after the commune deadline (the date of the latest submission counts);
* ``verified_on_time`` / ``verified_late`` — verified on or before / after the district deadline.

The history is the Transition log (every service writes it with the status change), so a step
taken after `as_of` is not seen: an assessment submitted on 1/12 is a draft as of 30/11. An
assessment without any Transition (written outside the services) is read from its dates
(created, submitted_at, verified_at). Once nothing happened after `as_of`, the row's own status is
what counts, so "today" always agrees with the reviewer's status table. Deadlines come from
`assessments.programmes.calendar_for`.

Everything is read with a constant number of queries: the calendar, the frame and its lineage,
the assessments, their transitions and (for a user's scope) the visible units.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.models import Assessment, Programme, Status, Transition
from assessments.programmes import Calendar, Frame, calendar_for
from assessments.selectors import submission_late
from communes.models import Unit

NOT_STARTED = "not_started"
DRAFT = "draft"
SUBMITTED_ON_TIME = "submitted_on_time"
SUBMITTED_LATE = "submitted_late"
RETURNED = "returned"
VERIFIED_ON_TIME = "verified_on_time"
VERIFIED_LATE = "verified_late"
STATES = (NOT_STARTED, DRAFT, SUBMITTED_ON_TIME, SUBMITTED_LATE, RETURNED, VERIFIED_ON_TIME, VERIFIED_LATE)
# The commune's report is not (or no longer) with the district.
MISSING = (NOT_STARTED, DRAFT, RETURNED)
# With the district, not verified yet.
WAITING = (SUBMITTED_ON_TIME, SUBMITTED_LATE)
SUBMITTED = (SUBMITTED_ON_TIME, SUBMITTED_LATE, VERIFIED_ON_TIME, VERIFIED_LATE)
VERIFIED = (VERIFIED_ON_TIME, VERIFIED_LATE)

STATE_LABELS = {
    NOT_STARTED: gettext_lazy("Chưa bắt đầu"),
    DRAFT: gettext_lazy("Đang soạn"),
    SUBMITTED_ON_TIME: gettext_lazy("Đã gửi đúng hạn"),
    SUBMITTED_LATE: gettext_lazy("Đã gửi quá hạn"),
    RETURNED: gettext_lazy("Bị trả lại"),
    VERIFIED_ON_TIME: gettext_lazy("Đã thẩm định đúng hạn"),
    VERIFIED_LATE: gettext_lazy("Đã thẩm định quá hạn"),
}

SORTS = ("code", "name", "district", "state")


def state_label(state: str) -> str:
    return str(STATE_LABELS[state])


@dataclass(frozen=True)
class Step:
    at: datetime.datetime
    from_status: str
    to_status: str


@dataclass
class Reading:
    """What the history says as of a day: the status then and the dates of the last steps."""

    status: str | None  # None: no assessment yet
    submitted_on: datetime.date | None
    verified_on: datetime.date | None


def _day(moment: datetime.datetime | None) -> datetime.date | None:
    if moment is None:
        return None
    return timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()


def steps_from_dates(row: dict) -> list[Step]:
    """An assessment written outside the services has no Transition: rebuild its steps from its dates."""
    steps = [Step(row["created_at"], "", Status.DRAFT)]
    if row["submitted_at"]:
        steps.append(Step(row["submitted_at"], Status.DRAFT, Status.SUBMITTED))
    if row["verified_at"]:
        steps.append(Step(row["verified_at"], Status.SUBMITTED, Status.VERIFIED))
    elif row["status"] == Status.RETURNED:
        steps.append(Step(row["updated_at"], Status.SUBMITTED, Status.RETURNED))
    return sorted(steps, key=lambda s: s.at)


def read_as_of(row: dict, steps: list[Step], as_of: datetime.date) -> Reading:
    """Replay an assessment's steps up to the end of `as_of`."""
    status = submitted = verified = None
    later = False
    for step in steps:
        day = _day(step.at)
        if day > as_of:
            later = True
            break
        status = step.to_status
        if step.to_status == Status.SUBMITTED and step.from_status != Status.VERIFIED:
            submitted = day  # a reopening (verified → submitted) is not a submission
        if step.to_status == Status.VERIFIED:
            verified = day
            submitted = submitted or day  # recorded straight as verified (an import, a paper dossier)
        elif step.from_status == Status.VERIFIED:
            verified = None
    if status is not None and not later and status != row["status"]:
        # Nothing happened after `as_of`: the row's status is the truth of today.
        status = row["status"]
        submitted = submitted or _day(row["submitted_at"])
        verified = _day(row["verified_at"]) if status == Status.VERIFIED else None
    return Reading(status, submitted, verified)


def state_of(reading: Reading, calendar: Calendar) -> str:
    if reading.status is None:
        return NOT_STARTED
    if reading.status == Status.DRAFT:
        return DRAFT
    if reading.status == Status.RETURNED:
        return RETURNED
    if reading.status == Status.VERIFIED:
        return VERIFIED_ON_TIME if reading.verified_on <= calendar.district_deadline else VERIFIED_LATE
    return SUBMITTED_LATE if submission_late(reading.submitted_on, calendar) else SUBMITTED_ON_TIME


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

    def groups(self) -> list[tuple[Group, list[UnitState]]]:
        by_group: dict[Group, list[UnitState]] = defaultdict(list)
        for u in self.units:
            by_group[u.group].append(u)
        return sorted(by_group.items(), key=lambda kv: kv[0].sort_key)

    def districts(self) -> list[dict]:
        return [
            {"code": g.code, "name": g.name, "units_total": len(units), "counts": _counts(units)}
            for g, units in self.groups()
        ]

    def missing(self, sort: str = "district") -> list[UnitState]:
        return sort_units([u for u in self.units if u.missing], sort)

    def as_json(self) -> dict:
        """The structure `completeness_report --format json` prints and /reports/completeness.json serves."""
        return {
            "year": self.year,
            "as_of": self.as_of.isoformat(),
            "units_total": self.units_total,
            "counts": self.counts(),
            "districts": self.districts(),
            "units": [
                {"code": str(u.unit.code), "name": u.unit.name, "state": u.state,
                 "submitted_at": _iso(u.submitted_on), "verified_at": _iso(u.verified_on)}
                for u in self.units
            ],
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


def completeness_load(
    *, programme: Programme, year: int, as_of: datetime.date | None = None, scope: QuerySet[Unit] | None = None,
) -> Completeness:
    """Every unit assessing `year` in `programme` (those of `scope` only, if given) and its state on `as_of`."""
    as_of = as_of or timezone.localdate()
    calendar = calendar_for(programme, year)
    holders = Frame.load(programme, year).holder_list() if programme.covers_year(year) else []
    if holders and scope is not None:
        visible = set(scope.filter(id__in=[h.id for h in holders]).values_list("id", flat=True))
        holders = [h for h in holders if h.id in visible]
    if not holders:
        return Completeness(programme, year, as_of, calendar, [])
    assessments = Assessment.objects.filter(
        unit_id__in=[h.id for h in holders], year=year, criteria_set__programme=programme
    )
    rows: dict[int, dict] = {}
    for row in assessments.order_by("unit_id", "id").values(
        "id", "unit_id", "status", "submitted_at", "verified_at", "created_at", "updated_at"
    ):
        rows[row["unit_id"]] = row  # a unit with two sets that year: the latest one
    steps: dict[int, list[Step]] = defaultdict(list)
    for t in (
        Transition.objects.filter(assessment_id__in=assessments.values("id"))
        .order_by("assessment_id", "at", "pk").values("assessment_id", "from_status", "to_status", "at")
    ):
        steps[t["assessment_id"]].append(Step(t["at"], t["from_status"], t["to_status"]))
    out = []
    for unit in holders:
        row = rows.get(unit.id)
        if row is None:
            reading = Reading(None, None, None)
        else:
            reading = read_as_of(row, steps.get(row["id"]) or steps_from_dates(row), as_of)
        state = state_of(reading, calendar)
        if state in MISSING:
            late = (as_of - calendar.commune_deadline).days
        elif state in WAITING:
            late = (as_of - calendar.district_deadline).days
        else:
            late = 0
        out.append(UnitState(unit, group_of(unit), state, reading.submitted_on, reading.verified_on,
                             row["id"] if row else None, max(0, late)))
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
