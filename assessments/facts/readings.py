"""The one definition of each counted fact (DESIGN §2): bands, completeness states, "reported", "late",
and a target's state. Pages, JSON, CSV/xlsx, the .docx, the national page, the reminders and the API all
read these; the stored figures (`assessments.facts`) are computed with them.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy

from ..models import Band, Level, Status

# ---------------------------------------------------------------- bands

# The count bands: band, lowest count (highest first).
BAND_FLOORS = ((Band.B13, 13), (Band.B10, 10), (Band.B9, 9), (Band.B0, 0))
# Highest first: also the tier order of the 2025 targets.
BAND_ORDER = (Band.RECOGNIZED, Band.B13, Band.B10, Band.B9, Band.B0, Band.NOT_ASSESSED)
BAND_RANK = {str(band): rank for rank, band in enumerate(BAND_ORDER)}
BAND_KEYS = tuple(str(b) for b in BAND_ORDER)
# Preliminary figures count a holder's own submitted or returned self-assessment; drafts never count.
PRELIMINARY_STATUSES = (Status.SUBMITTED, Status.RETURNED)
LEVELS = (Level.COMMUNE, Level.DISTRICT, Level.PROVINCE)


def band_for(held_level: int | None, met: int | None) -> str:
    """The first band that matches: recognised, then by the count met, else not assessed."""
    if held_level:
        return Band.RECOGNIZED.value
    if met is None:
        return Band.NOT_ASSESSED.value
    for band, floor in BAND_FLOORS:
        if met >= floor:
            return band.value
    return Band.NOT_ASSESSED.value


def year_end(year: int) -> datetime.date:
    return datetime.date(year, 12, 31)


def evaluation_day(deadline: datetime.date, year: int) -> datetime.date:
    """A target with deadline D is read, in a report of year Y, as of min(31/12/Y, D)."""
    return min(year_end(year), deadline)


# ---------------------------------------------------------------- completeness states

NOT_STARTED = "not_started"
DRAFT = "draft"
SUBMITTED_ON_TIME = "submitted_on_time"
SUBMITTED_LATE = "submitted_late"
RETURNED = "returned"
VERIFIED_ON_TIME = "verified_on_time"
VERIFIED_LATE = "verified_late"
STATES = (NOT_STARTED, DRAFT, SUBMITTED_ON_TIME, SUBMITTED_LATE, RETURNED, VERIFIED_ON_TIME, VERIFIED_LATE)
# The commune's report is not (or no longer) with the district: a returned one is back with the officer.
MISSING = (NOT_STARTED, DRAFT, RETURNED)
# With the district, not verified yet.
WAITING = (SUBMITTED_ON_TIME, SUBMITTED_LATE)
VERIFIED = (VERIFIED_ON_TIME, VERIFIED_LATE)
# "Reported" = submitted (on time or late) or verified, as of the day read.
REPORTED = (SUBMITTED_ON_TIME, SUBMITTED_LATE, VERIFIED_ON_TIME, VERIFIED_LATE)
LATE = (SUBMITTED_LATE, VERIFIED_LATE)

STATE_LABELS = {
    NOT_STARTED: gettext_lazy("Chưa bắt đầu"),
    DRAFT: gettext_lazy("Đang soạn"),
    SUBMITTED_ON_TIME: gettext_lazy("Đã gửi đúng hạn"),
    SUBMITTED_LATE: gettext_lazy("Đã gửi quá hạn"),
    RETURNED: gettext_lazy("Bị trả lại"),
    VERIFIED_ON_TIME: gettext_lazy("Đã thẩm định đúng hạn"),
    VERIFIED_LATE: gettext_lazy("Đã thẩm định quá hạn"),
}


def is_reported(state: str) -> bool:
    return state in REPORTED


def default_as_of(year: int, today: datetime.date | None = None) -> datetime.date:
    """"As of" defaults to today for the current (or a later) year and to the end of the year for past years."""
    today = today or timezone.localdate()
    return min(today, year_end(year))


@dataclass(frozen=True)
class Step:
    at: datetime.datetime
    from_status: str
    to_status: str


@dataclass(frozen=True)
class Reading:
    """What an assessment's history says as of a day: the status then and the dates of the last steps."""

    status: str | None  # None: no assessment yet
    submitted_on: datetime.date | None
    verified_on: datetime.date | None


def local_day(moment: datetime.datetime | None) -> datetime.date | None:
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
    """Replay an assessment's steps up to the end of `as_of` (local time). Once nothing happened after
    `as_of`, the row's own status is the truth of today (so "today" agrees with the reviewer's table)."""
    status = submitted = verified = None
    later = False
    for step in steps:
        day = local_day(step.at)
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
        status = row["status"]
        submitted = submitted or local_day(row["submitted_at"])
        verified = local_day(row["verified_at"]) if status == Status.VERIFIED else None
    return Reading(status, submitted, verified)


def is_late(day: datetime.date | None, deadline: datetime.date) -> bool:
    """"Quá hạn (nộp muộn)": a step taken after its deadline — the latest submission against the commune
    deadline, the verification against the district deadline."""
    return day is not None and day > deadline


def state_of(reading: Reading, commune_deadline: datetime.date, district_deadline: datetime.date) -> str:
    """The completeness state: late is the latest submission after the commune deadline, or the
    verification after the district deadline."""
    if reading.status is None:
        return NOT_STARTED
    if reading.status == Status.DRAFT:
        return DRAFT
    if reading.status == Status.RETURNED:
        return RETURNED
    if reading.status == Status.VERIFIED:
        return VERIFIED_LATE if is_late(reading.verified_on, district_deadline) else VERIFIED_ON_TIME
    return SUBMITTED_LATE if is_late(reading.submitted_on, commune_deadline) else SUBMITTED_ON_TIME


def days_late(state: str, as_of: datetime.date, commune_deadline: datetime.date,
              district_deadline: datetime.date) -> int:
    """Days past the deadline that concerns the unit now: the commune's while its report is missing,
    the district's while it waits for verification."""
    if state in MISSING:
        return max(0, (as_of - commune_deadline).days)
    if state in WAITING:
        return max(0, (as_of - district_deadline).days)
    return 0


# ---------------------------------------------------------------- target states

MET, MISSED, NOT_YET_DUE = "met", "missed", "not_yet_due"
TARGET_STATE_LABELS = {
    MET: gettext_lazy("Đạt"),
    MISSED: gettext_lazy("Không đạt"),
    NOT_YET_DUE: gettext_lazy("Chưa đạt"),
}


def target_state(*, met: bool, deadline: datetime.date, report_day: datetime.date) -> str:
    """Đạt (met); Không đạt once the deadline is before the report's day and it is not met; else Chưa đạt."""
    if met:
        return MET
    return MISSED if deadline < report_day else NOT_YET_DUE
