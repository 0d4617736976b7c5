"""The report's files: the JSON, the unit CSV, and the Excel and Word reports made by background jobs."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts import permissions
from criteria_portal.downloads import download
from jobs import views as jobs_views
from jobs.models import Kind as JobKind

from .. import exports, selectors
from ..params import BadParameter
from ..progress import OFFICIAL, progress_report
from .common import _district_or_404, _export_params, _programme


@login_required
def progress_json(request):
    permissions.require(request.user, "reports.view_province")
    programme = _programme(request)
    try:
        year, _figures = _export_params(request, programme)
    except BadParameter as exc:
        return JsonResponse({"error": str(exc)}, status=400)
    response = JsonResponse(progress_report(year=year, programme=programme), json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def progress_xlsx(request):
    return _report_file_job(request, JobKind.PROGRESS_XLSX, _("Báo cáo tiến độ năm %(year)s (Excel) – %(programme)s"))


def _suffix(figures: str) -> str:
    return "-so-bo" if figures != OFFICIAL else ""


@login_required
def units_csv(request):
    """The unit table of the province, or of one district with ?district=CODE."""
    user = request.user
    district = None
    if request.GET.get("district"):
        # Scope first (outside it: 404), then the role (inside but not allowed: 403), §4.
        district = _district_or_404(request, request.GET["district"])
        permissions.require(user, "reports.view_district")
    else:
        permissions.require(user, "reports.view_province")
    programme = _programme(request)
    try:
        year, figures = _export_params(request, programme)
    except BadParameter as exc:
        return HttpResponseBadRequest(str(exc), content_type="text/plain; charset=utf-8")
    rows = selectors.unit_rows(year=year, programme=programme, figures=figures, district=district)
    name = f"don-vi-{programme.code}-{district.code}-{year}" if district else f"don-vi-{programme.code}-{year}"
    return download(exports.units_csv(rows), filename=f"{name}{_suffix(figures)}.csv",
                    content_type="text/csv; charset=utf-8")


@login_required
@require_http_methods(["GET", "POST"])
def progress_docx(request):
    """The yearly report for the meeting (.docx, Vietnamese administrative layout)."""
    return _report_file_job(request, JobKind.PROGRESS_DOCX, _("Báo cáo Word năm %(year)s – %(programme)s"))


# ---------------------------------------------------------------- exports made by background jobs (issue 19)
# The files are built in the worker (reports/jobs.py calls exports.xlsx_for, docx_for, national_xlsx): a
# POST starts the job and opens its page; a GET (an old link, a bookmark) shows the button that starts it.


def _export_job(request, kind: str, title: str, params: dict):
    if request.method == "POST":
        return jobs_views.start(request, kind=kind, title=title, params=params, unit="steps")
    return jobs_views.confirm(request, title=title)


def _report_file_job(request, kind: str, title: str):
    permissions.require(request.user, "reports.view_province")
    programme = _programme(request)
    try:
        year, figures = _export_params(request, programme)
    except BadParameter as exc:
        return HttpResponseBadRequest(str(exc), content_type="text/plain; charset=utf-8")
    title = title % {"year": year, "programme": programme.name}
    if figures != OFFICIAL:
        title = f"{title} – {_('số liệu sơ bộ')}"
    return _export_job(request, kind, title, {"year": year, "programme": programme.code, "figures": figures})
