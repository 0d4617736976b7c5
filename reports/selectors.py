"""Reads for the report pages: unit tables, the unit × criterion matrix and a unit's history.

Each function runs a constant number of queries whatever the number of units. Scoping (who
may see which district or unit) is decided by the views through accounts.permissions; the
functions here take an already-checked district or unit.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.safestring import mark_safe

from assessments.models import LEVEL_KEYS, Assessment, CriterionResult, Level, Recognition, Registration, Result, Status
from communes.models import District, Unit

from . import progress
from .progress import OFFICIAL, PRELIMINARY, PRELIMINARY_STATUSES, year_end


def report_years(*, programme) -> list[int]:
    """Years that have assessments in the programme, latest first (one small query)."""
    qs = Assessment.objects.filter(criteria_set__programme=programme).order_by().values_list("year", flat=True)
    return sorted(set(qs.distinct()), reverse=True)


def _labelled(rows: list[dict]) -> list[dict]:
    for r in rows:
        r["level_key"] = LEVEL_KEYS.get(r["held_level"]) if r["held_level"] else None
        r["level_label"] = Level(r["held_level"]).label if r["held_level"] else ""
        r["status_label"] = Status(r["status"]).label if r["status"] else ""
        r["band_label"] = progress.Band(r["band"]).label
    return rows


def unit_rows(
    *, year: int, programme, figures: str = OFFICIAL, district: District | None = None,
    table: progress.FrameTable | None = None,
) -> list[dict]:
    """Every frame unit (of one district, if given) with its holder, band, counts, status and recognition."""
    table = table or progress.FrameTable.load(programme=programme, year=year, figures=figures)
    rows = [dict(r) for r in table.rows if district is None or r["district__code"] == district.code]
    rows.sort(key=lambda r: (r["district__code"] or 0, r["code"]))
    return _labelled(rows)


def holder_table(*, year: int, programme, figures: str = OFFICIAL, unit_ids: set[int] | None = None) -> list[dict]:
    """The current map: holders as rows with their own results and the frame units they carry."""
    table = progress.FrameTable.load(programme=programme, year=year, figures=figures)
    rows = progress.holder_rows(table, with_status=True)
    if unit_ids is not None:
        rows = [r for r in rows if r["id"] in unit_ids]
    for r in rows:
        r["band_label"] = progress.Band(r["band"]).label
        r["status_label"] = Status(r["status"]).label if r["status"] else ""
        r["level_label"] = Level(LEVEL_VALUES[r["held_level"]]).label if r["held_level"] else ""
    return rows


LEVEL_VALUES = {key: level for level, key in LEVEL_KEYS.items()}


CELL_HTML = {"met": '<td class="met">✓</td>', "not-met": '<td class="not-met">✗</td>', "none": '<td class="none">·</td>'}


class Cells(list):
    """One row of the matrix: its cells ("met" / "not-met" / "none"), drawn as table cells by the template in one
    step (a template loop over 16 cells × hundreds of units cost most of the page)."""

    @property
    def html(self) -> str:
        return mark_safe("".join(CELL_HTML[c] for c in self))  # noqa: S308 — constant markup, no user text


@dataclass
class Matrix:
    criteria: list[dict]  # compliance rows, by number
    rows: list[tuple[dict, list[str]]]  # (unit row, one cell per criterion: "met" / "not-met" / "none")


def matrix(*, year: int, programme, figures: str = OFFICIAL, district: District | None = None):
    """Frame unit × criterion heat map (each row shows its holder's results) plus compliance."""
    units = unit_rows(year=year, programme=programme, figures=figures, district=district)
    holder_ids = {u["holder_id"] for u in units if u["holder_id"]}
    criteria = progress.criteria_compliance(year=year, programme=programme, figures=figures, unit_ids=holder_ids)
    statuses = [Status.VERIFIED] + (list(PRELIMINARY_STATUSES) if figures == PRELIMINARY else [])
    results = (
        CriterionResult.objects.filter(
            assessment__year=year, assessment__status__in=statuses, assessment__unit_id__in=sorted(holder_ids),
            assessment__criteria_set__programme=programme,
        )
        .values_list("assessment__unit_id", "criterion__number", "assessment__status", "self_result", "verified_result")
    )
    cells: dict[tuple[int, int], str] = {}
    for unit_id, number, status, self_result, verified_result in results:
        value = verified_result if status == Status.VERIFIED else self_result
        cells[(unit_id, number)] = {Result.MET: "met", Result.NOT_MET: "not-met"}.get(value, "none")
    numbers = [c["number"] for c in criteria]
    rows = [(u, Cells(cells.get((u["holder_id"], n), "none") for n in numbers)) for u in units]
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


def unit_history(*, unit: Unit, programme=None, units: list[Unit] | None = None) -> UnitHistory:
    """Assessments over the years with the band each year (three queries), for a unit and — across
    the 2025 reform — the units it came from (`units`, the unit itself included)."""
    units = units or [unit]
    ids = [u.id for u in units]
    names = {u.id: u for u in units}
    recognitions = list(Recognition.objects.filter(unit_id__in=ids).select_related("programme", "unit")
                        .order_by("decision_date", "level"))
    # The unit's own pilot registrations (a predecessor's are its own history, shown on its page).
    registrations = list(Registration.objects.filter(unit=unit).order_by("year").values_list("year", flat=True))
    years = []
    assessments = Assessment.objects.filter(unit_id__in=ids).select_related("criteria_set__programme")
    if programme is not None:
        assessments = assessments.filter(criteria_set__programme=programme)
    by_unit: dict[int, list[Recognition]] = {}
    for r in recognitions:
        by_unit.setdefault((r.unit_id, r.programme_id), []).append(r)
    for a in assessments.order_by("year", "unit__code", "id").only(
        "year", "status", "self_met_count", "verified_met_count", "unit_id", "criteria_set__programme"
    ):
        held = _held_level_on(by_unit.get((a.unit_id, a.criteria_set.programme_id), []), year_end(a.year))
        own = a.self_met_count if a.status in PRELIMINARY_STATUSES else None
        years.append(
            {
                "year": a.year,
                "unit": names[a.unit_id],
                "own": a.unit_id == unit.id,
                "programme": a.criteria_set.programme,
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
