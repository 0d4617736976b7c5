"""Reads for the report pages: unit tables, the unit × criterion matrix and a unit's history.

Each function runs a constant number of queries whatever the number of units. Scoping (who
may see which district or unit) is decided by the views through accounts.permissions; the
functions here take an already-checked district or unit.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import IntegerField, OuterRef, QuerySet, Subquery

from assessments.models import LEVEL_KEYS, Assessment, CriterionResult, Level, Recognition, Registration, Result, Status
from communes.models import District, Unit

from . import progress
from .progress import OFFICIAL, PRELIMINARY, PRELIMINARY_STATUSES, year_end


def report_years(*, province_code: int) -> list[int]:
    """Years that have assessments in the province, latest first."""
    qs = Assessment.objects.filter(unit__district__province__code=province_code)
    return sorted(set(qs.values_list("year", flat=True).distinct()), reverse=True)


def unit_rows(
    *, year: int, province_code: int, programme, figures: str = OFFICIAL, district: District | None = None
) -> list[dict]:
    """Every unit in scope with its band, counts, workflow status and recognition (one query)."""
    units = progress.scope_units(year=year, province_code=province_code, programme=programme)
    if district is not None:
        units = units.filter(district=district)
    units = progress.annotate_units(units, year=year, programme=programme, figures=figures)
    latest = Assessment.objects.filter(
        unit=OuterRef("pk"), year=year, criteria_set__programme=programme
    ).order_by("-id")
    held = Recognition.objects.held_on(year_end(year)).filter(unit=OuterRef("pk")).order_by("-level", "-decision_date")
    rows = (
        units.annotate(
            status=Subquery(latest.values("status")[:1]),
            self_met=Subquery(latest.values("self_met_count")[:1], output_field=IntegerField()),
            verified_met=Subquery(latest.values("verified_met_count")[:1], output_field=IntegerField()),
            decision_number=Subquery(held.values("decision_number")[:1]),
            decision_date=Subquery(held.values("decision_date")[:1]),
        )
        .order_by("district__code", "code")
        .values(
            "id", "code", "name", "kind", "district__code", "district__name", "band", "held_level", "met",
            "status", "self_met", "verified_met", "decision_number", "decision_date",
        )
    )
    out = []
    for r in rows:
        r["level_key"] = LEVEL_KEYS.get(r["held_level"]) if r["held_level"] else None
        r["level_label"] = Level(r["held_level"]).label if r["held_level"] else ""
        r["status_label"] = Status(r["status"]).label if r["status"] else ""
        r["band_label"] = progress.Band(r["band"]).label
        out.append(r)
    return out


@dataclass
class Matrix:
    criteria: list[dict]  # compliance rows, by number
    rows: list[tuple[dict, list[str]]]  # (unit row, one cell per criterion: "met" / "not-met" / "none")


def matrix(*, year: int, province_code: int, programme, figures: str = OFFICIAL, district: District | None = None):
    """Unit × criterion heat map plus per-criterion compliance (three queries)."""
    units = unit_rows(year=year, province_code=province_code, programme=programme, figures=figures, district=district)
    criteria = progress.criteria_compliance(
        year=year, province_code=province_code, programme=programme, figures=figures,
        district_code=district.code if district else None,
    )
    statuses = [Status.VERIFIED] + (list(PRELIMINARY_STATUSES) if figures == PRELIMINARY else [])
    scope = progress.scope_units(year=year, province_code=province_code, programme=programme)
    if district is not None:
        scope = scope.filter(district=district)
    results = (
        CriterionResult.objects.filter(
            assessment__year=year, assessment__status__in=statuses, assessment__unit__in=scope.values("id"),
            assessment__criteria_set__programme=programme,
        )
        .values_list("assessment__unit_id", "criterion__number", "assessment__status", "self_result", "verified_result")
    )
    cells: dict[tuple[int, int], str] = {}
    for unit_id, number, status, self_result, verified_result in results:
        value = verified_result if status == Status.VERIFIED else self_result
        cells[(unit_id, number)] = {Result.MET: "met", Result.NOT_MET: "not-met"}.get(value, "none")
    numbers = [c["number"] for c in criteria]
    rows = [(u, [cells.get((u["id"], n), "none") for n in numbers]) for u in units]
    return Matrix(criteria=criteria, rows=rows)


def weakest_first(criteria: list[dict]) -> list[dict]:
    """Criteria sorted so the weakest (lowest share met) come first."""
    for c in criteria:
        c["percent"] = round(100 * c["met"] / c["assessed"]) if c["assessed"] else 0
    return sorted(criteria, key=lambda c: (c["met"] / c["assessed"] if c["assessed"] else 0, c["number"]))


def _held_level_on(recognitions: list[Recognition], day) -> int | None:
    # Same rule as Recognition.objects.held_on, applied to the few rows of one unit.
    levels = [
        r.level for r in recognitions if r.decision_date <= day and (r.revoked_on is None or r.revoked_on > day)
    ]
    return max(levels) if levels else None


@dataclass
class UnitHistory:
    unit: Unit
    years: list[dict]
    recognitions: list[Recognition]
    registrations: list[int]


def unit_history(*, unit: Unit, programme) -> UnitHistory:
    """A unit's assessments over the years with the band each year (three queries)."""
    recognitions = list(Recognition.objects.filter(unit=unit).order_by("decision_date", "level"))
    registrations = list(Registration.objects.filter(unit=unit).order_by("year").values_list("year", flat=True))
    years = []
    assessments = Assessment.objects.filter(unit=unit, criteria_set__programme=programme).order_by("year", "id")
    for a in assessments.only("year", "status", "self_met_count", "verified_met_count"):
        held = _held_level_on(recognitions, year_end(a.year))
        own = a.self_met_count if a.status in PRELIMINARY_STATUSES else None
        years.append(
            {
                "year": a.year,
                "status": a.status,
                "status_label": Status(a.status).label,
                "self_met": a.self_met_count,
                "verified_met": a.verified_met_count,
                "band": progress.band_for(held, a.verified_met_count),
                "band_preliminary": progress.band_for(held, a.verified_met_count if a.verified_met_count is not None
                                                      else own),
                "held_level": held,
                "level_label": Level(held).label if held else "",
            }
        )
    for y in years:
        y["band_label"] = progress.Band(y["band"]).label
    return UnitHistory(unit=unit, years=years, recognitions=recognitions, registrations=registrations)


def district_get(qs: QuerySet[District], code: int) -> District | None:
    return qs.select_related("province").filter(code=code).first()
