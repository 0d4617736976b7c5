"""The map: units laid out by their coordinates (Unit.latitude/longitude), coloured by band (issues 12, 21).

No tiles, no network, no library: the page draws an SVG from this JSON (the same data is in the page as
json_script). Two views of year Y:
* ``frame``: every frame unit, coloured by its band read through its holder;
* ``current``: the holders (the current map), coloured by their own band.

A phone must be able to use it (375 px): 139 dots at their true positions overlap and are too small to
tap. So each unit gets its own square of a grid (a gridded cartogram): units are projected
equirectangularly (longitude scaled by cos(mean latitude)) and each takes the free cell nearest its own
position, the units nearest the centre first. The grid has at most COLUMNS_MAX columns, so that a cell
stays ≥ 24 px wide on a 343 px drawing (a touch target, WCAG 2.5.8); the whole cell is the unit's link.
Districts are tinted (neighbouring districts differ) and numbered in a free cell beside their units —
never over a unit; the page lists the numbers' names, and a tap or focus shows a unit's name and band.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict

from django.urls import reverse
from django.utils.translation import gettext as _

from assessments.models import Band
from communes.models import Unit

from .progress import BAND_KEYS, FrameTable

WIDTH = 1000
VIEWS = ("frame", "current")
COLUMNS_MAX = 13  # 343 px ÷ 14 (13 cells + two half-cell margins) ≈ 24.5 px a cell
COLUMNS_MIN = 6
TINTS = 4


def _coordinates(ids) -> dict[int, tuple[float, float]]:
    return {
        i: (lat, lon)
        for i, lat, lon in Unit.objects.filter(id__in=sorted(ids), latitude__isnull=False, longitude__isnull=False)
        .values_list("id", "latitude", "longitude")
    }


class Grid:
    """The projection of the placed units onto a grid of square cells, and which cells are taken."""

    def __init__(self, positions: list[tuple[float, float]]):
        lats, lons = [p[0] for p in positions], [p[1] for p in positions]
        self.north, self.west = max(lats), min(lons)
        self.k = math.cos(math.radians((min(lats) + max(lats)) / 2))
        span_x = max((max(lons) - self.west) * self.k, 1e-6)
        span_y = max(self.north - min(lats), 1e-6)
        self.columns = max(COLUMNS_MIN, min(COLUMNS_MAX, round(math.sqrt(len(positions) * span_x / span_y * 1.5))))
        self.unit = span_x / (self.columns - 1)  # degrees per cell
        self.taken: dict[tuple[int, int], object] = {}

    def target(self, lat: float, lon: float) -> tuple[float, float]:
        return (lon - self.west) * self.k / self.unit, (self.north - lat) / self.unit

    def free_cell_near(self, gx: float, gy: float) -> tuple[int, int]:
        """The free cell whose centre is nearest (gx, gy): rings around the nearest cell, one ring further
        than the first free one (a cell of the next ring can be nearer than a corner of this one)."""
        c0, r0 = min(max(round(gx), 0), self.columns - 1), round(gy)
        found, ring, last = [], 0, None
        while last is None or ring <= last + 1:
            for col in range(c0 - ring, c0 + ring + 1):
                for row in range(r0 - ring, r0 + ring + 1):
                    if max(abs(col - c0), abs(row - r0)) != ring or not 0 <= col < self.columns:
                        continue
                    if (col, row) not in self.taken:
                        found.append(((col - gx) ** 2 + (row - gy) ** 2, row, col))
            if found and last is None:
                last = ring
            ring += 1
        _d, row, col = min(found)
        return col, row


def _layout(items: list[dict], coords: dict, names: dict[str, str]) -> tuple[Grid | None, list[dict]]:
    """Give each item with coordinates a cell (item["col"], item["row"]), after one cell per district for its
    number at the middle of its units (so the number sits among them, never on one). Returns the grid (None
    if nothing is placed) and the district markers."""
    placed = [i for i in items if i["id"] in coords]
    if not placed:
        return None, []
    grid = Grid([coords[i["id"]] for i in placed])
    targets = {i["id"]: grid.target(*coords[i["id"]]) for i in placed}
    by_district: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for i in placed:
        if i["district"]:
            by_district[i["district"]].append(targets[i["id"]])
    markers = []
    for number, code in enumerate(sorted(by_district, key=int), start=1):
        pts = by_district[code]
        col, row = grid.free_cell_near(sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts))
        grid.taken[col, row] = code
        markers.append({"code": code, "name": names.get(code, ""), "number": number, "col": col, "row": row})
    cx = sum(t[0] for t in targets.values()) / len(targets)
    cy = sum(t[1] for t in targets.values()) / len(targets)
    for item in sorted(placed, key=lambda i: ((targets[i["id"]][0] - cx) ** 2 + (targets[i["id"]][1] - cy) ** 2,
                                              i["code"], i["id"])):
        item["col"], item["row"] = grid.free_cell_near(*targets[item["id"]])
        grid.taken[item["col"], item["row"]] = item
    return grid, markers


def _borders(points: list[dict], markers: list[dict], cell: float) -> str:
    """An SVG path along every cell edge between two districts or between a district and the outside."""
    owner = {(p["col"], p["row"]): p["district"] or "" for p in points}
    owner.update({(m["col"], m["row"]): m["code"] for m in markers})
    segments = []
    for (col, row), district in owner.items():
        x0, y0 = (col + 0.5) * cell, (row + 0.5) * cell  # the cell's top-left corner
        for dc, dr, (ax, ay, bx, by) in ((1, 0, (1, 0, 1, 1)), (0, 1, (0, 1, 1, 1)),
                                         (-1, 0, (0, 0, 0, 1)), (0, -1, (0, 0, 1, 0))):
            other = owner.get((col + dc, row + dr))
            if other != district and (other is None or (dc, dr) in ((1, 0), (0, 1))):
                segments.append(f"M{x0 + ax * cell:.1f} {y0 + ay * cell:.1f}L{x0 + bx * cell:.1f} {y0 + by * cell:.1f}")
    return "".join(segments)


def _tints(points: list[dict]) -> None:
    """A tint per district, different from the tints of the districts it touches (greedy colouring)."""
    cells = {(p["col"], p["row"]): p["district"] for p in points if p["district"]}
    neighbours: dict[str, set[str]] = defaultdict(set)
    for (col, row), district in cells.items():
        for dc, dr in ((1, 0), (0, 1), (1, 1), (1, -1)):
            other = cells.get((col + dc, row + dr))
            if other and other != district:
                neighbours[district].add(other)
                neighbours[other].add(district)
    tint: dict[str, int] = {}
    for district in sorted(set(cells.values()), key=lambda d: (-len(neighbours[d]), d)):
        used = {tint[n] for n in neighbours[district] if n in tint}
        tint[district] = next((t for t in range(TINTS) if t not in used), len(tint) % TINTS)
    for p in points:
        p["tint"] = tint.get(p["district"]) if p["district"] else None


def _district_of_holders(rows: list[dict]) -> dict[int, str]:
    """A holder's district on the map: the frame district of most of the frame units it holds."""
    counts: dict[int, Counter] = defaultdict(Counter)
    for r in rows:
        if r["holder_id"] is not None and r["district__code"] is not None:
            counts[r["holder_id"]][str(r["district__code"])] += 1
    return {h: c.most_common(1)[0][0] for h, c in counts.items()}


