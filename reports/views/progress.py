"""The progress pages: the province's progress, a district's units, the current map's table, a unit's page."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts import permissions
from accounts.models import Role
from assessments.models import Band, Status, Target
from assessments.selectors import TARGET_FIELDS, object_history
from communes.lineage import predecessor_ids, unit_lineage
from communes.models import Unit

from .. import selectors
from ..fragments import fragment_key, lazy
from ..progress import BAND_KEYS, build_report
from .common import _band_list, _context, _district_or_404, _programme


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
