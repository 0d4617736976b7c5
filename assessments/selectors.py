"""Reads for the assessment pages: always scoped to the user, with a constant number of queries."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from accounts import permissions
from communes.models import Unit

from . import programmes
from .facts.readings import is_late, local_day
from .models import (
    Assessment,
    CriterionResult,
    Evidence,
    Programme,
    Recognition,
    Registration,
    Result,
    Status,
    Transition,
)


def today() -> datetime.date:
    """The day the pages count deadlines from (one place, so that tests can name a day)."""
    return timezone.localdate()


def current_year() -> int:
    return today().year


def eligible_unit_list(*, user) -> QuerySet[Unit]:
    """Units in the user's scope that some programme reads: its frame units, and this year's holders.

    Read from the user's scope (and its lineage), never from every programme's frame."""
    scope = list(permissions.unit_list(user=user).only(*programmes.UNIT_FIELDS))
    every = programmes.programme_list()
    frame_ids = {u.id for u in scope for p in every if programmes.in_frame(p, u)}
    holders = set(programmes.units_in_programmes({u.id for u in scope}, current_year()))
    return permissions.unit_list(user=user).filter(id__in=sorted(frame_ids | holders))


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
    day = day or today()
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
    day = day or today()
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
    day = day or today()
    calendars = (calendars or programmes.CalendarBook()).of(programmes_, year)
    return [ReviewDeadline(p, calendars[p.id], day) for p in programmes_]


def assessment_list_for_unit(*, user, unit: Unit) -> QuerySet[Assessment]:
    """The unit's assessments and, read-only, those of the units it came from (§7)."""
    units = sorted(permissions.lineage_ids(user, unit.id))
    return permissions.scoped(Assessment.objects.filter(unit_id__in=units), user).select_related(
        "criteria_set__programme", "unit").order_by("-year", "unit__code")


def assessment_get(*, user, pk: int) -> Assessment:
    qs = Assessment.objects.select_related("unit", "unit__district", "criteria_set", "verified_by")
    return permissions.get_scoped_or_404(qs, user, pk=pk)


def result_list(*, assessment: Assessment) -> list[CriterionResult]:
    return list(
        assessment.results.select_related("criterion")
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.select_related("uploaded_by")))
        .order_by("criterion__number")
    )


def result_get(*, assessment: Assessment, criterion_id: int) -> CriterionResult:
    """One criterion's result of an assessment already fetched through the user's scope (404 otherwise)."""
    result = assessment.results.select_related("criterion").filter(criterion_id=criterion_id).first()
    if result is None:
        raise Http404
    return result


def evidence_get(*, user, pk: int) -> Evidence:
    qs = Evidence.objects.select_related("result__assessment__unit")
    return permissions.get_scoped_or_404(qs, user, unit_path="result__assessment__unit", pk=pk)


def review_inbox(*, user) -> QuerySet[Assessment]:
    """Submitted assessments waiting for the district, oldest first."""
    qs = Assessment.objects.filter(status=Status.SUBMITTED).select_related(
        "unit", "unit__district", "criteria_set__programme")
    return permissions.scoped(qs, user).order_by("submitted_at", "unit__code")


def review_inbox_rows(*, user, calendars: programmes.CalendarBook | None = None
                      ) -> list[tuple[Assessment, Timeliness]]:
    """The inbox, each submission with whether it came late and how long it has waited past the district deadline."""
    inbox = list(review_inbox(user=user))
    timeliness = timeliness_of(inbox, calendars=calendars)
    return [(a, timeliness[a.id]) for a in inbox]


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


def recognition_list(*, user) -> QuerySet[Recognition]:
    qs = Recognition.objects.select_related("unit", "unit__district", "recorded_by")
    return permissions.scoped(qs, user).order_by("-decision_date", "unit__code")


def recognition_get(*, user, pk: int) -> Recognition:
    return permissions.get_scoped_or_404(Recognition.objects.select_related("unit"), user, pk=pk)


