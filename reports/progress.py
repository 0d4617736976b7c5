"""Progress against Resolution 12/NQ-TU: the numbers of DESIGN §2 "Reading the targets" and §5.

The reading, implemented exactly (people take these numbers into meetings):

* **Scope** for a report "as of year Y": the units of the province whose kind is in the
  programme's ``unit_kinds`` (xã + thị trấn) and that existed in Y (``Unit.objects.existing_in``).
* **Band**: each unit is in exactly one band, the first that matches —
  ``recognized`` (holds a recognition at any level dated ≤ 31/12/Y and not revoked by then,
  ``Recognition.objects.held_on``) · ``13+`` (verified assessment of Y with
  ``verified_met_count`` ≥ 13) · ``10-12`` · ``9`` · ``0-8`` · ``not_assessed``.
  *Preliminary* figures are the same, except that a unit without a verified assessment uses the
  ``self_met_count`` of its submitted or returned self-assessment (drafts never count).
* **Targets** come from the Target table. A target with deadline D is evaluated as of
  31/12 of min(Y, D.year): the units existing then, the assessments of that year and the
  recognitions held on that day.

  - ``recognized``: units whose highest held level ≥ the target's level.
  - The 2025 **tiers** (same deadline: recognised at commune level, ``13+``, ``10-12``, ``9``)
    are exclusive. Tier order recognised > 13+ > 10-12 > 9; ``cumulative_target`` is the sum of
    the numbers of this tier and the higher ones with the same deadline, ``cumulative_actual``
    the units in this tier or a higher one; ``met`` = cumulative_actual ≥ cumulative_target.
    ``actual`` is the units in exactly this tier. The tiers add up to 131 (+ 3 at district
    level), not 139.
  - ``pilot_recognized`` (2022): units registered as pilots in any year ≤ D.year that hold a
    recognition at the target's level or higher.
  - ``per_district`` (2030): ``actual`` = districts (with units in scope) having at least
    ``number`` units recognised at the target's level or higher; ``target`` = the number of
    those districts; met when all have.
  - For every other target ``cumulative_*`` equal ``target``/``actual`` and met = actual ≥ target.
* ``districts`` and ``criteria`` use the figures of year Y (official: verified assessments
  only); ``recognized`` counts units by their HIGHEST level held on 31/12/Y.

Everything is aggregated in SQL on the cached ``verified_met_count``/``self_met_count``: one
grouped query per evaluation year, never one query per unit.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from assessments.models import (
    LEVEL_KEYS,
    Assessment,
    Band,
    CriterionResult,
    Level,
    Programme,
    Recognition,
    Registration,
    Result,
    Status,
    Target,
    TargetKind,
)
from communes.models import Unit

PROGRAMME_CODE = "commune_model"
OFFICIAL, PRELIMINARY = "official", "preliminary"
FIGURES = (OFFICIAL, PRELIMINARY)
PRELIMINARY_STATUSES = (Status.SUBMITTED, Status.RETURNED)

# The one definition of the count bands (SQL and Python both build on it): band, lowest count.
BAND_FLOORS = ((Band.B13, 13), (Band.B10, 10), (Band.B9, 9), (Band.B0, 0))
# Highest first: also the tier order of the 2025 targets.
BAND_ORDER = (Band.RECOGNIZED, Band.B13, Band.B10, Band.B9, Band.B0, Band.NOT_ASSESSED)
BAND_RANK = {str(band): rank for rank, band in enumerate(BAND_ORDER)}
BAND_KEYS = tuple(str(b) for b in BAND_ORDER)
LEVEL_NAMES = tuple(LEVEL_KEYS[level] for level in (Level.COMMUNE, Level.DISTRICT, Level.PROVINCE))


def year_end(year: int) -> datetime.date:
    return datetime.date(year, 12, 31)


def band_for(held_level: int | None, met: int | None) -> str:
    """The band of one unit (used where a single unit is shown; reports group in SQL)."""
    if held_level:
        return Band.RECOGNIZED.value
    if met is None:
        return Band.NOT_ASSESSED.value
    for band, floor in BAND_FLOORS:
        if met >= floor:
            return band.value
    return Band.NOT_ASSESSED.value


def band_expression(held: str = "held_level", met: str = "met") -> Case:
    whens = [When(**{f"{held}__isnull": False}, then=Value(Band.RECOGNIZED.value))]
    whens += [When(**{f"{met}__gte": floor}, then=Value(band.value)) for band, floor in BAND_FLOORS]
    return Case(*whens, default=Value(Band.NOT_ASSESSED.value), output_field=CharField())


def programme_get() -> Programme | None:
    """The commune programme the resolution is about (xã + thị trấn)."""
    return Programme.objects.filter(code=PROGRAMME_CODE).first() or Programme.objects.order_by("code").first()


def default_province_code() -> int:
    return settings.PORTAL_PROVINCE_CODE


def scope_units(*, year: int, province_code: int, programme: Programme | None) -> QuerySet[Unit]:
    kinds = list(programme.unit_kinds or []) if programme else []
    return Unit.objects.existing_in(year).filter(district__province__code=province_code, kind__in=kinds)


def annotate_units(qs: QuerySet[Unit], *, year: int, programme: Programme | None, figures: str = OFFICIAL):
    """Add held_level (highest level held on 31/12/year), met (count used) and band to units."""
    held = (
        Recognition.objects.held_on(year_end(year)).filter(unit=OuterRef("pk")).order_by("-level").values("level")[:1]
    )
    assessments = Assessment.objects.filter(unit=OuterRef("pk"), year=year, criteria_set__programme=programme)
    verified = assessments.filter(status=Status.VERIFIED).order_by("-verified_met_count").values("verified_met_count")
    met = Subquery(verified[:1], output_field=IntegerField())
    if figures == PRELIMINARY:
        own = assessments.filter(status__in=PRELIMINARY_STATUSES).order_by("-self_met_count").values("self_met_count")
        met = Coalesce(met, Subquery(own[:1], output_field=IntegerField()), output_field=IntegerField())
    return qs.annotate(held_level=Subquery(held, output_field=IntegerField()), met=met).annotate(
        band=band_expression()
    )


@dataclass
class Tally:
    """Units grouped by district, band and highest held level (one SQL query)."""

    rows: list[dict]

    @classmethod
    def load(cls, *, year: int, province_code: int, programme, figures: str = OFFICIAL) -> Tally:
        qs = annotate_units(
            scope_units(year=year, province_code=province_code, programme=programme),
            year=year, programme=programme, figures=figures,
        )
        rows = qs.order_by().values("district__code", "district__name", "band", "held_level").annotate(n=Count("id"))
        return cls(list(rows))

    @property
    def total(self) -> int:
        return sum(r["n"] for r in self.rows)

    def bands(self) -> dict[str, int]:
        counts = dict.fromkeys(BAND_KEYS, 0)
        for r in self.rows:
            counts[r["band"]] += r["n"]
        return counts

    def at_least_level(self, level: int) -> int:
        return sum(r["n"] for r in self.rows if (r["held_level"] or 0) >= level)

    def tier_or_higher(self, band: str) -> int:
        return sum(r["n"] for r in self.rows if BAND_RANK[r["band"]] <= BAND_RANK[band])

    def in_band(self, band: str) -> int:
        return sum(r["n"] for r in self.rows if r["band"] == band)

    def districts(self) -> list[dict]:
        by_code: dict[int, dict] = {}
        for r in sorted(self.rows, key=lambda r: r["district__code"]):
            d = by_code.setdefault(
                r["district__code"],
                {
                    "code": str(r["district__code"]),
                    "name": r["district__name"],
                    "units": 0,
                    "recognized": dict.fromkeys(LEVEL_NAMES, 0),
                    "bands": dict.fromkeys(BAND_KEYS, 0),
                },
            )
            d["units"] += r["n"]
            d["bands"][r["band"]] += r["n"]
            if r["held_level"]:
                d["recognized"][LEVEL_KEYS[Level(r["held_level"])]] += r["n"]
        return list(by_code.values())

    def districts_reaching(self, level: int, number: int) -> tuple[int, int]:
        """(districts with ≥ number units at ≥ level, districts in scope)."""
        per_district: dict[int, int] = defaultdict(int)
        for r in self.rows:
            per_district[r["district__code"]] += r["n"] if (r["held_level"] or 0) >= level else 0
        return sum(1 for n in per_district.values() if n >= number), len(per_district)


def _is_tier(target: Target) -> bool:
    return target.kind == TargetKind.BAND or (
        target.kind == TargetKind.RECOGNIZED and target.level == Level.COMMUNE
    )


def _tier_band(target: Target) -> str:
    return Band.RECOGNIZED.value if target.kind == TargetKind.RECOGNIZED else target.band


def deadline_state(deadline: datetime.date, year: int) -> str:
    """past / current / future, seen from the report year."""
    if deadline.year < year:
        return "past"
    return "current" if deadline.year == year else "future"


def _pilot_count(*, target: Target, as_of: int, province_code: int, programme) -> int:
    registered = Registration.objects.filter(unit=OuterRef("pk"), year__lte=target.deadline.year)
    held = Recognition.objects.held_on(year_end(as_of)).filter(
        unit=OuterRef("pk"), level__gte=target.level or Level.COMMUNE
    )
    units = scope_units(year=as_of, province_code=province_code, programme=programme)
    return units.filter(Exists(registered), Exists(held)).count()


def evaluate_targets(
    targets: list[Target], *, year: int, province_code: int, programme, figures: str, tallies: dict[int, Tally]
) -> list[dict]:
    """Each target evaluated as of min(year, deadline year); `tallies` is filled as needed."""

    def tally(as_of: int) -> Tally:
        if as_of not in tallies:
            tallies[as_of] = Tally.load(year=as_of, province_code=province_code, programme=programme, figures=figures)
        return tallies[as_of]

    tiers: dict[datetime.date, list[Target]] = defaultdict(list)
    for t in targets:
        if _is_tier(t):
            tiers[t.deadline].append(t)
    out = []
    for t in targets:
        as_of = min(year, t.deadline.year)
        counts = tally(as_of)
        number = t.number
        tier = _is_tier(t) and (len(tiers[t.deadline]) > 1 or t.kind == TargetKind.BAND)
        if t.kind == TargetKind.PILOT_RECOGNIZED:
            actual = _pilot_count(target=t, as_of=as_of, province_code=province_code, programme=programme)
        elif t.kind == TargetKind.RECOGNIZED:
            actual = counts.at_least_level(t.level or Level.COMMUNE)
        elif t.kind == TargetKind.BAND:
            actual = counts.in_band(t.band)
        elif t.kind == TargetKind.PER_DISTRICT:
            actual, number = counts.districts_reaching(t.level or Level.DISTRICT, t.number)
        else:  # an unknown kind entered in the admin: shown, never counted as met
            actual = 0
        if tier:
            band = _tier_band(t)
            cumulative_target = sum(
                o.number for o in tiers[t.deadline] if BAND_RANK[_tier_band(o)] <= BAND_RANK[band]
            )
            cumulative_actual = counts.tier_or_higher(band)
        else:
            cumulative_target, cumulative_actual = number, actual
        out.append(
            {
                "key": t.key,
                "deadline": t.deadline.isoformat(),
                "text": t.text,
                "target": number,
                "actual": actual,
                "cumulative_target": cumulative_target,
                "cumulative_actual": cumulative_actual,
                "met": cumulative_actual >= cumulative_target and t.kind in TargetKind.values,
                # Extra keys (allowed by §5): how the number was read.
                "kind": t.kind,
                "level": LEVEL_KEYS.get(t.level) if t.level else None,
                "band": t.band or None,
                "tier": tier,
                "as_of": year_end(as_of).isoformat(),
                "deadline_state": deadline_state(t.deadline, year),
                "resolution": t.resolution,
            }
        )
    return out


def criteria_compliance(
    *, year: int, province_code: int, programme, figures: str = OFFICIAL, district_code: int | None = None
) -> list[dict]:
    """Per criterion number: assessments that met it and assessments counted (one query)."""
    units = scope_units(year=year, province_code=province_code, programme=programme)
    if district_code is not None:
        units = units.filter(district__code=district_code)
    qs = CriterionResult.objects.filter(
        assessment__year=year, assessment__unit__in=units.values("id"), assessment__criteria_set__programme=programme
    )
    verified_met = Q(assessment__status=Status.VERIFIED, verified_result=Result.MET)
    if figures == PRELIMINARY:
        counted = Q(assessment__status=Status.VERIFIED) | Q(assessment__status__in=PRELIMINARY_STATUSES)
        met = verified_met | Q(assessment__status__in=PRELIMINARY_STATUSES, self_result=Result.MET)
    else:
        counted, met = Q(assessment__status=Status.VERIFIED), verified_met
    rows = (
        qs.filter(counted)
        .values("criterion__number")
        .annotate(title=Max("criterion__title"), met=Count("id", filter=met), assessed=Count("id"))
        .order_by("criterion__number")
    )
    return [
        {"number": r["criterion__number"], "title": r["title"], "met": r["met"], "assessed": r["assessed"]}
        for r in rows
    ]


def build_report(*, year: int, province_code: int | None = None, figures: str = OFFICIAL) -> dict:
    """The §5 structure; with figures="preliminary" targets, districts and criteria use preliminary figures.

    "bands" is always official and "bands_preliminary" always preliminary.
    """
    if figures not in FIGURES:
        raise ValueError(f"figures must be one of {FIGURES}")
    province_code = default_province_code() if province_code is None else int(province_code)
    programme = programme_get()
    official = Tally.load(year=year, province_code=province_code, programme=programme, figures=OFFICIAL)
    preliminary = Tally.load(year=year, province_code=province_code, programme=programme, figures=PRELIMINARY)
    chosen = preliminary if figures == PRELIMINARY else official
    tallies = {year: chosen}
    targets = evaluate_targets(
        list(Target.objects.order_by("deadline", "sort_order", "key")),
        year=year, province_code=province_code, programme=programme, figures=figures, tallies=tallies,
    )
    return {
        "year": year,
        "province_code": str(province_code),
        "figures": figures,
        "as_of": year_end(year).isoformat(),
        "units_total": official.total,
        "bands": official.bands(),
        "bands_preliminary": preliminary.bands(),
        "targets": targets,
        "districts": chosen.districts(),
        "criteria": criteria_compliance(
            year=year, province_code=province_code, programme=programme, figures=figures
        ),
        "note": (
            "Các mục tiêu năm 2025 theo nhóm là các nhóm loại trừ nhau: 20 + 30 + 50 + 31 = 131 xã, thị trấn "
            "(cộng 3 xã công nhận cấp huyện), không phải 139."
        ),
    }


def progress_report(*, year: int, province_code: int | None = None) -> dict:
    """Official progress report of `year` as the DESIGN §5 JSON structure (see the module docstring)."""
    return build_report(year=year, province_code=province_code, figures=OFFICIAL)
