"""What every service shares: the domain errors, the accepted years, the criteria set in force,
the cached met counts, and the optimistic lock of an assessment."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import permissions

from ..models import MAX_YEAR, MIN_YEAR, Assessment, CriteriaSet, Programme, Result, Status, Transition
from ..programmes import ProgrammeError


class DomainError(Exception):
    """A rule was broken; the message is shown to the user as is."""


class StaleAssessmentError(DomainError):
    """The form was built from an older version of the assessment."""


class RecognitionRuleError(DomainError):
    pass


def year_range() -> range:
    """Years the portal accepts for new data: the programme start .. next year."""
    return range(2021, timezone.localdate().year + 2)


def check_year(year: int) -> None:
    if year not in year_range() or not (MIN_YEAR <= year <= MAX_YEAR):
        raise DomainError(
            _("Năm %(year)s nằm ngoài khoảng cho phép (%(first)s–%(last)s).")
            % {"year": year, "first": year_range()[0], "last": year_range()[-1]}
        )


def programme_error(error: ProgrammeError) -> DomainError:
    return DomainError(str(error))


def criteria_sets_for(programme_ids: Iterable[int], years: Iterable[int]) -> dict[tuple[int, int], CriteriaSet]:
    """THE rule, for many programmes and years: (programme id, year) → the newest published set in force
    that year (pairs without one are left out). One query per distinct year."""
    ids = sorted(set(programme_ids))
    found: dict[tuple[int, int], CriteriaSet] = {}
    for year in sorted(set(years)):
        for criteria_set in CriteriaSet.objects.in_force(year).filter(programme_id__in=ids).order_by("-version"):
            found.setdefault((criteria_set.programme_id, year), criteria_set)
    return found


def criteria_set_for(programme: Programme, year: int) -> CriteriaSet:
    criteria_set = criteria_sets_for([programme.id], [year]).get((programme.id, year))
    if criteria_set is None:
        raise DomainError(
            _("Chưa có bộ tiêu chí của chương trình “%(programme)s” áp dụng cho năm %(year)s.")
            % {"programme": programme, "year": year}
        )
    return criteria_set


def recognition_threshold(criteria_set: CriteriaSet) -> tuple[int, int]:
    """(criteria needed, criteria in the set)."""
    return threshold_of(criteria_set.recognition_threshold, criteria_set.criteria.count())


def threshold_of(recognition_threshold: int | None, total: int) -> tuple[int, int]:
    """(criteria needed, criteria in the set) of a set with that threshold and `total` criteria: all by default."""
    return (recognition_threshold or total), total


def refresh_met_counts(assessment: Assessment) -> None:
    """Recompute the cached met counts from the results (one query)."""
    counts = assessment.results.aggregate(
        self_met=Count("id", filter=Q(self_result=Result.MET)),
        verified_met=Count("id", filter=Q(verified_result=Result.MET)),
    )
    assessment.self_met_count = counts["self_met"]
    if assessment.status == Status.VERIFIED:
        assessment.verified_met_count = counts["verified_met"]
    else:
        assessment.verified_met_count = None


def require_unit_write(actor, unit) -> None:
    """The actor may change this unit's data (an officer: their own unit, not its predecessors)."""
    if not permissions.can_act_on_unit(actor, unit):
        raise DomainError(_("Bạn không có quyền với đơn vị này."))


def lock(assessment: Assessment, version: int | None, actor) -> Assessment:
    """Re-read the row under a lock, check the actor's scope and compare versions (optimistic locking)."""
    locked = Assessment.objects.select_for_update().select_related("unit").get(pk=assessment.pk)
    require_unit_write(actor, locked.unit)
    if version is not None and int(version) != locked.version:
        raise StaleAssessmentError(
            _(
                "Đánh giá này vừa được người khác thay đổi. Nội dung bạn nhập vẫn được giữ lại bên dưới; "
                "hãy xem lại bản mới nhất rồi lưu lại."
            )
        )
    return locked


def move(assessment: Assessment, *, to: str, actor, reason: str = "") -> None:
    Transition.objects.create(
        assessment=assessment, from_status=assessment.status, to_status=to, actor=actor, reason=reason
    )
    assessment.status = to


def history_reason(text: str) -> str | None:
    """The change reason simple-history keeps, in its 100-character column; the whole text stays where people
    read it (Transition.reason, return_reason, revoke_reason). A longer one was a 500 on PostgreSQL."""
    text = " ".join((text or "").split())
    return (text if len(text) <= 100 else text[:99] + "…") or None


def save(assessment: Assessment, *, actor, reason: str = "") -> None:
    assessment.version += 1
    assessment._history_user = actor
    assessment._change_reason = history_reason(reason)
    assessment.save()
