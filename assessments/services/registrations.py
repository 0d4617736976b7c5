"""Pilot registrations (đăng ký xây dựng điểm) of a programme."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts import permissions
from communes.models import Unit

from .. import facts, programmes
from ..models import Registration
from .common import DomainError, check_year, programme_error, require_unit_write


@transaction.atomic
def registration_create(
    *, unit: Unit, year: int, actor, note: str = "", programme: str | None = None
) -> Registration:
    permissions.require(actor, "registration.manage")
    require_unit_write(actor, unit)
    check_year(year)
    try:
        chosen = programmes.programme_for_unit(unit, year, programme)
    except programmes.ProgrammeError as error:
        raise programme_error(error) from None
    try:
        with transaction.atomic():
            registration, created = Registration.objects.get_or_create(
                programme=chosen, unit=unit, year=year, defaults={"note": note, "created_by": actor}
            )
    except IntegrityError:  # a double submit: the other request recorded it
        created = False
    if not created:
        raise DomainError(_("%(unit)s đã đăng ký xây dựng điểm năm %(year)s.") % {"unit": unit, "year": year})
    facts.registration_changed(registration)
    return registration


@transaction.atomic
def registration_delete(*, registration: Registration, actor) -> None:
    permissions.require(actor, "registration.manage")
    require_unit_write(actor, registration.unit)
    registration._history_user = actor
    registration.delete()
    facts.registration_changed(registration)
