"""The pages drawn over time and space: the trends over the years and the map."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.html import json_script

from accounts import permissions

from ..fragments import fragment_key, lazy
from ..maps import VIEWS, map_data
from ..progress import FrameTable
from ..trends import trends as trends_data
from .common import _context, _programme


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
