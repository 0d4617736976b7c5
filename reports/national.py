"""The national view (issue 13): every province's programmes at a glance, read set-based.

All programmes are read together — one query for their frame units, one lineage walk, and per
evaluation day one query for the decisions held and one for the assessments — so the number of
queries does not grow with the number of units or provinces.
"""

from __future__ import annotations

from collections import defaultdict

from assessments.models import Status, Target
from assessments.programmes import FrameSet, programme_list
from criteria_portal.figures import cached

from .progress import (
    BAND_KEYS,
    OFFICIAL,
    FrameData,
    FrameTable,
    Tally,
    evaluate_targets,
    evaluation_day,
    programme_info,
    registrations_by_programme,
    year_end,
)

REPORTED = (Status.SUBMITTED, Status.RETURNED, Status.VERIFIED)
SORTS = ("province", "programme", "units", "recognized", "targets_met", "completeness")


def national_report(*, year: int) -> dict:
    """Cached until the next write that can change a figure (criteria_portal.figures)."""
    return cached("national", (year,), lambda: _national_report(year))


def _national_report(year: int) -> dict:
    programmes = programme_list()
    targets: dict[int, list[Target]] = defaultdict(list)
    for t in Target.objects.filter(programme__in=programmes).order_by("deadline", "sort_order", "key"):
        targets[t.programme_id].append(t)
    days = {year_end(year)} | {evaluation_day(t.deadline, year) for ts in targets.values() for t in ts}
    frame_set = FrameSet.load(programmes)  # the frames' units and lineage, once for every day
    data = {day: FrameData.load_many(programmes, day.year, day, frames=frame_set.frames(day.year, on=day))
            for day in sorted(days)}
    registrations = registrations_by_programme(programmes)
    rows = []
    for p in programmes:
        current = data[year_end(year)][p.id]
        tallies = {day: Tally.of(FrameTable.of(by_programme[p.id], OFFICIAL).rows) for day, by_programme in data.items()}
        official = tallies[year_end(year)]
        evaluated = evaluate_targets(targets[p.id], year=year, programme=p, figures=OFFICIAL, tallies=tallies,
                                     registrations=registrations[p.id])
        holders = current.frame.holder_ids()
        statuses = {uid: a.get("status") for uid, a in current.assessments.items()}
        reported = sum(1 for uid in holders if statuses.get(uid) in REPORTED)
        verified = sum(1 for uid in holders if statuses.get(uid) == Status.VERIFIED)
        info = programme_info(p)
        rows.append({
            "programme": info,
            "province": info["territory"]["province"],
            "province_name": info["territory"]["province_name"],
            "units_total": official.total,
            "bands": official.bands(),
            "targets_met": sum(1 for t in evaluated if t["met"]),
            "targets_total": len(evaluated),
            "holders": len(holders),
            "reported": reported,
            "verified": verified,
            "completeness": round(100 * reported / len(holders)) if holders else 0,
        })
    totals = {
        "units_total": sum(r["units_total"] for r in rows),
        "bands": {k: sum(r["bands"][k] for r in rows) for k in BAND_KEYS},
        "targets_met": sum(r["targets_met"] for r in rows),
        "targets_total": sum(r["targets_total"] for r in rows),
        "holders": sum(r["holders"] for r in rows),
        "reported": sum(r["reported"] for r in rows),
        "verified": sum(r["verified"] for r in rows),
    }
    return {"year": year, "figures": OFFICIAL, "as_of": year_end(year).isoformat(), "programmes": rows,
            "totals": totals}


def sorted_rows(rows: list[dict], sort: str) -> list[dict]:
    key = sort.lstrip("-")
    if key not in SORTS:
        key, sort = "province", "province"
    reverse = sort.startswith("-")
    getters = {
        "province": lambda r: (r["province_name"], r["programme"]["code"]),
        "programme": lambda r: r["programme"]["name"],
        "units": lambda r: r["units_total"],
        "recognized": lambda r: r["bands"]["recognized"],
        "targets_met": lambda r: (r["targets_met"], -r["targets_total"]),
        "completeness": lambda r: r["completeness"],
    }
    return sorted(rows, key=getters[key], reverse=reverse)