def registration_list(*, user) -> QuerySet[Registration]:
    qs = Registration.objects.select_related("unit", "unit__district", "created_by")
    return permissions.scoped(qs, user).order_by("-year", "unit__district__code", "unit__code")


def registration_get(*, user, pk: int) -> Registration:
    return permissions.get_scoped_or_404(Registration.objects.select_related("unit"), user, pk=pk)


# ---------------------------------------------------------------- timeline


@dataclass
class TimelineEntry:
    at: datetime.datetime
    who: str
    title: str
    changes: list[str] = field(default_factory=list)
    reason: str = ""
    kind: str = "change"  # "transition" or "change"


RESULT_FIELDS = ("self_result", "note", "verified_result", "reviewer_comment")


def _result_label(value: str) -> str:
    if not value:
        return "—"
    try:
        return str(Result(value).label)
    except ValueError:
        return value


def _short(text: str, limit: int = 80) -> str:
    text = " ".join((text or "").split())
    if not text:
        return "—"
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _who(user) -> str:
    if user is None:
        return _("Hệ thống")
    return user.get_full_name() or user.username


# The assessment page shows every workflow step but only this many of the latest edits (an officer's
# autosaves can number in the hundreds); `?timeline=all` shows them all.
TIMELINE_EDITS = 20


@dataclass
class Timeline:
    entries: list[TimelineEntry]
    hidden: int = 0  # the older edits left out

    def __iter__(self):
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)


def bounded(entries: list[TimelineEntry], limit: int | None) -> Timeline:
    """Every workflow step, and the latest `limit` edits (None: all)."""
    edits = [e for e in entries if e.kind != "transition"]
    if limit is None or len(edits) <= limit:
        return Timeline(entries)
    dropped = {id(e) for e in edits[: len(edits) - limit]}
    return Timeline([e for e in entries if id(e) not in dropped], hidden=len(dropped))


