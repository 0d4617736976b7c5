"""Results decided outside the web forms: an import file, a paper dossier, the demo data."""

from __future__ import annotations

from collections.abc import Mapping

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from communes.models import Unit

from .. import facts, programmes
from ..models import Assessment, CriteriaSet, CriterionResult, Programme, Recognition, Result, Status
from .common import DomainError, check_year, criteria_set_for, move, programme_error, refresh_met_counts, save


@transaction.atomic
def assessment_record(
    *,
    unit: Unit,
    year: int,
    stage: str,
    results: Mapping[int, str],
    actor,
    reason: str,
    criteria_set: CriteriaSet | None = None,
    programme: Programme | None = None,
    returned: bool = False,
) -> Assessment:
    """Record results decided outside the web forms (an import file, a paper dossier).

    `stage` "self" gives a submitted assessment, "verified" a verified one; `results` maps
    criterion number → Result value. A verified assessment is never changed this way.
    The caller is responsible for scope and role checks (data_exchange checks every row).
    """
    if stage not in ("self", "verified"):
        raise DomainError(_("Giai đoạn “%(stage)s” không hợp lệ.") % {"stage": stage})
    check_year(year)
    if criteria_set is None:
        criteria_set = _record_criteria_set(unit, year, programme)
    if not unit.in_force_on(programmes.year_end(year)):
        raise DomainError(
            _("%(unit)s không còn hiệu lực vào ngày 31/12/%(year)s nên không có đánh giá năm %(year)s.")
            % {"unit": unit, "year": year}
        )
    assessment = _recordable_assessment(unit, year, criteria_set)
    if assessment is None:
        assessment = _record_new(unit, year, criteria_set, results, stage, actor, reason)
    elif assessment.criteria_set_id != criteria_set.id:
        raise DomainError(_("Đánh giá năm %(year)s của %(unit)s dùng bộ tiêu chí khác.") % {"year": year, "unit": unit})
    else:
        _record_changes(assessment, results, stage, actor, reason)
    _record_status(assessment, stage, actor, reason)
    if returned and stage == "self":
        assessment_mark_returned(assessment=assessment, actor=actor, reason=reason)
    return assessment


def _record_criteria_set(unit: Unit, year: int, programme: Programme | None) -> CriteriaSet:
    """The criteria set of the unit's programme (or the one named) for the year."""
    if programme is None:
        try:
            programme = programmes.programme_for_unit(unit, year)
        except programmes.ProgrammeError as error:
            raise programme_error(error) from None
    return criteria_set_for(programme, year)


def _recordable_assessment(unit: Unit, year: int, criteria_set: CriteriaSet) -> Assessment | None:
    """The unit's assessment of the year in the set's programme, locked; a verified one is never changed."""
    assessment = (
        Assessment.objects.select_for_update()
        .filter(unit=unit, year=year, criteria_set__programme=criteria_set.programme)
        .first()
    )
    if assessment is not None and assessment.status == Status.VERIFIED:
        raise DomainError(_("Đánh giá năm %(year)s của %(unit)s đã được thẩm định, không thể thay đổi.") % {
            "year": year, "unit": unit})
    return assessment


def _apply_result(result: CriterionResult, results: Mapping[int, str], stage: str) -> None:
    """Write the recorded answer into a criterion's result: the self answer, or the verified one (met or
    not met), which also stands for a self answer never given."""
    value = results.get(result.criterion.number, Result.NOT_YET)
    if stage == "self":
        result.self_result = value
    else:
        if value not in (Result.MET, Result.NOT_MET):
            raise DomainError(_("Kết quả thẩm định phải là Đạt hoặc Chưa đạt."))
        result.verified_result = value
        if result.self_result == Result.NOT_YET:
            result.self_result = value


def _record_new(unit: Unit, year: int, criteria_set: CriteriaSet, results: Mapping[int, str], stage: str,
                actor, reason: str) -> Assessment:
    assessment = Assessment(unit=unit, year=year, criteria_set=criteria_set)
    assessment._history_user = actor
    assessment._change_reason = reason
    assessment.save()
    new_results = [CriterionResult(assessment=assessment, criterion=c) for c in criteria_set.criteria.all()]
    for result in new_results:
        _apply_result(result, results, stage)
    bulk_create_with_history(
        new_results, CriterionResult, default_user=actor, default_change_reason=reason
    )
    return assessment


def _record_changes(assessment: Assessment, results: Mapping[int, str], stage: str, actor, reason: str) -> None:
    """Save only the results whose answers change, each with its history record."""
    for result in assessment.results.select_related("criterion"):
        before = (result.self_result, result.verified_result)
        _apply_result(result, results, stage)
        if (result.self_result, result.verified_result) != before:
            result._history_user = actor
            result._change_reason = reason
            result.save()


def _record_status(assessment: Assessment, stage: str, actor, reason: str) -> None:
    """Submitted or verified as the stage says, with the dates and counts that go with it."""
    target = Status.VERIFIED if stage == "verified" else Status.SUBMITTED
    if assessment.status != target:
        move(assessment, to=target, actor=actor, reason=reason)
    now = timezone.now()
    assessment.submitted_at = assessment.submitted_at or now
    if target == Status.VERIFIED:
        assessment.verified_at = now
        assessment.verified_by = actor
    refresh_met_counts(assessment)
    save(assessment, actor=actor, reason=reason)
    facts.assessment_changed(assessment)


@transaction.atomic
def assessment_mark_returned(*, assessment: Assessment, actor, reason: str) -> Assessment:
    """A recorded submitted assessment that was returned (a backup being restored)."""
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.status != Status.SUBMITTED:
        raise DomainError(_("Chỉ trả lại được đánh giá đã gửi lên."))
    move(assessment, to=Status.RETURNED, actor=actor, reason=reason)
    assessment.return_reason = reason
    save(assessment, actor=actor, reason=reason)
    facts.assessment_changed(assessment)
    return assessment


@transaction.atomic
def recognition_record_revocation(*, recognition: Recognition, revoked_on, actor, reason: str) -> Recognition:
    """A revocation decided outside the portal (a backup being restored); the caller checked scope."""
    recognition = Recognition.objects.select_for_update().get(pk=recognition.pk)
    if recognition.revoked_on:
        raise DomainError(_("Quyết định này đã bị thu hồi."))
    if revoked_on < recognition.decision_date:
        raise DomainError(_("Ngày thu hồi không thể trước ngày ký quyết định."))
    recognition.revoked_on, recognition.revoke_reason = revoked_on, reason
    recognition._history_user = actor
    recognition._change_reason = reason
    recognition.save()
    facts.recognition_changed(recognition)
    return recognition
