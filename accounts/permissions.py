"""The one place that decides what a user may see and do (DESIGN §4).

Every queryset a view or service reads goes through `scoped()`; objects outside the
user's scope are then simply not found (404). Role checks (`require`) give 403.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from communes.models import District, Unit

from .models import Role

# What each role may do inside its scope.
CAPABILITIES: dict[str, frozenset[str]] = {
    Role.COMMUNE_OFFICER: frozenset({"assessment.edit", "reports.view_unit"}),
    Role.DISTRICT_REVIEWER: frozenset(
        {
            "assessment.review",
            "recognition.record_commune",
            "registration.manage",
            "data.import",
            "reports.view_unit",
            "reports.view_district",
        }
    ),
    Role.PROVINCE_VIEWER: frozenset(
        {
            "recognition.record_district",
            "recognition.record_province",
            "registration.manage",
            "data.import",
            "reports.view_unit",
            "reports.view_district",
            "reports.view_province",
        }
    ),
    Role.ADMIN: frozenset(
        {
            "assessment.review",
            "assessment.reopen",
            "recognition.record_commune",
            "recognition.record_district",
            "recognition.record_province",
            "recognition.record_historical",
            "registration.manage",
            "data.import",
            "reports.view_unit",
            "reports.view_district",
            "reports.view_province",
        }
    ),
}


def has_capability(user, capability: str) -> bool:
    if not (user and user.is_authenticated and user.is_active):
        return False
    return capability in CAPABILITIES.get(user.role, frozenset())


def require(user, capability: str) -> None:
    """Raise PermissionDenied (403) unless the user's role allows `capability`."""
    if not has_capability(user, capability):
        raise PermissionDenied


def scoped(queryset: QuerySet, user, *, unit_path: str = "unit") -> QuerySet:
    """Restrict `queryset` to rows whose unit (reached through `unit_path`) the user may see.

    `unit_path` is the lookup from the queryset's model to communes.Unit: "unit" for
    assessments, "assessment__unit" for results, "" for Unit itself, "district" style
    paths are not accepted — scoping is always by unit.
    """
    if not (user and user.is_authenticated and user.is_active):
        return queryset.none()
    prefix = f"{unit_path}__" if unit_path else ""
    if user.role in (Role.PROVINCE_VIEWER, Role.ADMIN):
        return queryset
    if user.role == Role.DISTRICT_REVIEWER and user.district_id:
        return queryset.filter(**{f"{prefix}district_id": user.district_id})
    if user.role == Role.COMMUNE_OFFICER and user.unit_id:
        return queryset.filter(**{f"{prefix}id": user.unit_id})
    return queryset.none()


def unit_list(*, user) -> QuerySet[Unit]:
    return scoped(Unit.objects.select_related("district"), user, unit_path="")


def district_list(*, user) -> QuerySet[District]:
    """Districts with at least one unit the user may see."""
    visible = unit_list(user=user).values("district_id")
    return District.objects.filter(id__in=visible)


def get_scoped_or_404(queryset: QuerySet, user, *, unit_path: str = "unit", **lookup):
    """Fetch one object inside the user's scope; anything else is a 404."""
    return get_object_or_404(scoped(queryset, user, unit_path=unit_path), **lookup)


def can_see_unit(user, unit: Unit) -> bool:
    return unit_list(user=user).filter(id=unit.id).exists()
