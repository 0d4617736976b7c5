"""Over the years: the bands of each year and every target's actual against its number (issue 12).

Years run from the programme's first year (2022 for 12/NQ-TU) to the selected year. A year with no data
(no holder assessed under the chosen figures and no recognition held) is a gap — null, never zero — so a
chart does not draw a fall to 0. Targets are read exactly as on the progress page (`evaluate_targets`,
as of min(31/12/Y, deadline)). One FrameTable per year (years are few) plus the targets' own reads.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from assessments.models import Band, Programme, Target, TargetKind

from .progress import BAND_KEYS, OFFICIAL, FrameTable, Tally, evaluate_targets, year_end

FIRST_YEAR = 2022


def _has_data(rows: list[dict]) -> bool:
    return any(r["met"] is not None or r["held_level"] for r in rows)


def trends(*, programme: Programme, year: int, figures: str = OFFICIAL) -> dict:
    first = min(max(programme.first_year or FIRST_YEAR, FIRST_YEAR), year)
    years = list(range(first, year + 1))
    tallies: dict = {}
    present: dict[int, bool] = {}
    for y in years:
        table = FrameTable.load(programme=programme, year=y, figures=figures)
        tallies[year_end(y)] = Tally.of(table.rows)
        present[y] = _has_data(table.rows)
    bands = {k: [tallies[year_end(y)].bands()[k] if present[y] else None for y in years] for k in BAND_KEYS}
    targets = list(Target.objects.filter(programme=programme).order_by("deadline", "sort_order", "key"))
    per_year = {y: evaluate_targets(targets, year=y, programme=programme, figures=figures, tallies=tallies)
                for y in years}
    out_targets = []
    for i, t in enumerate(targets):
        rows = [per_year[y][i] for y in years]
        out_targets.append({
            "key": t.key,
            "text": t.text,
            "deadline": t.deadline.isoformat(),
            "kind": t.kind,
            # The target's own number (20, 30, 50, 31) and, for a tier, the figure the tier is met against:
            # the sum with the higher tiers (50, 100, 131) — the chart and the yearly actuals use that one.
            "target": rows[-1]["target"] if rows else t.number,
            "cumulative_target": rows[-1]["cumulative_target"] if rows else t.number,
            "tier": bool(rows and rows[-1]["tier"]),
            "actual": [r["cumulative_actual"] if present[y] else None for y, r in zip(years, rows, strict=True)],
            "met": [r["met"] if present[y] else None for y, r in zip(years, rows, strict=True)],
            # Targets counted in units of the frame can be drawn on the bands chart; per-district ones cannot.
            "in_units": t.kind != TargetKind.PER_DISTRICT,
        })
    return {
        "year": year,
        "figures": figures,
        "years": years,
        "labels": [str(y) for y in years],
        "band_keys": list(BAND_KEYS),
        "band_labels": [str(Band(k).label) for k in BAND_KEYS],
        "bands": bands,
        "units_total": tallies[year_end(year)].total if years else 0,
        "targets": out_targets,
        "target_label": _("Mục tiêu"),
        "percent_label": _("Tỷ lệ so với mục tiêu (%)"),
    }
