"""Progress against a programme's targets: the report of DESIGN §2 "Reading the targets", §5 and §7.

The reading, implemented exactly (people take these numbers into meetings):

* **Frame**: the units of the programme's kinds in its territory in force on the resolution date,
  whatever the year of the report. **Holder**: for year Y each frame unit is held by itself if in force
  on 31/12/Y, else by its (primary) successor then; a merged commune holding three frame units counts
  three times.
* **Band**: each frame unit is in exactly one band, the first that matches — ``recognized`` (it, before
  it ended, or its holder holds a non-revoked recognition of this programme dated ≤ the day) · ``13+``
  (its holder's verified assessment of Y with ≥ 13 met) · ``10-12`` · ``9`` · ``0-8`` · ``not_assessed``.
  *Preliminary* figures use a holder's submitted or returned self-assessment when it has no verified one.
* **Targets**: `reports.targets`. ``districts`` are the frame's districts; ``criteria`` counts the
  holders' assessments of Y.

These facts are stored per frame unit and kept up to date by the writes (`assessments.facts`); this
module reads them (`reports.frame`) and caches each report under the tokens of the days it read.
"""

from __future__ import annotations

from django.db.models import Count, Max, Q

from assessments.facts.readings import BAND_ORDER, BAND_RANK, year_end
from assessments.models import LEVEL_KEYS, Band, CriterionResult, Programme, Result, Status
from assessments.programmes import programme_get
from communes.lineage import province_on
from criteria_portal.figures import cached

from .frame import (
    BAND_KEYS,
    FIGURES,
    LEVEL_NAMES,
    OFFICIAL,
    PRELIMINARY,
    PRELIMINARY_STATUSES,
    FrameTable,
    Tally,
    band_for,
    tokens,
)
from .inventory import model_inventory
from .targets import evaluate_targets, target_days, targets_of, tier_note

__all__ = ["BAND_KEYS", "BAND_ORDER", "BAND_RANK", "FIGURES", "LEVEL_NAMES", "OFFICIAL", "PRELIMINARY",
           "PRELIMINARY_STATUSES", "Band", "FrameTable", "Tally", "band_for", "build_report", "criteria_compliance",
           "holder_rows", "programme_get", "programme_info", "progress_report", "report_heading", "year_end"]


def criteria_compliance(*, year: int, programme: Programme, figures: str = OFFICIAL, unit_ids: set[int] | None = None,
                        table: FrameTable | None = None) -> list[dict]:
    """Per criterion number: holders' assessments of the year that met it, and those counted (one query)."""
    if unit_ids is None:
        table = table or FrameTable.load(programme=programme, year=year, figures=figures)
        unit_ids = table.holder_ids()
    qs = CriterionResult.objects.filter(
        assessment__year=year, assessment__unit_id__in=sorted(unit_ids), assessment__criteria_set__programme=programme
    )
    verified_met = Q(assessment__status=Status.VERIFIED, verified_result=Result.MET)
    if figures == PRELIMINARY:
        counted = Q(assessment__status=Status.VERIFIED) | Q(assessment__status__in=PRELIMINARY_STATUSES)
        met = verified_met | Q(assessment__status__in=PRELIMINARY_STATUSES, self_result=Result.MET)
    else:
        counted, met = Q(assessment__status=Status.VERIFIED), verified_met
    rows = (qs.filter(counted).values("criterion__number")
            .annotate(title=Max("criterion__title"), met=Count("id", filter=met), assessed=Count("id"))
            .order_by("criterion__number"))
    return [{"number": r["criterion__number"], "title": r["title"], "met": r["met"], "assessed": r["assessed"]}
            for r in rows]


def holder_rows(table: FrameTable, *, with_status: bool = False) -> list[dict]:
    """The current map: each holder with its own results and the frame units it carries.

    The workflow status (a draft included) is for the page, not for the report's figures.
    """
    carried: dict[int, list[dict]] = {}
    for r in table.rows:
        if r["holder_id"]:
            carried.setdefault(r["holder_id"], []).append(r)
    out = []
    for holder_id, h in sorted(table.holders.items(), key=lambda kv: (kv[1]["code"], kv[0])):
        out.append({
            "id": holder_id,
            "code": str(h["code"]),
            "name": h["name"],
            "kind": h["kind"],
            "province": str(h["province__code"]),
            "band": h["band"],
            "held_level": LEVEL_KEYS.get(h["held_level"]) if h["held_level"] else None,
            "met": h["met"],
            **({"status": h["status"]} if with_status else {}),
            "frame_units": [{"id": u["id"], "code": str(u["code"]), "name": u["name"]}
                            for u in carried.get(holder_id, [])],
        })
    return out


