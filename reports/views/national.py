"""The national view: every province's programmes at a glance, and its JSON and Excel."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseBadRequest, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts import permissions
from jobs.models import Kind as JobKind

from ..national import national_report
from ..national import sorted_rows as national_sorted
from ..params import BadParameter
from ..params import parse_year as _parse_year
from ..progress import BAND_KEYS
from .common import _band_list
from .downloads import _export_job


def _national_year(request) -> int:
    default = timezone.localdate().year
    try:
        return _parse_year(request.GET.get("year"), default)
    except BadParameter as exc:
        messages.error(request, str(exc))
        return default


@login_required
def national(request):
    """Every province's programmes at a glance (national viewers, administrators)."""
    permissions.require(request.user, "reports.view_national")
    year = _national_year(request)
    sort = request.GET.get("sort") or "province"
    report = national_report(year=year)
    rows = national_sorted(report["programmes"], sort)
    for r in rows:
        r["band_counts"] = [r["bands"][k] for k in BAND_KEYS]
        r["query"] = f"?year={year}&programme={r['programme']['code']}"
    return render(request, "reports/national.html", {
        "year": year, "years": list(range(timezone.localdate().year + 1, 2020, -1)), "report": report,
        "rows": rows, "sort": sort, "bands": _band_list(report["totals"]["bands"]),
    })


@login_required
def national_json(request):
    permissions.require(request.user, "reports.view_national")
    try:
        year = _parse_year(request.GET.get("year"), timezone.localdate().year)
    except BadParameter as exc:
        return JsonResponse({"error": str(exc)}, status=400)
    response = JsonResponse(national_report(year=year), json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def national_xlsx(request):
    permissions.require(request.user, "reports.view_national")
    try:
        year = _parse_year(request.GET.get("year"), timezone.localdate().year)
    except BadParameter as exc:
        return HttpResponseBadRequest(str(exc), content_type="text/plain; charset=utf-8")
    return _export_job(request, JobKind.NATIONAL_XLSX, _("Bảng toàn quốc năm %(year)s (Excel)") % {"year": year},
                       {"year": year})
