"""Recognition decisions (công nhận) at commune, district and province level, and their revocation."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import permissions
from communes.models import Unit

from .. import facts, programmes
from ..models import Assessment, Level, Programme, Recognition, Status
from .common import (
    DomainError,
    RecognitionRuleError,
    criteria_set_for,
    history_reason,
    programme_error,
    recognition_threshold,
    require_unit_write,
)
from .uploads import upload_check

LEVEL_CAPABILITY = {
    Level.COMMUNE: "recognition.record_commune",
    Level.DISTRICT: "recognition.record_district",
    Level.PROVINCE: "recognition.record_province",
}


def recognition_rule_problem(
    *, unit: Unit, level: int, decision_date: datetime.date, programme: Programme
) -> str | None:
    """The §3/§7 rule a new recognition of `programme` would break, as a message, or None."""
    if level == Level.COMMUNE:
        years = (decision_date.year - 1, decision_date.year)
        for assessment in Assessment.objects.filter(
            unit=unit, year__in=years, status=Status.VERIFIED, criteria_set__programme=programme
        ).select_related("criteria_set"):
            needed, _total = recognition_threshold(assessment.criteria_set)
            if (assessment.verified_met_count or 0) >= needed:
                return None
        try:
            needed, total = recognition_threshold(criteria_set_for(programme, decision_date.year))
        except DomainError:
            needed = total = 16
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
    if level == Level.DISTRICT or district is None:
        lower = Level.COMMUNE
    else:
        lower = Level.DISTRICT
    held = Recognition.objects.held_on(decision_date).filter(unit=unit, programme=programme, level=lower)
    if held.exists():
        return None
    return _("%(unit)s chưa được công nhận %(lower)s vào hoặc trước ngày %(date)s.") % {
        "unit": unit,
        "lower": Level(lower).label.lower(),
        "date": decision_date.strftime("%d/%m/%Y"),
    }


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