def assessment_timeline(*, assessment: Assessment, edits: int | None = TIMELINE_EDITS) -> Timeline:
    """Who did what and when, oldest first: workflow steps plus the changes to the answers (the latest
    `edits` of them; None: all).

    Built from Transition rows and the simple-history records of the assessment and its
    results, in three queries whatever the number of criteria.
    """
    labels = {
        "self_result": _("Tự đánh giá"),
        "note": _("Ghi chú"),
        "verified_result": _("Kết quả thẩm định"),
        "reviewer_comment": _("Nhận xét của cán bộ thẩm định"),
    }
    entries: list[TimelineEntry] = []
    for step in Transition.objects.filter(assessment=assessment).select_related("actor").order_by("at", "pk"):
        if step.from_status:
            title = _("Chuyển trạng thái: %(old)s → %(new)s") % {
                "old": Status(step.from_status).label,
                "new": Status(step.to_status).label,
            }
        else:
            title = _("Tạo đánh giá (%(status)s)") % {"status": Status(step.to_status).label}
        entries.append(TimelineEntry(step.at, _who(step.actor), title, reason=step.reason, kind="transition"))

    numbers = dict(assessment.results.values_list("id", "criterion__number"))
    history = (
        CriterionResult.history.filter(assessment_id=assessment.pk)
        .select_related("history_user")
        .order_by("id", "history_date", "history_id")
    )
    previous: dict[int, object] = {}
    # Changes made by one person in one save are grouped into one entry.
    grouped: dict[tuple, TimelineEntry] = {}
    for record in history:
        before = previous.get(record.id)
        previous[record.id] = record
        if before is None:
            changed = [f for f in ("self_result", "verified_result") if getattr(record, f) not in ("", Result.NOT_YET)]
            if not changed:
                continue
        else:
            changed = [f for f in RESULT_FIELDS if getattr(record, f) != getattr(before, f)]
        if not changed:
            continue
        lines = []
        for name in changed:
            old = getattr(before, name) if before is not None else ""
            new = getattr(record, name)
            if name.endswith("result"):
                old, new = _result_label(old), _result_label(new)
            else:
                old, new = _short(old), _short(new)
            lines.append(
                _("Tiêu chí %(number)s – %(field)s: %(old)s → %(new)s")
                % {"number": numbers.get(record.id, "?"), "field": labels[name], "old": old, "new": new}
            )
        key = (record.history_user_id, record.history_date.replace(microsecond=0))
        entry = grouped.get(key)
        if entry is None:
            entry = TimelineEntry(
                record.history_date, _who(record.history_user), _("Cập nhật kết quả tiêu chí"),
                reason=record.history_change_reason or "",
            )
            grouped[key] = entry
            entries.append(entry)
        entry.changes.extend(lines)

    # Evidence files added and removed (one query).
    for record in (
        Evidence.history.filter(result_id__in=list(numbers)).select_related("history_user")
        .order_by("history_date", "history_id")
    ):
        if record.history_type == "+":
            title = _("Thêm minh chứng “%(name)s” – tiêu chí %(number)s")
        elif record.history_type == "-":
            title = _("Xóa minh chứng “%(name)s” – tiêu chí %(number)s")
        else:
            continue
        entries.append(TimelineEntry(record.history_date, _who(record.history_user),
                                     title % {"name": record.original_name, "number": numbers.get(record.result_id, "?")}))

    # Counts recorded on the assessment itself (e.g. by an import) complete the picture.
    last = None
    for record in assessment.history.select_related("history_user").order_by("history_date", "history_id"):
        if last is not None and record.verified_met_count != last.verified_met_count and record.verified_met_count is not None:
            entries.append(
                TimelineEntry(
                    record.history_date,
                    _who(record.history_user),
                    _("Số tiêu chí đạt sau thẩm định: %(old)s → %(new)s")
                    % {"old": last.verified_met_count if last.verified_met_count is not None else "—",
                       "new": record.verified_met_count},
                    reason=record.history_change_reason or "",
                )
            )
        last = record
    entries.sort(key=lambda e: (e.at, 0 if e.kind == "change" else 1))
    return bounded(entries, edits)


# ---------------------------------------------------------------- history of decisions and targets

RECOGNITION_FIELDS = ("decision_number", "decision_date", "issued_by", "revoked_on", "revoke_reason", "level")
TARGET_FIELDS = ("number", "deadline", "text", "kind", "level", "band")


def _value(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return _short(str(value))


def object_history(model, ids: list[int], fields: tuple[str, ...]) -> dict[int, list[TimelineEntry]]:
    """Who changed what and when, per object, from its simple-history records (one query)."""
    out: dict[int, list[TimelineEntry]] = {}
    previous: dict[int, object] = {}
    labels = {f: capfirst(str(model._meta.get_field(f).verbose_name)) for f in fields}
    for record in (
        model.history.filter(id__in=ids).select_related("history_user").order_by("id", "history_date", "history_id")
    ):
        before = previous.get(record.id)
        previous[record.id] = record
        if record.history_type == "+":
            entry = TimelineEntry(record.history_date, _who(record.history_user), _("Ghi nhận"),
                                  reason=record.history_change_reason or "")
        elif before is not None:
            changes = [
                _("%(field)s: %(old)s → %(new)s") % {"field": labels[f], "old": _value(getattr(before, f)),
                                                     "new": _value(getattr(record, f))}
                for f in fields if getattr(before, f) != getattr(record, f)
            ]
            if not changes:
                continue
            entry = TimelineEntry(record.history_date, _who(record.history_user), _("Sửa đổi"), changes=changes,
                                  reason=record.history_change_reason or "")
        else:
            continue
        out.setdefault(record.id, []).append(entry)
    return out


def recognition_history(recognitions: list[Recognition]) -> dict[int, list[TimelineEntry]]:
    return object_history(Recognition, [r.pk for r in recognitions], RECOGNITION_FIELDS)
