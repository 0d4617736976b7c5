"""The map: units drawn at their coordinates (Unit.latitude/longitude), coloured by band (issue 12).

No tiles, no network, no library: the page draws an SVG from this JSON (the same data is in the page as
json_script). Two views of year Y:
* ``frame``: every frame unit at its own coordinates, coloured by its band read through its holder;
* ``current``: the holders (the current map) at their coordinates, coloured by their own band.
District labels are the frame's districts, placed at the mean coordinate of their frame units.
Points are projected equirectangularly (longitude scaled by cos(mean latitude)) into a viewBox
``WIDTH`` wide; the SVG scales to any screen (375 px included).
"""

from __future__ import annotations

import math
from collections import defaultdict

from django.urls import reverse
from django.utils.translation import gettext as _

from assessments.models import Band
from communes.models import Unit

from .progress import BAND_KEYS, FrameTable

WIDTH = 1000
MARGIN = 30
VIEWS = ("frame", "current")


def _coordinates(ids) -> dict[int, tuple[float, float]]:
    return {
        i: (lat, lon)
        for i, lat, lon in Unit.objects.filter(id__in=sorted(ids), latitude__isnull=False, longitude__isnull=False)
        .values_list("id", "latitude", "longitude")
    }


def map_data(table: FrameTable, *, view: str = "frame") -> dict:
    """Points, district labels and legend for the frame or the current map of `table`'s year (one query)."""
    if view not in VIEWS:
        raise ValueError(view)
    rows = table.rows
    ids = {r["id"] for r in rows} | set(table.holders)
    coords = _coordinates(ids)
    if view == "frame":
        items = [{"id": r["id"], "code": str(r["code"]), "name": r["name"], "band": r["band"]} for r in rows]
    else:
        items = [{"id": h["id"], "code": str(h["code"]), "name": h["name"], "band": h["band"]}
                 for h in sorted(table.holders.values(), key=lambda h: (h["code"], h["id"]))]
    placed = [coords[i["id"]] for i in items if i["id"] in coords]
    placed += [coords[r["id"]] for r in rows if r["id"] in coords]
    if placed:
        lats, lons = [p[0] for p in placed], [p[1] for p in placed]
        south, north, west, east = min(lats), max(lats), min(lons), max(lons)
    else:
        south = north = west = east = 0.0
    k = math.cos(math.radians((south + north) / 2))
    span_x = max((east - west) * k, 1e-6)
    span_y = max(north - south, 1e-6)
    scale = (WIDTH - 2 * MARGIN) / span_x
    scale = min(scale, 1.5 * WIDTH / span_y)  # a tall, narrow area stays at most 1.5 × as high as wide
    height = round(span_y * scale + 2 * MARGIN) if placed else 200

    def xy(lat: float, lon: float) -> tuple[float, float]:
        return round(MARGIN + (lon - west) * k * scale, 1), round(MARGIN + (north - lat) * scale, 1)

    points, missing = [], []
    labels = dict(zip(BAND_KEYS, (str(Band(b).label) for b in BAND_KEYS), strict=True))
    counts = dict.fromkeys(BAND_KEYS, 0)
    for item in items:
        counts[item["band"]] += 1
        item["band_label"] = labels[item["band"]]
        item["url"] = reverse("reports:unit", args=[item["id"]])
        if item["id"] in coords:
            lat, lon = coords[item["id"]]
            item["lat"], item["lon"] = lat, lon
            item["x"], item["y"] = xy(lat, lon)
            points.append(item)
        else:
            missing.append(item)
    by_district: dict[str, list] = defaultdict(list)
    names: dict[str, str] = {}
    for r in rows:
        if r["district__code"] is not None and r["id"] in coords:
            code = str(r["district__code"])
            by_district[code].append(coords[r["id"]])
            names[code] = r["district__name"]
    districts = []
    for code in sorted(by_district, key=int):
        pts = by_district[code]
        x, y = xy(sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts))
        districts.append({"code": code, "name": names[code], "x": x, "y": y})
    return {
        "view": view,
        "width": WIDTH,
        "height": height,
        "points": points,
        "missing": missing,
        "districts": districts,
        "legend": [{"key": b, "label": labels[b], "count": counts[b]} for b in BAND_KEYS],
        "title": _("Bản đồ các đơn vị theo nhóm kết quả"),
    }
