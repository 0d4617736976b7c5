"""The assessment workflow: starting and filling in an assessment, and the steps between its statuses (thin
wrappers of transitions.py, where the allowed steps are one table)."""

from __future__ import annotations

from collections.abc import Mapping

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from accounts import permissions
from communes.models import Unit

from .. import facts, programmes
from ..models import Assessment, CriteriaSet, CriterionResult, Result, Status, Transition
from .common import (
    DomainError,
    check_year,
    criteria_set_for,
    lock,
    programme_error,
    refresh_met_counts,
    require_unit_write,
    save,
)
from .transitions import REOPEN, RETURN, SUBMIT, VERIFY, assessment_transition


def assessment_get_or_create(*, unit: Unit, year: int, actor, programme: str | None = None) -> Assessment:
    """The unit's assessment for `year` in its programme (or the one named by code), with one result
    per criterion of the set in force. Idempotent: a second call (a double click) returns the same one.
    """
    permissions.require(actor, "assessment.edit")
    require_unit_write(actor, unit)
    check_year(year)
    try:
        chosen = programmes.programme_for_unit(unit, year, programme)
    except programmes.ProgrammeError as error:
        raise programme_error(error) from None
    if not programmes.window_opened(chosen, year, timezone.localdate()):
        raise DomainError(
            _("Kỳ đánh giá năm %(year)s bắt đầu từ ngày %(start)s; chưa thể bắt đầu tự đánh giá.")
            % {"year": year, "start": programmes.window_start(chosen, year).strftime("%d/%m/%Y")}
        )
    criteria_set = criteria_set_for(chosen, year)
    existing = Assessment.objects.filter(unit=unit, year=year, criteria_set__programme=chosen).first()
    if existing is not None:
        return existing
    try:
        return _assessment_create(unit=unit, year=year, criteria_set=criteria_set, actor=actor)
    except IntegrityError:
        # Another request created it between our read and our write.
        existing = Assessment.objects.filter(unit=unit, year=year, criteria_set__programme=chosen).first()
        if existing is None:
            raise
        return existing


@transaction.atomic
def _assessment_create(*, unit: Unit, year: int, criteria_set: CriteriaSet, actor) -> Assessment:
    # Serialise concurrent starts for one unit: the second waits, then finds the first one's row.
    Unit.objects.select_for_update().filter(pk=unit.pk).first()
    existing = Assessment.objects.filter(unit=unit, year=year, criteria_set__programme=criteria_set.programme).first()
    if existing is not None:
        return existing
    assessment = Assessment(unit=unit, year=year, criteria_set=criteria_set)
    assessment._history_user = actor
    assessment.save()
    # With history, so that the timeline can show each answer's first change from "not yet".
    bulk_create_with_history(
        [CriterionResult(assessment=assessment, criterion=criterion) for criterion in criteria_set.criteria.all()],
        CriterionResult, default_user=actor,
    )
    Transition.objects.create(assessment=assessment, from_status="", to_status=Status.DRAFT, actor=actor)
    facts.assessment_changed(assessment)  # completeness: not started → draft
    return assessment


def _results_by_criterion(assessment: Assessment, values: Mapping[int, Mapping[str, str]]):
    results = {r.criterion_id: r for r in assessment.results.select_related("criterion")}
    unknown = set(values) - set(results)
    if unknown:
        raise DomainError(_("Dữ liệu gửi lên có tiêu chí không thuộc bộ tiêu chí của đánh giá này."))
    return results


@transaction.atomic
def assessment_save_self(
    *, assessment: Assessment, actor, version: int, values: Mapping[int, Mapping[str, str]]
) -> Assessment:
    """Save the commune's self-assessment. `values`: criterion id → {"self_result", "note"}."""
    permissions.require(actor, "assessment.edit")
    assessment = lock(assessment, version, actor)
    if assessment.status not in (Status.DRAFT, Status.RETURNED):
        raise DomainError(_("Đánh giá ở trạng thái “%(status)s” không thể sửa.") % {"status": assessment.get_status_display()})
    results = _results_by_criterion(assessment, values)
    for criterion_id, data in values.items():
        result = results[criterion_id]
        new_result = data.get("self_result", result.self_result) or Result.NOT_YET
        if new_result not in Result.values:
            raise DomainError(_("Kết quả “%(value)s” không hợp lệ.") % {"value": new_result})
        new_note = data.get("note", result.note)
        if (new_result, new_note) != (result.self_result, result.note):
            result.self_result, result.note = new_result, new_note
            result._history_user = actor
            result.save()
    refresh_met_counts(assessment)
    save(assessment, actor=actor)
    if assessment.status == Status.RETURNED:
        # Preliminary figures read a returned assessment's answers; a draft's autosave changes no figure.
        facts.assessment_changed(assessment, force=True)
    return assessment


@transaction.atomic
def assessment_submit(*, assessment: Assessment, actor, version: int | None = None) -> Assessment:
    return assessment_transition(assessment=assessment, actor=actor, action=SUBMIT, version=version)


@transaction.atomic
def assessment_save_review(
    *, assessment: Assessment, actor, version: int, values: Mapping[int, Mapping[str, str]]
) -> Assessment:
    """Save the district's verification. `values`: criterion id → {"verified_result", "reviewer_comment"}."""
    permissions.require(actor, "assessment.review")
    assessment = lock(assessment, version, actor)
    if assessment.status != Status.SUBMITTED:
        raise DomainError(_("Chỉ thẩm định được đánh giá đã gửi lên."))
    results = _results_by_criterion(assessment, values)
    for criterion_id, data in values.items():
        result = results[criterion_id]
        new_result = data.get("verified_result", result.verified_result) or ""
        if new_result and new_result not in (Result.MET, Result.NOT_MET):
            raise DomainError(_("Kết quả thẩm định chỉ có thể là Đạt hoặc Chưa đạt."))
        new_comment = data.get("reviewer_comment", result.reviewer_comment)
        if (new_result, new_comment) != (result.verified_result, result.reviewer_comment):
            result.verified_result, result.reviewer_comment = new_result, new_comment
            result._history_user = actor
            result.save()
    save(assessment, actor=actor)
    return assessment


@transaction.atomic
def assessment_return(*, assessment: Assessment, actor, reason: str, version: int | None = None) -> Assessment:
    return assessment_transition(assessment=assessment, actor=actor, action=RETURN, reason=reason, version=version)


@transaction.atomic
def assessment_verify(*, assessment: Assessment, actor, version: int | None = None) -> Assessment:
    return assessment_transition(assessment=assessment, actor=actor, action=VERIFY, version=version)


@transaction.atomic
def assessment_reopen(*, assessment: Assessment, actor, reason: str, version: int | None = None) -> Assessment:
    """Administrators only: unlock a verified assessment back to 'submitted' for review."""
    return assessment_transition(assessment=assessment, actor=actor, action=REOPEN, reason=reason, version=version)
