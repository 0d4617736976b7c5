"""Criteria sets: a copy is a draft; publishing it puts it in force for its years (one set per year)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max, Q
from django.utils.translation import gettext as _

from accounts import permissions

from ..models import CriteriaSet, Criterion
from .common import DomainError


def criteria_set_in_use(criteria_set: CriteriaSet | None) -> bool:
    return criteria_set is not None and criteria_set.pk is not None and criteria_set.assessments.exists()


@transaction.atomic
def criteria_set_copy(*, criteria_set: CriteriaSet, actor) -> CriteriaSet:
    """A new version with the same criteria, as a draft: nobody assesses against it until it is published."""
    permissions.require(actor, "criteria.manage")
    top = CriteriaSet.objects.select_for_update().filter(programme=criteria_set.programme).aggregate(
        v=Max("version"))["v"]
    copy = CriteriaSet(
        programme=criteria_set.programme, name=criteria_set.name, version=(top or 0) + 1,
        valid_from_year=criteria_set.valid_from_year, valid_to_year=criteria_set.valid_to_year,
        source_document=criteria_set.source_document, recognition_threshold=criteria_set.recognition_threshold,
        published=False,
    )
    copy._history_user = actor
    copy.save()
    Criterion.objects.bulk_create(
        Criterion(criteria_set=copy, number=c.number, title=c.title, wording=c.wording,
                  evidence_guidance=c.evidence_guidance)
        for c in criteria_set.criteria.all()
    )
    return copy


@transaction.atomic
def criteria_set_publish(*, criteria_set: CriteriaSet, actor) -> list[CriteriaSet]:
    """Put a draft in force from its first year. A published set of the programme that started earlier
    ends the year before (it is closed, not rewritten); one that would overlap otherwise is an error.
    Returns the sets whose years were closed."""
    permissions.require(actor, "criteria.manage")
    criteria_set = CriteriaSet.objects.select_for_update().get(pk=criteria_set.pk)
    if criteria_set.published:
        raise DomainError(_("Bộ tiêu chí này đã được công bố."))
    numbers = sorted(criteria_set.criteria.values_list("number", flat=True))
    if not numbers or numbers != list(range(1, len(numbers) + 1)):
        raise DomainError(_("Bộ tiêu chí cần có tiêu chí đánh số liên tục từ 1 trước khi công bố."))
    threshold = criteria_set.recognition_threshold
    if threshold is not None and threshold > len(numbers):
        raise DomainError(_("Số tiêu chí cần đạt (%(n)s) lớn hơn số tiêu chí của bộ (%(total)s).")
                          % {"n": threshold, "total": len(numbers)})
    start, end = criteria_set.valid_from_year, criteria_set.valid_to_year
    overlapping = CriteriaSet.objects.select_for_update().filter(
        programme=criteria_set.programme, published=True
    ).filter(Q(valid_to_year__isnull=True) | Q(valid_to_year__gte=start))
    if end is not None:
        overlapping = overlapping.filter(valid_from_year__lte=end)
    closed = []
    for other in overlapping:
        if other.valid_from_year >= start or (end is not None and (other.valid_to_year is None
                                                                   or other.valid_to_year > end)):
            raise DomainError(
                _("Năm áp dụng %(years)s trùng với bộ tiêu chí “%(other)s” (từ năm %(from)s): mỗi năm chỉ có một "
                  "bộ tiêu chí có hiệu lực. Hãy sửa năm áp dụng của bản nháp.")
                % {"years": f"{start}–{end or '…'}", "other": other, "from": other.valid_from_year}
            )
        other.valid_to_year = start - 1
        other._history_user = actor
        other._change_reason = _("Kết thúc khi công bố %(new)s") % {"new": criteria_set}
        other.save(update_fields=["valid_to_year"])
        closed.append(other)
    criteria_set.published = True
    criteria_set._history_user = actor
    criteria_set.save(update_fields=["published"])
    return closed
