"""Recognition decisions and registrations, scoped to the user."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts import permissions

from ..models import (
    Recognition,
    Registration,
)


def recognition_list(*, user) -> QuerySet[Recognition]:
    qs = Recognition.objects.select_related("unit", "unit__district", "recorded_by")
    return permissions.scoped(qs, user).order_by("-decision_date", "unit__code")


def recognition_get(*, user, pk: int) -> Recognition:
    return permissions.get_scoped_or_404(Recognition.objects.select_related("unit"), user, pk=pk)


def registration_list(*, user) -> QuerySet[Registration]:
    qs = Registration.objects.select_related("unit", "unit__district", "created_by")
    return permissions.scoped(qs, user).order_by("-year", "unit__district__code", "unit__code")


def registration_get(*, user, pk: int) -> Registration:
    return permissions.get_scoped_or_404(Registration.objects.select_related("unit"), user, pk=pk)
