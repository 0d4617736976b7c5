"""Recognition decisions (công nhận) at commune, district and province level, and their revocation."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import permissions
from communes.models import Unit

from .. import facts, programmes
from ..models import Assessment, Criterion, Level, Programme, Recognition, Status
from .common import (
    DomainError,
    RecognitionRuleError,
    criteria_sets_for,
    history_reason,
    programme_error,
    require_unit_write,
    threshold_of,
)
from .uploads import upload_check

LEVEL_CAPABILITY = {
    Level.COMMUNE: "recognition.record_commune",
    Level.DISTRICT: "recognition.record_district",
    Level.PROVINCE: "recognition.record_province",
}


@dataclass
class ChainFacts:
    """What the recognition chain (§3, §7) reads about some units, loaded in a constant number of queries
    (the bulk import checks a whole file against one load; a service checks one decision).

    `qualifying`: (unit id, programme id, year) of the verified assessments meeting their set's threshold;
    `decisions`: (unit id, programme id, level) → (decision date, revoked on) of the decisions recorded —
    the import adds those accepted earlier in its file; `thresholds`: (programme id, year) → (needed,
    total) of the set in force, for the message.
    """

    qualifying: set[tuple[int, int, int]]
    decisions: dict[tuple[int, int, int], list[tuple[datetime.date, datetime.date | None]]]
    thresholds: dict[tuple[int, int], tuple[int, int]]

    @classmethod
    def load(cls, *, unit_ids: Iterable[int], programme_ids: Iterable[int], years: Iterable[int]) -> ChainFacts:
        """The facts about decisions of `years` for these units and programmes."""
        unit_ids, programme_ids, years = sorted(set(unit_ids)), sorted(set(programme_ids)), set(years)
        verified = list(Assessment.objects.filter(
            unit_id__in=unit_ids, criteria_set__programme_id__in=programme_ids, status=Status.VERIFIED,
            year__in={y for year in years for y in (year - 1, year)},
        ).values_list("unit_id", "criteria_set__programme_id", "year", "verified_met_count", "criteria_set_id",
                      "criteria_set__recognition_threshold"))
        in_force = criteria_sets_for(programme_ids, years)
        totals = dict(Criterion.objects.filter(
            criteria_set_id__in={row[4] for row in verified} | {s.id for s in in_force.values()}
        ).values("criteria_set_id").annotate(n=Count("id")).values_list("criteria_set_id", "n"))
        decisions = defaultdict(list)
        for unit_id, programme_id, level, decided, revoked in Recognition.objects.filter(
            unit_id__in=unit_ids, programme_id__in=programme_ids
        ).values_list("unit_id", "programme_id", "level", "decision_date", "revoked_on"):
            decisions[(unit_id, programme_id, level)].append((decided, revoked))
        return cls(
            qualifying={(unit_id, programme_id, year) for unit_id, programme_id, year, met, set_id, threshold
                        in verified if (met or 0) >= threshold_of(threshold, totals.get(set_id, 0))[0]},
            decisions=decisions,
            thresholds={key: threshold_of(s.recognition_threshold, totals.get(s.id, 0)) for key, s in in_force.items()},
        )

    def add_decision(self, *, unit_id: int, programme_id: int, level: int, decision_date: datetime.date,
                     revoked_on: datetime.date | None = None) -> None:
        self.decisions.setdefault((unit_id, programme_id, level), []).append((decision_date, revoked_on))

    def holds(self, *, unit_id: int, programme_id: int, level: int, day: datetime.date) -> bool:
        """A decision of that level in force on `day`: the reading of RecognitionQuerySet.held_on."""
        return any(decided <= day and (revoked is None or revoked > day)
                   for decided, revoked in self.decisions.get((unit_id, programme_id, level), ()))


def recognition_chain_problem(
    chain: ChainFacts, *, unit: Unit, level: int, decision_date: datetime.date, programme: Programme
) -> str | None:
    """THE §3/§7 rule a new recognition of `programme` would break, as a message, or None (no query)."""
    if level == Level.COMMUNE:
        years = (decision_date.year - 1, decision_date.year)
        if any((unit.id, programme.id, year) in chain.qualifying for year in years):
            return None
        needed, total = chain.thresholds.get((programme.id, decision_date.year), (16, 16))
        return _(
            "%(unit)s chưa có đánh giá đã thẩm định đạt %(needed)s/%(total)s tiêu chí năm %(prev)s hoặc năm %(year)s."
        ) % {"unit": unit, "needed": needed, "total": total, "prev": years[0], "year": years[1]}
    district = unit.district
    if level == Level.DISTRICT and (district is None or not district.in_force_on(decision_date)):
        # District-level government ended (1/7/2025): nobody can issue such a decision any more.
        if district is None:
            return _("%(unit)s không thuộc huyện nào nên không thể được công nhận cấp huyện.") % {"unit": unit}
        return _(
            "%(district)s đã hết hiệu lực từ ngày %(end)s nên không thể công nhận cấp huyện vào ngày %(date)s."
        ) % {"district": district, "end": district.valid_to.strftime("%d/%m/%Y"),
             "date": decision_date.strftime("%d/%m/%Y")}
    # The chain is commune → district → province; without a district, commune → province.
    lower = Level.COMMUNE if level == Level.DISTRICT or district is None else Level.DISTRICT
    if chain.holds(unit_id=unit.id, programme_id=programme.id, level=lower, day=decision_date):
        return None
    return _("%(unit)s chưa được công nhận %(lower)s vào hoặc trước ngày %(date)s.") % {
        "unit": unit,
        "lower": Level(lower).label.lower(),
        "date": decision_date.strftime("%d/%m/%Y"),
    }


def recognition_rule_problem(
    *, unit: Unit, level: int, decision_date: datetime.date, programme: Programme
) -> str | None:
    """The §3/§7 rule a new recognition of `programme` would break, as a message, or None."""
    chain = ChainFacts.load(unit_ids=[unit.id], programme_ids=[programme.id], years=[decision_date.year])
    return recognition_chain_problem(chain, unit=unit, level=level, decision_date=decision_date, programme=programme)


def recognition_programme(*, unit: Unit, decision_date: datetime.date, code: str | None = None) -> Programme:
    """The programme a recognition of `unit` on `decision_date` belongs to (§7: one place decides)."""
    try:
        return programmes.programme_for_unit(unit, decision_date.year, code, on=decision_date)
    except programmes.ProgrammeError as error:
        raise programme_error(error) from None


@transaction.atomic
def recognition_create(
    *,
    unit: Unit,
    level: int,
    decision_number: str,
    decision_date: datetime.date,
    issued_by: str,
    actor,
    scan=None,
    historical: bool = False,
    programme: str | None = None,
) -> Recognition:
    """Record a recognition decision. `historical=True` (administrators) records it despite a broken rule, flagged."""
    if level not in Level.values:
        raise DomainError(_("Cấp công nhận không hợp lệ."))
    permissions.require(actor, LEVEL_CAPABILITY[level])
    require_unit_write(actor, unit)
    decision_number = (decision_number or "").strip()
    issued_by = (issued_by or "").strip()
    if not decision_number or not issued_by:
        raise DomainError(_("Cần ghi số quyết định và cơ quan ban hành."))
    if decision_date > timezone.localdate():
        raise DomainError(_("Ngày ký quyết định không thể ở tương lai."))
    chosen = recognition_programme(unit=unit, decision_date=decision_date, code=programme)
    duplicate = _("Quyết định số %(number)s đã được ghi nhận cho đơn vị này.") % {"number": decision_number}
    # Serialise recordings for one unit so that a double submit finds the first one's row.
    Unit.objects.select_for_update().filter(pk=unit.pk).first()
    if Recognition.objects.filter(programme=chosen, unit=unit, level=level, decision_number=decision_number).exists():
        raise DomainError(duplicate)
    problem = recognition_rule_problem(unit=unit, level=level, decision_date=decision_date, programme=chosen)
    if problem and not historical:
        raise RecognitionRuleError(problem)
    if problem and historical:
        permissions.require(actor, "recognition.record_historical")
    recognition = Recognition(
        programme=chosen,
        unit=unit,
        level=level,
        decision_number=decision_number,
        decision_date=decision_date,
        issued_by=issued_by,
        rule_warning=problem or "",
        recorded_by=actor,
    )
    if scan is not None:
        recognition.scan_name, _content_type = upload_check(scan)
        recognition.scan.save(recognition.scan_name, scan, save=False)
    recognition._history_user = actor
    try:
        with transaction.atomic():
            recognition.save()
    except IntegrityError:
        raise DomainError(duplicate) from None
    facts.recognition_changed(recognition)
    return recognition


@transaction.atomic
def recognition_revoke(*, recognition: Recognition, actor, revoked_on: datetime.date, reason: str) -> Recognition:
    permissions.require(actor, LEVEL_CAPABILITY[recognition.level])
    require_unit_write(actor, recognition.unit)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Cần ghi lý do thu hồi."))
    recognition = Recognition.objects.select_for_update().get(pk=recognition.pk)
    if recognition.revoked_on:
        raise DomainError(_("Quyết định này đã bị thu hồi."))
    if revoked_on < recognition.decision_date:
        raise DomainError(_("Ngày thu hồi không thể trước ngày ký quyết định."))
    if revoked_on > timezone.localdate():
        raise DomainError(_("Ngày thu hồi không thể ở tương lai."))
    recognition.revoked_on = revoked_on
    recognition.revoke_reason = reason
    recognition._history_user = actor
    recognition._change_reason = history_reason(reason)
    recognition.save()
    facts.recognition_changed(recognition)
    return recognition
