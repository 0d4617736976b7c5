"""Criteria compliance and the unit × criterion matrix."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from accounts import permissions

from .. import selectors
from ..fragments import fragment_key, lazy
from .common import _context, _district_or_404, _programme


@login_required
def criteria(request):
    """Criteria compliance (weakest first) and the unit × criterion matrix, for a district or the province."""
    user = request.user
    district = None
    code = request.GET.get("district")
    if not code and not permissions.has_capability(user, "reports.view_province") and user.district_id:
        code = user.district.code
    if code:
        district = _district_or_404(request, code)
        permissions.require(user, "reports.view_district")
    else:
        permissions.require(user, "reports.view_province")
    programme = _programme(request)
    ctx = _context(request, programme)
    matrix = lazy(lambda: selectors.matrix(year=ctx["year"], programme=programme, figures=ctx["figures"],
                                           district=district))
    ctx.update(
        district=district,
        district_param=[("district", district.code)] if district else [],
        matrix=matrix,
        weakest=lazy(lambda: selectors.weakest_first([dict(c) for c in matrix.criteria])),
        can_province=permissions.has_capability(user, "reports.view_province"),
        fragment=fragment_key(request, "criteria", programme, ctx["year"], ctx["figures"],
                              district.code if district else ""),
    )
    return render(request, "reports/criteria.html", ctx)
