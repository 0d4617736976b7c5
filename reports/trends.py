"""Over the years: the bands of each year and every target's actual against its number (issue 12).

Years run from the programme's first year (2022 for 12/NQ-TU) to the selected year. A year with no data
(no holder assessed under the chosen figures and no recognition held) is a gap — null, never zero — so a
chart does not draw a fall to 0. Targets are read exactly as on the progress page (`evaluate_targets`,
as of min(31/12/Y, deadline)). One grouped query per year on the stored figures; the whole is cached
under the tokens of the days it read.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from assessments.facts.readings import year_end
from assessments.models import Band, Programme, TargetKind
from criteria_portal.figures import cached

from .frame import BAND_KEYS, OFFICIAL, Tally, tokens
from .targets import evaluate_targets, target_days, targets_of

FIRST_YEAR = 2022


def _has_data(tally: Tally) -> bool:
    return any(r["held_level"] or r["band"] != Band.NOT_ASSESSED for r in tally.rows)


def trend_years(programme: Programme, year: int) -> list[int]:
    first = min(max(programme.first_year or FIRST_YEAR, FIRST_YEAR), year)
    return list(range(first, year + 1))


def trends(*, programme: Programme, year: int, figures: str = OFFICIAL) -> dict:
    targets = targets_of(programme)
    years = trend_years(programme, year)
    days = set().union(*(target_days(targets, y) for y in years)) if years else set()
    read = tokens([programme], days)
    return cached("trends", (programme.pk, year, figures), read,
                  lambda: _trends(programme, year, figures, targets, years, days))


def _trends(programme: Programme, year: int, figures: str, targets: list, years: list[int], days: set) -> dict:
    tallies = {day: Tally.load_many([programme], day, figures)[programme.id] for day in sorted(days)}
    present = {y: _has_data(tallies[year_end(y)]) for y in years}
    bands = {k: [tallies[year_end(y)].bands()[k] if present[y] else None for y in years] for k in BAND_KEYS}
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
            # Each year's figure with the one state word of that year's report (Đạt / Không đạt / Chưa đạt).
            "cells": [{"actual": r["cumulative_actual"], "state": r["state"], "state_label": r["state_label"]}
                      if present[y] else {"actual": None, "state": None, "state_label": None}
                      for y, r in zip(years, rows, strict=True)],
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
