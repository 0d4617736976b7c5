"""Report pages and exports. Views stay thin: parse the parameters, check scope, call progress/selectors."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import json_script
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts import permissions
from accounts.models import Role
from assessments.models import Band, Status, Target
from assessments.programmes import ProgrammeError, programme_get, programme_list
from assessments.selectors import TARGET_FIELDS, object_history
from communes.lineage import predecessor_ids, unit_lineage
from communes.models import Unit
from criteria_portal.downloads import download
from jobs import views as jobs_views
from jobs.models import Kind as JobKind

from . import exports, selectors
from .fragments import fragment_key, lazy
from .maps import VIEWS, map_data
from .national import national_report
from .national import sorted_rows as national_sorted
from .params import BadParameter
from .params import parse_figures as _parse_figures
from .params import parse_year as _parse_year
from .progress import BAND_KEYS, OFFICIAL, FrameTable, build_report, progress_report, report_heading
from .trends import trends as trends_data


def _programme(request):
    """The programme named by ?programme= (default: the data's default one), if the user may see it.

    An unknown code is a 404 like anything outside the user's scope; no programme at all is a 404 too.
    """
    try:
        programme = programme_get(request.GET.get("programme"))
    except ProgrammeError:
        raise Http404 from None
    if not permissions.can_see_programme(request.user, programme):
        raise Http404
    return programme


def _programmes(request) -> list:
    return [p for p in programme_list() if permissions.can_see_programme(request.user, p)]


def _context(request, programme) -> dict:
    """Year and figures from the query string; a bad value gives a message and the default, never a 500."""
    years = selectors.report_years(programme=programme)
    default = years[0] if years else timezone.localdate().year
    try:
        year = _parse_year(request.GET.get("year"), default)
    except BadParameter as exc:
        messages.error(request, str(exc))
        year = default
    try:
        figures = _parse_figures(request.GET.get("figures"))
    except BadParameter as exc:
        messages.error(request, str(exc))
        figures = OFFICIAL
    choices = sorted(set(years) | {year}, reverse=True)
    return {
        "year": year, "figures": figures, "years": choices, "preliminary": figures != OFFICIAL,
        "programme": programme, "programmes": _programmes(request), "heading": report_heading(programme, year),
        "pq": "" if programme.is_default else f"&programme={programme.code}",
    }


def _export_params(request, programme) -> tuple[int, str]:
    years = selectors.report_years(programme=programme)
    default = years[0] if years else timezone.localdate().year
    return _parse_year(request.GET.get("year"), default), _parse_figures(request.GET.get("figures"))


def _district_or_404(request, code) -> object:
    try:
        code = int(code)
    except (TypeError, ValueError):
        raise Http404 from None
    district = selectors.district_get(permissions.district_list(user=request.user), code)
    if district is None:
        raise Http404
    return district


BAND_CSS = {"recognized": "recognized", "13+": "13", "10-12": "10-12", "9": "9", "0-8": "0-8",
            "not_assessed": "not_assessed"}


def _band_list(counts: dict) -> list[dict]:
    return [{"key": k, "label": Band(k).label, "css": BAND_CSS[k], "count": counts[k]} for k in BAND_KEYS]


def _percent(done: int, goal: int) -> int:
    return 100 if goal <= 0 else max(0, min(100, round(100 * done / goal)))


def _bands_chart(bands: dict) -> dict:
    return {"labels": [str(Band(k).label) for k in BAND_KEYS], "keys": list(BAND_KEYS),
            "values": [bands[k] for k in BAND_KEYS]}


def target_history(programme) -> dict[str, list]:
    """Edits of the programme's targets after they were loaded, by target key (two queries)."""
    ids = dict(Target.objects.filter(programme=programme).values_list("id", "key"))
    edits = object_history(Target, list(ids), TARGET_FIELDS)
    return {ids[pk]: [e for e in entries if e.changes] for pk, entries in edits.items()
            if any(e.changes for e in entries)}


@login_required
def progress(request):
    user = request.user
    if not permissions.has_capability(user, "reports.view_province"):
        if permissions.has_capability(user, "reports.view_district") and user.district_id:
            # A district reviewer's "progress" is their district's page.
            return redirect(reverse("reports:district", args=[user.district.code]) + _query(request))
        if permissions.has_capability(user, "reports.view_district") and user.province_id:
            # A reviewer of the units without a district: the current map of their units.
            return redirect(reverse("reports:current") + _query(request))
        permissions.require(user, "reports.view_province")
    programme = _programme(request)
    ctx = _context(request, programme)
    report = build_report(year=ctx["year"], programme=programme, figures=ctx["figures"])
    bands = report["bands_preliminary"] if ctx["preliminary"] else report["bands"]
    history = target_history(programme)
    for t in report["targets"]:
        t["percent"] = _percent(t["cumulative_actual"], t["cumulative_target"])
        # A target restated in the admin says so on the page (who, when, old → new).
        t["restated"] = history.get(t["key"], [])
    districts = [{**d, "band_counts": [d["bands"][k] for k in BAND_KEYS]} for d in report["districts"]]
    ctx.update(
        report=report,
        districts=districts,
        bands=_band_list(bands),
        bands_total=sum(bands.values()),
        chart=_bands_chart(bands),
        band_keys=BAND_KEYS,
        model_districts=_model_districts(report["models"]),
    )
    return render(request, "reports/progress.html", ctx)


def _model_districts(models: list[dict]) -> list[dict]:
    """The inventory by frame district: one row per district, one cell per model type."""
    rows: dict[str, dict] = {}
    for m in models:
        for d in m["districts"]:
            rows.setdefault(d["code"], {"code": d["code"], "name": d["name"], "cells": []})["cells"].append(d)
    return list(rows.values())


def _query(request) -> str:
    params = {k: request.GET[k] for k in ("year", "figures", "programme") if request.GET.get(k)}
    if not params:
        return ""
    return "?" + urlencode(params)


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
def district(request, code):
    district = _district_or_404(request, code)
    permissions.require(request.user, "reports.view_district")
    programme = _programme(request)
    ctx = _context(request, programme)
    rows = selectors.unit_rows(year=ctx["year"], programme=programme, figures=ctx["figures"], district=district)
    counts = dict.fromkeys(BAND_KEYS, 0)
    for r in rows:
        counts[r["band"]] += 1
    ctx.update(
        district=district,
        rows=rows,
        bands=_band_list(counts),
        band_keys=BAND_KEYS,
        chart=_bands_chart(counts),
        can_province=permissions.has_capability(request.user, "reports.view_province"),
    )
    return render(request, "reports/district.html", ctx)


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


@login_required
def current(request):
    """The current map: the units holding the frame's places this year, each with its own results and
    the frame units it carries. Provincial staff see all; a reviewer sees the holders in their scope."""
    user = request.user
    if not permissions.has_capability(user, "reports.view_province"):
        permissions.require(user, "reports.view_district")
    programme = _programme(request)
    ctx = _context(request, programme)
    visible = None
    if not permissions.has_capability(user, "reports.view_province"):
        visible = set(permissions.unit_list(user=user).values_list("id", flat=True))
    rows = lazy(lambda: selectors.holder_table(year=ctx["year"], programme=programme, figures=ctx["figures"],
                                               unit_ids=visible))
    ctx.update(rows=rows, bands=lazy(lambda: _band_list(_counts(rows))),
               can_province=permissions.has_capability(user, "reports.view_province"),
               fragment=fragment_key(request, "current", programme, ctx["year"], ctx["figures"]))
    return render(request, "reports/current.html", ctx)


def _counts(rows) -> dict:
    counts = dict.fromkeys(BAND_KEYS, 0)
    for r in rows:
        counts[r["band"]] += 1
    return counts


@login_required
def unit(request, pk):
    """A unit's page: its lineage across the reform and its history, with the units it came from."""
    permissions.require(request.user, "reports.view_unit")
    unit = permissions.get_scoped_or_404(Unit.objects.select_related("district", "province"), request.user,
                                         unit_path="", pk=pk)
    lineage = unit_lineage(unit)
    earlier = list(Unit.objects.filter(id__in=predecessor_ids([unit.id])).select_related("district"))
    history = selectors.unit_history(unit=unit, units=[unit, *earlier])
    related_ids = {s.predecessor_id for s in lineage.predecessors} | {s.successor_id for s in lineage.successors}
    related_ids |= {u.id for u in earlier}
    visible = set(permissions.unit_list(user=request.user).filter(id__in=related_ids).values_list("id", flat=True))
    own_years = [y for y in history.years if y["own"]]
    # Every year from the first to the last: a year without an assessment is a gap (null), not skipped.
    by_year: dict[int, dict] = {}
    for y in own_years:
        by_year.setdefault(y["year"], y)
    span = range(min(by_year), max(by_year) + 1) if by_year else range(0)
    chart = {
        "labels": [str(year) for year in span],
        "verified": [by_year[year]["verified_met"] if year in by_year else None for year in span],
        # Drafts never count, not even as a preliminary figure.
        "self": [by_year[year]["self_met"] if year in by_year and by_year[year]["status"] != Status.DRAFT else None
                 for year in span],
        "verified_label": _("Đạt sau thẩm định"),
        "self_label": _("Tự đánh giá đạt"),
    }
    can_district = permissions.has_capability(request.user, "reports.view_district") and unit.district_id and \
        permissions.district_list(user=request.user).filter(id=unit.district_id).exists()
    return render(request, "reports/unit.html", {
        "unit": unit, "history": history, "chart": chart, "can_district": can_district,
        "lineage": lineage, "visible": visible, "with_earlier": bool(earlier),
        "is_officer": request.user.role == Role.COMMUNE_OFFICER,
        "read_only": not permissions.can_act_on_unit(request.user, unit),
    })


# ---------------------------------------------------------------- the national view


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


@login_required
def trends(request):
    """Over the years: the bands per year with the target lines, and each target's actual against its number."""
    permissions.require(request.user, "reports.view_province")
    programme = _programme(request)
    ctx = _context(request, programme)
    ctx["trends"] = trends_data(programme=programme, year=ctx["year"], figures=ctx["figures"])
    return render(request, "reports/trends.html", ctx)


@login_required
def map_view(request):
    """The units at their coordinates, coloured by band: the frame (through holders) or the current map."""
    permissions.require(request.user, "reports.view_province")
    programme = _programme(request)
    ctx = _context(request, programme)
    view = request.GET.get("view") if request.GET.get("view") in VIEWS else "frame"
    drawn = lazy(lambda: map_data(FrameTable.load(programme=programme, year=ctx["year"], figures=ctx["figures"]),
                                  view=view))
    ctx.update(map=drawn, map_script=lazy(lambda: json_script(dict(drawn), "map-data")), view=view, extra_params=[("view", view)],
               fragment=fragment_key(request, "map", programme, ctx["year"], ctx["figures"], view))
    return render(request, "reports/map.html", ctx)


@login_required
@require_http_methods(["GET", "POST"])
def progress_docx(request):
    """The yearly report for the meeting (.docx, Vietnamese administrative layout)."""
    return _report_file_job(request, JobKind.PROGRESS_DOCX, _("Báo cáo Word năm %(year)s – %(programme)s"))


# ---------------------------------------------------------------- exports made by background jobs (issue 19)
# The files are built in the worker (jobs/exports.py calls exports.xlsx_for, docx_for, national_xlsx): a
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