def map_data(table: FrameTable, *, view: str = "frame") -> dict:
    """Points, district markers and legend for the frame or the current map of `table`'s year (one query)."""
    if view not in VIEWS:
        raise ValueError(view)
    rows = table.rows
    coords = _coordinates({r["id"] for r in rows} | set(table.holders))
    names = {str(r["district__code"]): r["district__name"] for r in rows if r["district__code"] is not None}
    if view == "frame":
        items = [{"id": r["id"], "code": str(r["code"]), "name": r["name"], "band": r["band"],
                  "district": str(r["district__code"]) if r["district__code"] is not None else None} for r in rows]
    else:
        held_in = _district_of_holders(rows)
        items = [{"id": h["id"], "code": str(h["code"]), "name": h["name"], "band": h["band"],
                  "district": held_in.get(h["id"])}
                 for h in sorted(table.holders.values(), key=lambda h: (h["code"], h["id"]))]
    labels = dict(zip(BAND_KEYS, (str(Band(b).label) for b in BAND_KEYS), strict=True))
    counts = dict.fromkeys(BAND_KEYS, 0)
    for item in items:
        counts[item["band"]] += 1
        item["band_label"] = labels[item["band"]]
        item["district_name"] = names.get(item["district"], "")
        item["url"] = reverse("reports:unit", args=[item["id"]])
    grid, districts = _layout(items, coords, names)
    points = sorted((i for i in items if "col" in i), key=lambda i: (i["row"], i["col"]))
    missing = [i for i in items if "col" not in i]
    cell, height, borders = WIDTH, 200, ""
    if grid is not None:
        _tints(points)
        top = min(t["row"] for t in (*points, *districts))
        bottom = max(t["row"] for t in (*points, *districts))
        cell = WIDTH / (grid.columns + 1)
        for thing in (*points, *districts):
            thing["row"] -= top
            thing["x"], thing["y"] = round((thing["col"] + 1) * cell, 1), round((thing["row"] + 1) * cell, 1)
            # The square drawn (and tapped): the cell less a thin gap, so neighbouring cells stay apart.
            thing["left"], thing["top"] = round(thing["x"] - cell * 0.47, 1), round(thing["y"] - cell * 0.47, 1)
        height = round((bottom - top + 2) * cell)
        borders = _borders(points, districts, cell)
        for p in points:
            p["lat"], p["lon"] = coords[p["id"]]
    return {
        "view": view,
        "width": WIDTH,
        "height": height,
        "cell": round(cell, 2),
        "square": round(cell * 0.94, 1),
        "radius": round(cell * 0.34, 1),
        "font": round(cell * 0.5, 1),
        "borders": borders,
        "points": points,
        "missing": missing,
        "districts": districts,
        "legend": [{"key": b, "label": labels[b], "count": counts[b]} for b in BAND_KEYS],
        "title": _("Bản đồ các đơn vị theo nhóm kết quả"),
    }
