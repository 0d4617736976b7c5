"""The national view (issue 13): every province's programmes at a glance, read from the stored figures.

Each programme's row is cached under the tokens of the days it reads (and the completeness day), so a
write forgets only its own programme's row: the page right after a write recomputes one row, not the
country. Missing rows are computed together — one grouped query per evaluation day and one for the
holders' completeness — so the number of queries does not grow with the number of provinces.
"""

from __future__ import annotations

from collections import defaultdict

from django.utils import timezone

from assessments.facts.readings import MET, default_as_of, year_end
from assessments.models import Target
from assessments.programmes import programme_list
from communes.lineage import provinces_by_id
from criteria_portal.figures import get_many, key, put

from .completeness import reported_counts
from .frame import BAND_KEYS, OFFICIAL, Tally, tokens
from .progress import programme_info, report_heading
from .targets import evaluate_targets, target_days

SORTS = ("province", "programme", "units", "recognized", "targets_met", "completeness")


def national_report(*, year: int, as_of=None) -> dict:
    """Every programme's row for `year`; "reported" as of `as_of` (default: today for the current year,
    the end of the year for a past one) — the completeness page's definition."""
    as_of = as_of or default_as_of(year, timezone.localdate())
    programmes = programme_list()
    targets: dict[int, list[Target]] = defaultdict(list)
    for t in Target.objects.filter(programme__in=programmes).order_by("deadline", "sort_order", "key"):
        targets[t.programme_id].append(t)
    days = {p.id: target_days(targets[p.id], year) for p in programmes}
    read = tokens(programmes, set().union(*days.values()) if days else set())
    keys = {p.id: key("national-row", (p.pk, year, as_of.isoformat()),
                      {d: read[(p.id, d)] for d in days[p.id]}) for p in programmes}
    found = get_many(list(keys.values()))
    rows = {p.id: found[keys[p.id]] for p in programmes if keys[p.id] in found}
    missing = [p for p in programmes if p.id not in rows]
    if missing:
        for p, row in zip(missing, _rows(missing, targets, year, as_of), strict=True):
            rows[p.id] = row
            put(keys[p.id], row)
    ordered = [rows[p.id] for p in programmes]
    return {"year": year, "figures": OFFICIAL, "as_of": year_end(year).isoformat(),
            "completeness_as_of": as_of.isoformat(), "programmes": ordered, "totals": _totals(ordered)}


def _rows(programmes: list, targets: dict, year: int, as_of) -> list[dict]:
    days = sorted(set().union(*(target_days(targets[p.id], year) for p in programmes)))
    tallies = {day: Tally.load_many(programmes, day, OFFICIAL) for day in days}
    completeness = reported_counts(programmes, year, as_of)
    provinces = provinces_by_id()
    out = []
    for p in programmes:
        mine = {day: by_programme[p.id] for day, by_programme in tallies.items()}
        official = mine[year_end(year)]
        evaluated = evaluate_targets(targets[p.id], year=year, programme=p, figures=OFFICIAL, tallies=mine)
        done = completeness[p.id]
        # The province that runs the programme in `year` (its territory, or the successor of a merged one).
        heading = report_heading(p, year, provinces)
        out.append({
            "programme": programme_info(p),
            "province": heading["province"],
            "province_name": heading["province_name"],
            "units_total": official.total,
            "bands": official.bands(),
            "targets_met": sum(1 for t in evaluated if t["state"] == MET),
            "targets_total": len(evaluated),
            "holders": done["holders"],
            "reported": done["reported"],
            "verified": done["verified"],
            "completeness": round(100 * done["reported"] / done["holders"]) if done["holders"] else 0,
        })
    return out


def _totals(rows: list[dict]) -> dict:
    return {
        "units_total": sum(r["units_total"] for r in rows),
        "bands": {k: sum(r["bands"][k] for r in rows) for k in BAND_KEYS},
        "targets_met": sum(r["targets_met"] for r in rows),
        "targets_total": sum(r["targets_total"] for r in rows),
        "holders": sum(r["holders"] for r in rows),
        "reported": sum(r["reported"] for r in rows),
        "verified": sum(r["verified"] for r in rows),
    }


def sorted_rows(rows: list[dict], sort: str) -> list[dict]:
    key_name = sort.lstrip("-")
    if key_name not in SORTS:
        key_name, sort = "province", "province"
    reverse = sort.startswith("-")
    getters = {
        "province": lambda r: (r["province_name"], r["programme"]["code"]),
        "programme": lambda r: r["programme"]["name"],
        "units": lambda r: r["units_total"],
        "recognized": lambda r: r["bands"]["recognized"],
        "targets_met": lambda r: (r["targets_met"], -r["targets_total"]),
        "completeness": lambda r: r["completeness"],
    }
    return sorted(rows, key=getters[key_name], reverse=reverse)
