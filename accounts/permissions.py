"""The one place that decides what a user may see and do (DESIGN §4).

Every queryset a view or service reads goes through `scoped()`; objects outside the
user's scope are then simply not found (404). Role checks (`require`) give 403.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from communes.lineage import predecessor_ids, province_family_ids
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
    # Read-only, everything: every province's programmes (issue 13).
    Role.NATIONAL_VIEWER: frozenset(
        {"reports.view_unit", "reports.view_district", "reports.view_province", "reports.view_national"}
    ),
    Role.ADMIN: frozenset(
        {
            "reports.view_national",
            "criteria.manage",
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


def _unit_filter(user, *, write: bool) -> dict | None:
    """The unit lookup (relative to Unit) a user's scope allows; None means everything."""
    if user.role in (Role.ADMIN, Role.NATIONAL_VIEWER):
        return None
    if user.role == Role.PROVINCE_VIEWER and user.province_id:
        # A province and its predecessors (Phú Thọ's viewers see Hoà Bình's history), never another.
        return {"province_id__in": sorted(_family(user, user.province_id))}
    if user.role == Role.DISTRICT_REVIEWER and user.district_id:
        return {"district_id": user.district_id}
    if user.role == Role.DISTRICT_REVIEWER and user.province_id:
        # Units without a district (created after 1/7/2025) are reviewed at the province.
        return {"province_id": user.province_id, "district__isnull": True}
    if user.role == Role.COMMUNE_OFFICER and user.unit_id:
        if write:
            return {"id": user.unit_id}
        # An officer reads the history of the units their unit came from, never changes it.
        return {"id__in": sorted(lineage_ids(user, user.unit_id))}
    return {"pk__in": []}


def scoped(queryset: QuerySet, user, *, unit_path: str = "unit", write: bool = False) -> QuerySet:
    """Restrict `queryset` to rows whose unit (reached through `unit_path`) the user may see.

    `unit_path` is the lookup from the queryset's model to communes.Unit: "unit" for
    assessments, "assessment__unit" for results, "" for Unit itself — scoping is always by unit.
    `write=True` narrows to the units the user may change (an officer's own unit only).
    """
    if not (user and user.is_authenticated and user.is_active):
        return queryset.none()
    lookup = _unit_filter(user, write=write)
    if lookup is None:
        return queryset
    if lookup == {"pk__in": []}:
        return queryset.none()
    prefix = f"{unit_path}__" if unit_path else ""
    return queryset.filter(**{f"{prefix}{key}": value for key, value in lookup.items()})


def unit_list(*, user, write: bool = False) -> QuerySet[Unit]:
    return scoped(Unit.objects.select_related("district", "province"), user, unit_path="", write=write)


def district_list(*, user) -> QuerySet[District]:
    """Districts with at least one unit the user may see."""
    visible = unit_list(user=user).exclude(district__isnull=True).values("district_id")
    return District.objects.filter(id__in=visible)


def get_scoped_or_404(queryset: QuerySet, user, *, unit_path: str = "unit", **lookup):
    """Fetch one object inside the user's scope; anything else is a 404."""
    return get_object_or_404(scoped(queryset, user, unit_path=unit_path), **lookup)


def can_see_unit(user, unit: Unit) -> bool:
    return unit_list(user=user).filter(id=unit.id).exists()


def can_act_on_unit(user, unit: Unit) -> bool:
    """May the user change this unit's data (not only read it)?"""
    return unit_list(user=user, write=True).filter(id=unit.id).exists()


def _home_province_id(user) -> int | None:
    if user.role == Role.COMMUNE_OFFICER and user.unit_id:
        return user.unit.province_id
    if user.role == Role.DISTRICT_REVIEWER and user.district_id:
        return user.district.province_id
    return user.province_id


def can_see_programme(user, programme) -> bool:
    """A programme is visible to those whose province is its territory's, or its territory's successor."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    if user.role in (Role.ADMIN, Role.NATIONAL_VIEWER):
        return True
    if programme.territory_province_id is None:
        return False
    return programme.territory_province_id in _home_family(user)


def lineage_ids(user, unit_id: int) -> set[int]:
    """A unit and every unit that went into it (its history across the reform), once per user object."""
    cache = user.__dict__.setdefault("_portal_lineages", {})
    if unit_id not in cache:
        cache[unit_id] = {unit_id} | predecessor_ids([unit_id])
    return cache[unit_id]


def _family(user, province_id: int) -> set[int]:
    """A province and its predecessors, read once per user object (one query per request, not per lookup)."""
    cache = user.__dict__.setdefault("_portal_families", {})
    if province_id not in cache:
        cache[province_id] = province_family_ids(province_id)
    return cache[province_id]


def _home_family(user) -> set[int]:
    """The user's province and its predecessors, read once per request (a page lists every programme)."""
    home = _home_province_id(user)
    return set() if home is None else _family(user, home)
