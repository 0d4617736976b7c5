"""Reads of the model inventory, scoped to a user."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from accounts import permissions
from communes.models import Unit

from .models import ModelCount, ModelType


def model_type_list():
    return ModelType.objects.order_by("sort_order", "code")


def unit_for_user(*, user, unit_id: int, write: bool = False) -> Unit:
    """A unit the user may see (write=True: may change); anything else is a 404."""
    return get_object_or_404(permissions.unit_list(user=user, write=write), id=unit_id)


def unit_year_rows(*, unit: Unit, year: int) -> list[tuple[ModelType, ModelCount | None]]:
    """Every model type with the unit's count of the year (two queries)."""
    counts = {c.model_type_id: c for c in ModelCount.objects.filter(unit=unit, year=year)
              .select_related("verified_by", "recorded_by")}
    return [(t, counts.get(t.id)) for t in model_type_list()]


def model_count_export(*, user=None, year: int | None = None) -> tuple[list[str], list[list]]:
    """The import format (DESIGN §5) with the optional `status` column, so a backup keeps verification."""
    counts = ModelCount.objects.all()
    if user is not None:
        counts = permissions.scoped(counts, user)
    if year is not None:
        counts = counts.filter(year=year)
    rows = [
        [str(code), str(y), model_code, str(count), status]
        for code, y, model_code, count, status in counts.order_by("year", "unit__code", "model_type__sort_order",
                                                                  "model_type__code")
        .values_list("unit__code", "year", "model_type__code", "count", "status")
    ]
    return ["commune_code", "year", "model_code", "count", "status"], rows
