"""The completeness page and its exports: who has sent the year's report, on time or late, as of a day.

Provincial staff see every unit of the programme; a reviewer sees the units of their scope
(accounts.permissions.unit_list). Numbers come from reports.completeness, like the command's.
"""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseBadRequest, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts import permissions
from assessments.facts.readings import default_as_of
from assessments.programmes import calendar_for
from assessments.selectors import current_year, today
from criteria_portal.downloads import download

from . import selectors
from .completeness import (
    SORTS,
    STATES,
    SUBMITTED,
    VERIFIED,
    WAITING,
    Completeness,
    completeness_csv,
    completeness_load,
    state_label,
)
from .fragments import fragment_key, lazy
from .params import BadParameter, parse_as_of
from .params import parse_year as _parse_year
from .progress import report_heading
from .views.common import _programme, _programmes


def _require(user) -> None:
    """Provincial staff, and reviewers for their own units; officers get a 403."""
    if not permissions.has_capability(user, "reports.view_province"):
        permissions.require(user, "reports.view_district")


def _params(request) -> tuple[int, datetime.date]:
    year = _parse_year(request.GET.get("year"), current_year())
    return year, parse_as_of(request.GET.get("as_of"), default_as_of(year, today()))


def _load(request, programme, year, as_of) -> Completeness:
    return completeness_load(programme=programme, year=year, as_of=as_of,
                             scope=permissions.unit_list(user=request.user))


def _percent(n: int, total: int) -> int:
    return round(100 * n / total) if total else 0


def _segments(counts: dict, total: int) -> list[dict]:
    return [{"key": s, "label": state_label(s), "count": counts[s],
             "percent": _percent(counts[s], total)} for s in STATES]


def _sort_links(base: dict, current: str) -> dict:
    """Column → (href, aria-sort) for the missing list; a second click on a column reverses it."""
    out = {}
    for key in SORTS:
        ascending = current == key
        target = f"-{key}" if ascending else key
        state = "ascending" if current == key else "descending" if current == f"-{key}" else "none"
        out[key] = {"href": "?" + urlencode({**base, "sort": target}) + "#missing", "aria": state}
    return out


@login_required
@require_GET
def completeness(request):
    _require(request.user)
    programme = _programme(request)
    try:
        year = _parse_year(request.GET.get("year"), current_year())
    except BadParameter as exc:
        messages.error(request, str(exc))
        year = current_year()
    # "As of" defaults to today for the current year and to 31/12 for a past one (DESIGN §2).
    try:
        as_of = parse_as_of(request.GET.get("as_of"), default_as_of(year, today()))
    except BadParameter as exc:
        messages.error(request, str(exc))
        as_of = default_as_of(year, today())
    sort = request.GET.get("sort") or "district"
    if sort.lstrip("-") not in SORTS:
        sort = "district"
    # The figures are read only if the page's fragment is not cached (reports/fragments.py).
    c = lazy(lambda: _load(request, programme, year, as_of))
    calendar = calendar_for(programme, year)
    base = {"year": year, "as_of": as_of.isoformat()}
    if not programme.is_default:
        base = {"programme": programme.code, **base}
    years = sorted(set(selectors.report_years(programme=programme)) | {year, current_year()}, reverse=True)
    return render(request, "reports/completeness.html", {
        "programme": programme,
        "heading": report_heading(programme, year),
        "programmes": _programmes(request),
        "year": year,
        "years": years,
        "as_of": as_of,
        "calendar": calendar,
        "commune_days": calendar.days_to_commune_deadline(as_of),
        "district_days": calendar.days_to_district_deadline(as_of),
        "page": lazy(lambda: _page(c, sort)),
        "sort": sort,
        "sort_links": _sort_links(base, sort),
        "query": urlencode(base),
        "fragment": fragment_key(request, "completeness", programme, year, as_of.isoformat(), sort),
        "can_province": permissions.has_capability(request.user, "reports.view_province"),
        "scoped": not permissions.has_capability(request.user, "reports.view_province"),
    })


def _page(c: Completeness, sort: str) -> dict:
    """Everything the page shows of the units' states (computed only when its fragment is not cached)."""
    counts = c.counts()
    total = c.units_total
    submitted = sum(counts[s] for s in SUBMITTED)
    on_time = counts["submitted_on_time"] + counts["verified_on_time"]
    verified = sum(counts[s] for s in VERIFIED)
    waiting = sum(counts[s] for s in WAITING)
    return {
        "total": total,
        "states": _segments(counts, total),
        "summary": {
            "submitted": submitted, "submitted_percent": _percent(submitted, total),
            "on_time": on_time, "on_time_percent": _percent(on_time, submitted),
            "verified": verified, "verified_percent": _percent(verified, total),
            "waiting": waiting, "missing": total - submitted,
        },
        "districts": [{**d, "segments": _segments(d["counts"], d["units_total"]),
                       "submitted_percent": _percent(sum(d["counts"][s] for s in SUBMITTED), d["units_total"])}
                      for d in c.districts()],
        "missing": c.missing(sort),
        "units": c.units,
    }


def _export(request):
    _require(request.user)
    programme = _programme(request)
    year, as_of = _params(request)
    return programme, year, as_of, _load(request, programme, year, as_of)


@login_required
@require_GET
def completeness_json(request):
    try:
        _programme_, _year, _as_of, c = _export(request)
    except BadParameter as exc:
        return JsonResponse({"error": str(exc)}, status=400)
    response = JsonResponse(c.as_json(), json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def completeness_csv_view(request):
    try:
        programme, year, as_of, c = _export(request)
    except BadParameter as exc:
        return HttpResponseBadRequest(str(exc), content_type="text/plain; charset=utf-8")
    return download(completeness_csv(c), filename=f"tinh-hinh-nop-{programme.code}-{year}-{as_of.isoformat()}.csv",
                    content_type="text/csv; charset=utf-8")
