"""An assessment, its results and evidence, and the reviewer's inbox, fetched through the user's scope."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from accounts import permissions
from communes.models import Unit

from .. import programmes
from ..models import (
    Assessment,
    CriterionResult,
    Evidence,
    Status,
)
from .deadlines import Timeliness, timeliness_of


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
