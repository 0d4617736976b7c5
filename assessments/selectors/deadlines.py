"""Deadlines as the pages count them: days left, late or on time, waiting past the review deadline.

The day is read through the package (`selectors.today`), the one place tests name it."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from communes.models import Unit

from .. import programmes, selectors
from ..facts.readings import is_late, local_day
from ..models import (
    Assessment,
    Programme,
    Status,
)


@dataclass
class Countdown:
    """Days left before a deadline seen from `day`, or days late once it has passed."""

    deadline: datetime.date
    day: datetime.date

    @property
    def days_left(self) -> int:
        return max(0, (self.deadline - self.day).days)

    @property
    def days_late(self) -> int:
        return max(0, (self.day - self.deadline).days)

    @property
    def late(self) -> bool:
        return self.day > self.deadline


def submission_late(submitted_on: datetime.date | None, calendar: programmes.Calendar) -> bool:
    """Sent up after the commune deadline of the assessment's programme and year (`programmes.calendar_for`);
    the latest submission's date counts — the one rule of `assessments.facts.readings.is_late`."""
    return is_late(submitted_on, calendar.commune_deadline)


@dataclass(frozen=True)
class Timeliness:
    """An assessment sent up, against its calendar and seen from `day`: late or on time, and whether it has
    waited for the reviewer past the district deadline."""

    calendar: programmes.Calendar
    submitted_on: datetime.date | None
    waiting: bool  # submitted, not verified yet
    day: datetime.date

    @property
    def late(self) -> bool:
        return submission_late(self.submitted_on, self.calendar)

    @property
    def days_late(self) -> int:
        return Countdown(self.calendar.commune_deadline, self.submitted_on).days_late if self.late else 0

    @property
    def review_days_late(self) -> int:
        return Countdown(self.calendar.district_deadline, self.day).days_late if self.waiting else 0


def timeliness_of(assessments, *, day: datetime.date | None = None,
                  calendars: programmes.CalendarBook | None = None) -> dict[int, Timeliness]:
    """Assessment id → its Timeliness, for those sent up (submitted or verified). The assessments carry
    criteria_set.programme; one calendar query per year among them."""
    day = day or selectors.today()
    chosen: dict[int, dict[int, Programme]] = defaultdict(dict)
    for a in assessments:
        chosen[a.year][a.criteria_set.programme_id] = a.criteria_set.programme
    book = calendars or programmes.CalendarBook()
    calendars = {year: book.of(list(p.values()), year) for year, p in chosen.items()}
    return {
        a.id: Timeliness(calendars[a.year][a.criteria_set.programme_id],
                         local_day(a.submitted_at) or local_day(a.verified_at), a.status == Status.SUBMITTED, day)
        for a in assessments if a.status in (Status.SUBMITTED, Status.VERIFIED)
    }


@dataclass
class OfficerProgramme:
    """One programme of an officer's unit this year: its assessment and its calendar."""

    programme: Programme
    assessment: Assessment | None
    calendar: programmes.Calendar
    day: datetime.date

    @property
    def deadline(self) -> datetime.date:
        return self.calendar.commune_deadline

    @property
    def countdown(self) -> Countdown:
        return Countdown(self.calendar.commune_deadline, self.day)

    @property
    def days_left(self) -> int:
        return self.countdown.days_left

    @property
    def timeliness(self) -> Timeliness | None:
        """Once sent up: was it on time (the officer's home says "đúng hạn" or "quá hạn N ngày")."""
        a = self.assessment
        if a is None or a.status not in (Status.SUBMITTED, Status.VERIFIED):
            return None
        return Timeliness(self.calendar, local_day(a.submitted_at) or local_day(a.verified_at),
                          a.status == Status.SUBMITTED, self.day)


def officer_programmes(*, unit: Unit, year: int, assessments: list[Assessment],
                       day: datetime.date | None = None) -> list[OfficerProgramme]:
    day = day or selectors.today()
    chosen = programmes.programmes_for_unit(unit, year)
    calendars = programmes.calendars_for(chosen, year)
    out = []
    for programme in chosen:
        current = next((a for a in assessments if a.year == year and a.unit_id == unit.id
                        and a.criteria_set.programme_id == programme.id), None)
        out.append(OfficerProgramme(programme, current, calendars[programme.id], day))
    return out


@dataclass
class ReviewDeadline:
    """A programme's deadlines for the year as the reviewer inbox shows them."""

    programme: Programme
    calendar: programmes.Calendar
    day: datetime.date

    @property
    def countdown(self) -> Countdown:
        return Countdown(self.calendar.district_deadline, self.day)


def review_deadlines(year: int, *, programmes_: list[Programme], day: datetime.date | None = None,
                     calendars: programmes.CalendarBook | None = None) -> list[ReviewDeadline]:
    day = day or selectors.today()
    calendars = (calendars or programmes.CalendarBook()).of(programmes_, year)
    return [ReviewDeadline(p, calendars[p.id], day) for p in programmes_]