def programme_info(programme: Programme) -> dict:
    territory_province = programme.territory_province if programme.territory_province_id else None
    territory_district = programme.territory_district if programme.territory_district_id else None
    return {
        "code": programme.code,
        "name": programme.name,
        "resolution": programme.resolution_number,
        "resolution_date": programme.resolution_date.isoformat() if programme.resolution_date else None,
        "resolution_issuer": programme.resolution_issuer,
        "territory": {
            "province": str(territory_province.code) if territory_province else None,
            "province_name": territory_province.name if territory_province else "",
            "district": str(territory_district.code) if territory_district else None,
            "district_name": territory_district.name if territory_district else "",
        },
        "unit_kinds": list(programme.unit_kinds or []),
    }


def report_heading(programme: Programme, year: int, provinces: dict | None = None) -> dict:
    """Whose report of `year` it is: the programme's own province and its body (the .docx and every report page
    name them; nothing in code does).

    The province is the programme's territory as it stands on 31/12/`year`, the day the report reads (its frame
    units' holders are read that day too): a territory that ended before then (`Province.valid_to`) is named by
    the province it was merged into (`Province.successor`, followed by `communes.lineage.province_on`). So
    12/NQ-TU's report of 2024 is Hoà Bình's, those of 2025 (the merger took effect on 1/7/2025) and later Phú
    Thọ's; the frame itself stays the territory's as of the resolution date. The body is the programme's
    `resolution_issuer` as the data gives it. `provinces`: every province by id, to head many programmes with
    one query.
    """
    territory = programme.territory_province if programme.territory_province_id else None
    province = province_on(territory, year_end(year), provinces) if territory else None
    return {
        "province": str(province.code) if province else None,
        "province_name": province.name if province else "",
        "body": programme.resolution_issuer,
    }


def build_report(*, year: int, programme: Programme | str | None = None, figures: str = OFFICIAL) -> dict:
    """The §5 structure for one programme; with figures="preliminary" targets, districts and criteria
    use preliminary figures. "bands" is always official and "bands_preliminary" always preliminary.

    Cached under the tokens of the days it reads: a write that changes one of their facts forgets it.
    """
    if figures not in FIGURES:
        raise ValueError(f"figures must be one of {FIGURES}")
    if not isinstance(programme, Programme):
        programme = programme_get(programme)
    targets = targets_of(programme)
    read = tokens([programme], target_days(targets, year))
    return cached("progress", (programme.pk, year, figures), read,
                  lambda: _build_report(year, programme, figures, targets))


def _build_report(year: int, programme: Programme, figures: str, targets: list) -> dict:
    official_table = FrameTable.load(programme=programme, year=year, figures=OFFICIAL)
    preliminary_table = official_table.as_figures(PRELIMINARY)
    official, preliminary = Tally.of(official_table.rows), Tally.of(preliminary_table.rows)
    chosen_table = preliminary_table if figures == PRELIMINARY else official_table
    chosen = preliminary if figures == PRELIMINARY else official
    evaluated = evaluate_targets(targets, year=year, programme=programme, figures=figures,
                                 tallies={year_end(year): chosen})
    return {
        "year": year,
        "programme": programme_info(programme),
        "heading": report_heading(programme, year),
        "figures": figures,
        "as_of": year_end(year).isoformat(),
        "units_total": official.total,
        "bands": official.bands(),
        "bands_preliminary": preliminary.bands(),
        "targets": evaluated,
        "districts": chosen.districts(),
        "criteria": criteria_compliance(year=year, programme=programme, figures=figures, table=chosen_table),
        "holders": holder_rows(chosen_table),
        # The self-management model inventory on the frame (reports/inventory.py, one query).
        "models": model_inventory(chosen_table, year=year, official=figures == OFFICIAL),
        "note": tier_note(evaluated, official.total),
    }


def progress_report(*, year: int, programme: Programme | str | None = None) -> dict:
    """Official progress report of `year` as the DESIGN §5 JSON structure (see the module docstring)."""
    return build_report(year=year, programme=programme, figures=OFFICIAL)
