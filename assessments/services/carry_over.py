"""Start from last year: a new draft prefilled with the unit's answers and notes of the year before
(same programme; evidence files are not copied), each marked as needing the officer's confirmation."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from accounts import permissions

from ..models import Assessment, CriterionResult, Result, Status
from .common import DomainError, lock, refresh_met_counts, save


def previous_year_assessment(assessment: Assessment) -> Assessment | None:
    """The same unit's assessment of the year before, in the same programme."""
    return (
        Assessment.objects.filter(
            unit_id=assessment.unit_id, year=assessment.year - 1,
            criteria_set__programme_id=assessment.criteria_set.programme_id,
        )
        .order_by("-criteria_set__version")
        .first()
    )


def _untouched(assessment: Assessment) -> bool:
    return not assessment.results.exclude(self_result=Result.NOT_YET, note="").exists()


def can_prefill_from_previous_year(assessment: Assessment) -> bool:
    return (
        assessment.status == Status.DRAFT and _untouched(assessment)
        and previous_year_assessment(assessment) is not None
    )


@transaction.atomic
def assessment_prefill_from_previous_year(*, assessment: Assessment, actor, version: int) -> int:
    """Copy last year's result (the verified one when there is one) and note of each criterion, matched by
    number, into an untouched draft; return how many criteria were filled. Files are not copied."""
    permissions.require(actor, "assessment.edit")
    assessment = lock(assessment, version, actor)
    if assessment.status != Status.DRAFT or not _untouched(assessment):
        raise DomainError(_("Chỉ lấy được kết quả năm trước cho bản nháp mới, chưa nhập gì."))
    previous = previous_year_assessment(assessment)
    if previous is None:
        raise DomainError(
            _("Không có đánh giá năm %(year)s của đơn vị để lấy lại.") % {"year": assessment.year - 1}
        )
    last_year = {r.criterion.number: r for r in previous.results.select_related("criterion")}
    filled = 0
    for result in assessment.results.select_related("criterion"):
        old: CriterionResult | None = last_year.get(result.criterion.number)
        if old is None:
            continue
        result.self_result = old.verified_result or old.self_result
        result.note = old.note
        result.from_previous_year = True
        result._history_user = actor
        result.save()
        filled += 1
    refresh_met_counts(assessment)
    save(assessment, actor=actor, reason=_("Lấy kết quả năm %(year)s") % {"year": previous.year})
    return filled


@transaction.atomic
def assessment_confirm_criteria(*, assessment: Assessment, actor, criterion_ids) -> int:
    """The officer confirmed (or changed) these prefilled criteria: they are no longer marked."""
    permissions.require(actor, "assessment.edit")
    if not permissions.can_act_on_unit(actor, assessment.unit):
        raise DomainError(_("Bạn không có quyền với đơn vị này."))
    return CriterionResult.objects.filter(
        assessment=assessment, criterion_id__in=list(criterion_ids), from_previous_year=True
    ).update(from_previous_year=False)
