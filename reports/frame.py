"""Reading a programme's frame from the stored figures (DESIGN §2, §6, §7).

The facts of each frame unit on a day — its holder, the level it counts, its bands, its holder's
assessment — are stored and kept up to date by the writes (`assessments.facts`). A report reads them
with set-based SQL whose cost grows with the rows it shows, not with the country: `FrameTable` (one row
per frame unit, with the names joined) and `Tally` (frame units grouped by district, band and level).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, F
from django.utils.translation import gettext as _

from assessments import facts
from assessments.facts.readings import BAND_KEYS, BAND_RANK, PRELIMINARY_STATUSES, band_for, year_end
from assessments.models import LEVEL_KEYS, FrameFact, Level, Programme

OFFICIAL, PRELIMINARY = "official", "preliminary"
FIGURES = (OFFICIAL, PRELIMINARY)
LEVEL_NAMES = tuple(LEVEL_KEYS[level] for level in (Level.COMMUNE, Level.DISTRICT, Level.PROVINCE))

__all__ = ["BAND_KEYS", "FIGURES", "LEVEL_NAMES", "OFFICIAL", "PRELIMINARY", "PRELIMINARY_STATUSES", "FrameTable",
           "Tally", "band_for", "tokens", "year_end"]

ROW_FIELDS = {
    "code": F("unit__code"), "name": F("unit__name"), "kind": F("unit__kind"),
    "district__code": F("unit__district__code"), "district__name": F("unit__district__name"),
    "holder_code": F("holder__code"), "holder_name": F("holder__name"), "holder_kind": F("holder__kind"),
    "holder_province_code": F("holder__province__code"), "holder_province_name": F("holder__province__name"),
    "band_official": F("band"),
}
FACT_FIELDS = ("unit_id", "holder_id", "held_level", "holder_level", "decision_number", "decision_date", "status", "self_met",
               "verified_met", "met_official", "met_preliminary", "band_preliminary", "pilot_since",
               "assessment_id", "submitted_on", "verified_on", "last_step_on")


def tokens(programmes: list[Programme], days) -> dict:
    """The tokens of the stored days a computation reads (stored first if needed): its cache key."""
    return facts.ensure(programmes, days)


def _row(fact: dict, figures: str) -> dict:
    met = fact["met_preliminary"] if figures == PRELIMINARY else fact["met_official"]
    holder_id = fact["holder_id"]
    return {
        **fact,
        "id": fact["unit_id"],
        "held_by_other": holder_id is not None and holder_id != fact["unit_id"],
        "met": met,
        "band": fact["band_preliminary"] if figures == PRELIMINARY else fact["band_official"],
        "decision_number": fact["decision_number"] or None,
    }


@dataclass
class FrameTable:
    """The frame of a programme on a day, each frame unit with its holder's figures."""

    programme: Programme
    year: int
    day: datetime.date
    figures: str
    rows: list[dict]  # one per frame unit, by code
    holders: dict[int, dict]  # holder id → the holder's own figures

    @classmethod
    def load(cls, *, programme: Programme, year: int, figures: str = OFFICIAL,
             day: datetime.date | None = None) -> FrameTable:
        day = day or year_end(year)
        facts.ensure([programme], [day])
        found = list(FrameFact.objects.filter(programme=programme, day=day).order_by("unit__code", "unit_id")
                     .values(*FACT_FIELDS, **ROW_FIELDS))
        return cls.of(programme, year, day, found, figures)

    @classmethod
    def of(cls, programme: Programme, year: int, day: datetime.date, found: list[dict], figures: str) -> FrameTable:
        rows = [_row(f, figures) for f in found]
        return cls(programme, year, day, figures, rows, _holders(rows, figures))

    def as_figures(self, figures: str) -> FrameTable:
        """The same frame under the other figures (official ↔ preliminary), without reading it again."""
        return self if figures == self.figures else FrameTable.of(self.programme, self.year, self.day, self.rows,
                                                                  figures)

    @property
    def total(self) -> int:
        return len(self.rows)

    def holder_ids(self) -> set[int]:
        return set(self.holders)


