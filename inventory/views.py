"""The model inventory page, beside the assessment: a unit's counts for one year."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import permissions
from assessments.models import Assessment
from assessments.selectors import current_year
from assessments.services import DomainError, year_range

from . import selectors, services
from .forms import ModelCountForm
from .models import CountStatus


@login_required
@require_GET
def inventory_home(request):
    """The officer's own unit, this year."""
    permissions.require(request.user, "assessment.edit")
    return redirect("inventory:unit_year", unit_id=request.user.unit_id, year=current_year())


def _can_write(user, unit) -> bool:
    return (permissions.has_capability(user, "assessment.edit") or permissions.has_capability(
        user, "assessment.review")) and permissions.can_act_on_unit(user, unit)


@login_required
@require_http_methods(["GET", "POST"])
def unit_year(request, unit_id: int, year: int):
    user = request.user
    if request.method == "POST":
        unit = selectors.unit_for_user(user=user, unit_id=unit_id, write=True)
        if not _can_write(user, unit):
            raise PermissionDenied
    else:
        unit = selectors.unit_for_user(user=user, unit_id=unit_id)
    if year not in year_range():
        raise PermissionDenied
    rows = selectors.unit_year_rows(unit=unit, year=year)
    reviewer = permissions.has_capability(user, "assessment.review")
    locked = set() if reviewer else {t.id for t, c in rows if c is not None and c.status == CountStatus.VERIFIED}
    form = ModelCountForm(request.POST or None, rows=rows, locked=locked)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.model_counts_record(unit=unit, year=year, counts=form.counts(), actor=user)
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Đã lưu số lượng mô hình (%(n)s thay đổi).") % {"n": changed})
            return redirect("inventory:unit_year", unit_id=unit.id, year=year)
    writable = _can_write(user, unit)
    return render(request, "inventory/unit_year.html", {
        "unit": unit,
        "year": year,
        "rows": rows,
        "form": form if writable else None,
        "fields": [(t, c, form[f"t{t.id}"]) for t, c in rows],
        "can_verify": reviewer and writable and any(c is not None and c.status == CountStatus.SELF for _t, c in rows),
        "assessments": Assessment.objects.filter(unit=unit, year=year).order_by("id"),
        "years": list(reversed(year_range())),
        "Status": CountStatus,
    }, status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def unit_year_verify(request, unit_id: int, year: int):
    unit = selectors.unit_for_user(user=request.user, unit_id=unit_id, write=True)
    permissions.require(request.user, "assessment.review")
    try:
        n = services.model_counts_verify(unit=unit, year=year, actor=request.user)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Đã xác nhận %(n)s số lượng mô hình.") % {"n": n})
    return redirect("inventory:unit_year", unit_id=unit.id, year=year)
