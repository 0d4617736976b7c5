"""`check_figures`: every stored fact recomputed from the raw records, unit by unit, and compared.

The recomputation is written apart from the set-based one the writes use (`compute.py`): for each frame
unit it follows DESIGN §2/§7 in plain steps — its holder on the day (lineage), the highest decision of
the programme it or (before it ended) the frame unit holds on that day, the holder's assessments of the
year, its first pilot registration. It shares only the definitions (`readings`) and the lineage walk.
A stored day that differs, a frame unit missing or extra, is one line of the report.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from communes.lineage import Lineage

from ..models import Assessment, FactDay, FrameFact, Programme, Recognition, Registration, Status, Transition
from ..programmes import frame_units
from .compute import FIELDS
from .readings import PRELIMINARY_STATUSES, Step, band_for, local_day, read_as_of, steps_from_dates


@dataclass
class Difference:
    programme: str
    day: datetime.date
    unit: str
    field: str
    stored: object
    expected: object

    def __str__(self) -> str:
        return (f"{self.programme} {self.day:%d/%m/%Y} {self.unit}: {self.field} "
                f"stored {self.stored!r}, recomputed {self.expected!r}")


def expected_facts(programme: Programme, day: datetime.date) -> dict[int, dict]:
    """Frame unit id → its facts on `day`, recomputed from the records."""
    units = list(frame_units(programme).select_related("district", "province"))
    lineage = Lineage.following(units)
    decisions: dict[int, list[Recognition]] = defaultdict(list)
    for r in Recognition.objects.filter(programme=programme):
        decisions[r.unit_id].append(r)
    assessments: dict[int, list[dict]] = defaultdict(list)
    rows = list(Assessment.objects.filter(criteria_set__programme=programme, year=day.year).order_by("id").values(
        "id", "unit_id", "status", "self_met_count", "verified_met_count", "submitted_at", "verified_at",
        "created_at", "updated_at"))
    for a in rows:
        assessments[a["unit_id"]].append(a)
    steps: dict[int, list[Step]] = defaultdict(list)
    for t in Transition.objects.filter(assessment_id__in=[a["id"] for a in rows]).order_by("at", "pk"):
        steps[t.assessment_id].append(Step(t.at, t.from_status, t.to_status))
    registered: dict[int, list[int]] = defaultdict(list)
    for unit_id, year in Registration.objects.filter(programme=programme).values_list("unit_id", "year"):
        registered[unit_id].append(year)
    out = {}
    for unit in units:
        holder = lineage.holder(unit, day)
        out[unit.id] = _expected(unit, holder, day, decisions, assessments, steps, registered)
    return out


def _highest(decisions: list[Recognition], day: datetime.date) -> Recognition | None:
    held = [r for r in decisions if r.decision_date <= day and (r.revoked_on is None or r.revoked_on > day)]
    return max(held, key=lambda r: (r.level, r.decision_date, r.id), default=None)


def _expected(unit, holder, day, decisions, assessments, steps, registered) -> dict:
    own = _highest(decisions[holder.id], day) if holder else None
    mine = _highest(decisions[unit.id], day) if holder is None or holder.id != unit.id else None
    source = own
    if mine is not None and (own is None or mine.level > own.level):
        source = mine
    mine_rows = assessments[holder.id] if holder else []
    verified = [a["verified_met_count"] or 0 for a in mine_rows if a["status"] == Status.VERIFIED]
    own_counts = [a["self_met_count"] or 0 for a in mine_rows if a["status"] in PRELIMINARY_STATUSES]
    official = max(verified) if verified else None
    preliminary = official if official is not None else (max(own_counts) if own_counts else None)
    latest = mine_rows[-1] if mine_rows else None
    history = (steps[latest["id"]] or steps_from_dates(latest)) if latest else []
    reading = read_as_of(latest, history, datetime.date.max) if latest else None
    years = registered[unit.id] + (registered[holder.id] if holder and holder.id != unit.id else [])
    held = source.level if source else None
    return {
        "holder_id": holder.id if holder else None,
        "held_level": held,
        "holder_level": own.level if own else None,
        "decision_number": source.decision_number if source else "",
        "decision_date": source.decision_date if source else None,
        "assessment_id": latest["id"] if latest else None,
        "status": latest["status"] if latest else "",
        "self_met": latest["self_met_count"] if latest and latest["status"] != Status.DRAFT else None,
        "verified_met": latest["verified_met_count"] if latest else None,
        "met_official": official,
        "met_preliminary": preliminary,
        "band": band_for(held, official),
        "band_preliminary": band_for(held, preliminary),
        "submitted_on": reading.submitted_on if reading else None,
        "verified_on": reading.verified_on if reading else None,
        "last_step_on": local_day(history[-1].at) if history else None,
        "pilot_since": min(years) if years else None,
    }


def check(*, programme: Programme | None = None, year: int | None = None) -> tuple[int, list[Difference]]:
    """(stored days checked, differences) for every stored (programme, day), or those of `programme`/`year`."""
    days = FactDay.objects.select_related("programme").order_by("programme__code", "day")
    if programme is not None:
        days = days.filter(programme=programme)
    if year is not None:
        days = days.filter(day__year=year)
    differences: list[Difference] = []
    count = 0
    for fact_day in days:
        count += 1
        p, day = fact_day.programme, fact_day.day
        expected = expected_facts(p, day)
        stored = {f.unit_id: f for f in FrameFact.objects.filter(programme=p, day=day).select_related("unit")}
        for unit_id in sorted(set(expected) | set(stored)):
            fact = stored.get(unit_id)
            if fact is None:
                differences.append(Difference(p.code, day, str(unit_id), "-", "missing", "a frame unit"))
                continue
            if unit_id not in expected:
                differences.append(Difference(p.code, day, fact.unit.code_text, "-", "a frame unit", "not in the frame"))
                continue
            for name in FIELDS:
                if getattr(fact, name) != expected[unit_id][name]:
                    differences.append(Difference(p.code, day, fact.unit.code_text, name, getattr(fact, name),
                                                  expected[unit_id][name]))
    return count, differences