def _holders(rows: list[dict], figures: str) -> dict[int, dict]:
    """Each holder's own figures: its own highest decision and its band under the chosen figures."""
    out: dict[int, dict] = {}
    for r in rows:
        if r["holder_id"] is None or r["holder_id"] in out:
            continue
        out[r["holder_id"]] = {
            "id": r["holder_id"], "code": r["holder_code"], "name": r["holder_name"], "kind": r["holder_kind"],
            "province__code": r["holder_province_code"], "province__name": r["holder_province_name"],
            "held_level": r["holder_level"], "met": r["met"], "status": r["status"] or None,
            "self_met": r["self_met"], "verified_met": r["verified_met"],
            "band": band_for(r["holder_level"], r["met"]),
        }
    return out


@dataclass
class Tally:
    """Frame units grouped by district, band, highest level and first pilot year (`n` units each)."""

    rows: list[dict]

    @classmethod
    def of(cls, units: list[dict]) -> Tally:
        grouped: dict[tuple, int] = defaultdict(int)
        names: dict[int | None, str] = {}
        for u in units:
            grouped[(u["district__code"], u["band"], u["held_level"], u.get("pilot_since"))] += 1
            names[u["district__code"]] = u["district__name"]
        return cls([{"district__code": d, "district__name": names[d], "band": b, "held_level": h, "pilot_since": p,
                     "n": n} for (d, b, h, p), n in grouped.items()])

    @classmethod
    def load_many(cls, programmes: list[Programme], day: datetime.date, figures: str = OFFICIAL
                  ) -> dict[int, Tally]:
        """Many programmes' tallies of one day in one grouped query (stored first if needed)."""
        facts.ensure(programmes, [day])
        band = "band_preliminary" if figures == PRELIMINARY else "band"
        out = {p.id: cls([]) for p in programmes}
        for r in (FrameFact.objects.filter(programme__in=[p.id for p in programmes], day=day)
                  .values("programme_id", "held_level", "pilot_since", district__code=F("unit__district__code"),
                          district__name=F("unit__district__name"), counted_band=F(band))
                  .annotate(n=Count("id")).order_by()):
            r["band"] = r.pop("counted_band")
            out[r.pop("programme_id")].rows.append(r)
        return out

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

    def pilots_at_least(self, level: int, year: int) -> int:
        """Frame units registered as pilots (themselves or their holder) by `year` holding ≥ `level`."""
        return sum(r["n"] for r in self.rows
                   if r["pilot_since"] is not None and r["pilot_since"] <= year and (r["held_level"] or 0) >= level)

    def districts(self) -> list[dict]:
        by_code: dict[int, dict] = {}
        for r in sorted(self.rows, key=lambda r: (r["district__code"] is None, r["district__code"] or 0)):
            d = by_code.setdefault(r["district__code"], {
                "code": str(r["district__code"]) if r["district__code"] is not None else "",
                "name": r["district__name"] or _("Không thuộc huyện"),
                "units": 0,
                "recognized": dict.fromkeys(LEVEL_NAMES, 0),
                "bands": dict.fromkeys(BAND_KEYS, 0),
            })
            d["units"] += r["n"]
            d["bands"][r["band"]] += r["n"]
            if r["held_level"]:
                d["recognized"][LEVEL_KEYS[Level(r["held_level"])]] += r["n"]
        return list(by_code.values())

    def districts_reaching(self, level: int, number: int) -> tuple[int, int]:
        """(frame districts with ≥ number units at ≥ level, frame districts)."""
        per_district: dict[int, int] = defaultdict(int)
        for r in self.rows:
            if r["district__code"] is None:
                continue
            per_district[r["district__code"]] += r["n"] if (r["held_level"] or 0) >= level else 0
        return sum(1 for n in per_district.values() if n >= number), len(per_district)
