"""Checking a recognitions file: `commune_code,level,decision_number,decision_date,issued_by[,programme]
[,revoked_on]` (DESIGN §5).

A decision's unit is resolved, and its programme chosen, as of the decision date (the services'
`recognition_programme` reads the same day). The chain (§3, §7) is the services' own
`recognition_chain_problem`, checked against one `ChainFacts` load for the whole file, to which the
decisions accepted from the file are added — lower levels first, so that a district decision may rest
on a commune decision of the same file.
"""

from __future__ import annotations

import datetime
from typing import NamedTuple

from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import Level, Recognition
from assessments.services import LEVEL_CAPABILITY, ChainFacts, recognition_chain_problem
from communes.models import Unit

from ..reading import excerpt
from .cells import LEVEL_WORDS, Cells, Rows, parse_date, word
from .checker import Checker
from .plan import CREATED, UNCHANGED, UPDATED


class RecognitionChange(NamedTuple):
    """A decision to record (created), or a recorded one whose revocation the file adds (updated)."""

    row: int
    action: str
    unit: Unit
    programme_id: int
    level: int
    decision_number: str
    decision_date: datetime.date
    issued_by: str
    revoked_on: datetime.date | None
    recognition_id: int | None = None  # updated: the recorded decision


class Stored(NamedTuple):
    id: int
    decision_date: datetime.date
    issued_by: str
    revoked_on: datetime.date | None


def plan_recognitions(checker: Checker, rows: Rows) -> None:
    decisions = []
    seen: dict[tuple[int, int, int, str], int] = {}
    for row, cells in rows:
        change = _check_row(checker, row, cells)
        if change is None:
            continue
        key = (change.programme_id, change.unit.id, change.level, change.decision_number)
        if key in seen:
            checker.problem(row, "decision_number", _("quyết định này của %(unit)s đã có ở dòng %(first)s.")
                            % {"unit": change.unit, "first": seen[key]})
            continue
        seen[key] = row
        decisions.append(change)
    stored = {
        (programme_id, unit_id, level, number): Stored(pk, day, issued_by, revoked)
        for pk, programme_id, unit_id, level, number, day, issued_by, revoked in Recognition.objects.filter(
            unit_id__in=list(checker.units)
        ).values_list("id", "programme_id", "unit_id", "level", "decision_number", "decision_date", "issued_by",
                      "revoked_on")
    }
    facts = ChainFacts.load(unit_ids=checker.units, programme_ids=[p.id for p in checker.programmes],
                            years={change.decision_date.year for change in decisions})
    programmes = {p.id: p for p in checker.programmes}
    # Lower levels first: a district decision may rest on a commune decision accepted from this same file.
    for change in sorted(decisions, key=lambda c: (c.level, c.row)):
        recorded = stored.get((change.programme_id, change.unit.id, change.level, change.decision_number))
        if recorded is not None:
            _against_recorded(checker, change, recorded)
            continue
        rule = recognition_chain_problem(facts, unit=change.unit, level=change.level,
                                         decision_date=change.decision_date, programme=programmes[change.programme_id])
        if rule:
            checker.problem(change.row, "level", rule)
            continue
        facts.add_decision(unit_id=change.unit.id, programme_id=change.programme_id, level=change.level,
                           decision_date=change.decision_date, revoked_on=change.revoked_on)
        checker.plan.count(CREATED, change.unit)
        checker.plan.changes.append(change)


def _against_recorded(checker: Checker, change: RecognitionChange, recorded: Stored) -> None:
    """A decision already recorded: unchanged, its revocation added, or a problem."""
    number, unit = change.decision_number, change.unit
    if (recorded.decision_date, recorded.issued_by) != (change.decision_date, change.issued_by):
        checker.problem(change.row, "decision_number", _("quyết định số %(number)s của %(unit)s đã được ghi nhận "
                                                         "với ngày ký hoặc cơ quan ban hành khác.")
                        % {"number": number, "unit": unit})
    elif recorded.revoked_on and recorded.revoked_on != change.revoked_on:
        checker.problem(change.row, "revoked_on", _("quyết định số %(number)s của %(unit)s đã bị thu hồi ngày "
                                                    "%(day)s; tệp nhập không thể thay đổi việc thu hồi.")
                        % {"number": number, "unit": unit, "day": recorded.revoked_on.strftime("%d/%m/%Y")})
    elif change.revoked_on and not recorded.revoked_on:
        checker.plan.count(UPDATED, unit)
        checker.plan.changes.append(change._replace(action=UPDATED, recognition_id=recorded.id))
    else:
        checker.plan.count(UNCHANGED, unit)


def _check_row(checker: Checker, row: int, cells: Cells) -> RecognitionChange | None:
    level = _level(checker, row, cells)
    number = cells.get("decision_number")
    if not number:
        checker.problem(row, "decision_number", _("thiếu số quyết định."))
    elif len(number) > 100:
        checker.problem(row, "decision_number", _("số quyết định dài quá 100 ký tự."))
        number = ""
    day = _decision_date(checker, row, cells)
    issued_by = cells.get("issued_by")
    if not issued_by:
        checker.problem(row, "issued_by", _("thiếu cơ quan ban hành."))
    elif len(issued_by) > 255:
        checker.problem(row, "issued_by", _("tên cơ quan ban hành dài quá 255 ký tự."))
        issued_by = ""
    day, revoked_on = _revocation(checker, row, cells, day)
    if day is None:
        checker.code_known(row, cells)
        return None
    found = checker.unit(row, cells, day=day, year=day.year)
    if found is None or level is None or not number or not issued_by:
        return None
    return RecognitionChange(row, CREATED, found.unit, found.programme.id, level, number, day, issued_by, revoked_on)


def _level(checker: Checker, row: int, cells: Cells) -> int | None:
    raw = cells.get("level")
    level = LEVEL_WORDS.get(word(raw))
    if level is None:
        checker.problem(row, "level", _("cấp công nhận “%(value)s” không hợp lệ (commune, district hoặc province).")
                        % {"value": excerpt(raw)})
    elif not checker.can(LEVEL_CAPABILITY[level]):
        checker.problem(row, "level", _("vai trò của bạn không được ghi nhận quyết định công nhận %(level)s.")
                        % {"level": Level(level).label.lower()})
        return None
    return level


def _decision_date(checker: Checker, row: int, cells: Cells) -> datetime.date | None:
    raw = cells.get("decision_date")
    day = parse_date(raw)
    if day is None:
        checker.problem(row, "decision_date", _("ngày “%(value)s” không đúng dạng YYYY-MM-DD hoặc DD/MM/YYYY.")
                        % {"value": excerpt(raw)})
    elif day > timezone.localdate():
        checker.problem(row, "decision_date", _("ngày ký quyết định không thể ở tương lai."))
        return None
    return day


def _revocation(checker: Checker, row: int, cells: Cells, day: datetime.date | None
                ) -> tuple[datetime.date | None, datetime.date | None]:
    """(the decision date, None when the revocation date is unusable; the revocation date)."""
    raw = cells.get("revoked_on")
    revoked_on = parse_date(raw) if raw else None
    if raw and revoked_on is None:
        checker.problem(row, "revoked_on", _("ngày “%(value)s” không đúng dạng YYYY-MM-DD hoặc DD/MM/YYYY.")
                        % {"value": excerpt(raw, 20)})
        return None, None
    if revoked_on and day and not day <= revoked_on <= timezone.localdate():
        checker.problem(row, "revoked_on", _("ngày thu hồi phải từ ngày ký quyết định đến hôm nay."))
        return None, revoked_on
    return day, revoked_on
