"""What every report page shares: the programme and the year from the query string, the district in scope, the band list."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.utils import timezone

from accounts import permissions
from assessments.models import Band
from assessments.programmes import ProgrammeError, programme_get, programme_list

from .. import selectors
from ..params import BadParameter
from ..params import parse_figures as _parse_figures
from ..params import parse_year as _parse_year
from ..progress import BAND_KEYS, OFFICIAL, report_heading


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
