"""Computing the facts of frame units from the records, set-based (DESIGN §2 and §7).

For one day and any number of programmes, with a constant number of queries: the frame units (all of
them, or the few a write touched), their lineage, the decisions held that day, the holders' assessments
of the day's year with their workflow steps, and the pilot registrations. The result is one dict per
frame unit with the fields of `FrameFact`.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import Min, Q

from communes.lineage import Lineage
from communes.models import Unit

from ..models import Assessment, Programme, Recognition, Registration, Status, Transition
from ..programmes import UNIT_FIELDS, frame_q, in_frame
from .readings import PRELIMINARY_STATUSES, Step, band_for, local_day, read_as_of, steps_from_dates

FIELDS = ("holder_id", "held_level", "holder_level", "decision_number", "decision_date", "assessment_id", "status", "self_met",
          "verified_met", "met_official", "met_preliminary", "band", "band_preliminary", "submitted_on",
          "verified_on", "last_step_on", "pilot_since")


def frame_units(programmes: list[Programme], only: dict[int, set[int]] | None = None) -> dict[int, list[Unit]]:
    """Programme id → its frame units (those of `only[programme id]` when given), in one query."""
    q = Q(pk__in=[])
    for p in programmes:
        part = frame_q(p)
        if part is None:
            continue
        if only is not None:
            part &= Q(id__in=sorted(only.get(p.id, ())))
        q |= part
    by_programme: dict[int, list[Unit]] = {p.id: [] for p in programmes}
    for unit in Unit.objects.filter(q).select_related("district", "province").only(*UNIT_FIELDS).order_by("code"):
        for p in programmes:
            if in_frame(p, unit) and (only is None or unit.id in only.get(p.id, ())):
                by_programme[p.id].append(unit)
    return by_programme


def _decisions(programme_ids: list[int], day: datetime.date, wanted: set[int], by_ids: bool) -> dict:
    """(programme id, unit id) → the unit's highest decision held on `day` (the latest of that level)."""
    qs = Recognition.objects.held_on(day).filter(programme_id__in=programme_ids)
    if by_ids:
        qs = qs.filter(unit_id__in=sorted(wanted))
    out: dict[tuple[int, int], dict] = {}
    for r in qs.order_by("programme_id", "unit_id", "-level", "-decision_date", "-id").values(
        "programme_id", "unit_id", "level", "decision_number", "decision_date"
    ):
        if r["unit_id"] in wanted:
            out.setdefault((r["programme_id"], r["unit_id"]), r)
    return out


def _assessments(programme_ids: list[int], year: int, holders: set[int], by_ids: bool) -> dict:
    """(programme id, holder id) → its assessment figures of `year` and its completeness reading."""
    qs = Assessment.objects.filter(year=year, criteria_set__programme_id__in=programme_ids)
    if by_ids:
        qs = qs.filter(unit_id__in=sorted(holders))
    rows = [a for a in qs.order_by("unit_id", "id").values(
        "id", "unit_id", "criteria_set__programme_id", "status", "self_met_count", "verified_met_count",
        "submitted_at", "verified_at", "created_at", "updated_at") if a["unit_id"] in holders]
    steps: dict[int, list[Step]] = defaultdict(list)
    if rows:
        for t in (Transition.objects.filter(assessment_id__in=[a["id"] for a in rows])
                  .order_by("assessment_id", "at", "pk").values("assessment_id", "from_status", "to_status", "at")):
            steps[t["assessment_id"]].append(Step(t["at"], t["from_status"], t["to_status"]))
    out: dict[tuple[int, int], dict] = {}
    for a in rows:
        row = out.setdefault((a["criteria_set__programme_id"], a["unit_id"]), {"official": None, "own": None})
        if a["status"] == Status.VERIFIED:
            row["official"] = max(row["official"] or 0, a["verified_met_count"] or 0)
        elif a["status"] in PRELIMINARY_STATUSES:
            row["own"] = max(row["own"] or 0, a["self_met_count"] or 0)
        history = steps.get(a["id"]) or steps_from_dates(a)
        reading = read_as_of(a, history, datetime.date.max)
        # The latest assessment (by id) is the one the workflow and completeness read.
        # A draft's count is nobody's figure (its autosave must change no stored fact).
        self_met = None if a["status"] == Status.DRAFT else a["self_met_count"]
        row.update(assessment_id=a["id"], status=a["status"], self_met=self_met,
                   verified_met=a["verified_met_count"], submitted_on=reading.submitted_on,
                   verified_on=reading.verified_on, last_step_on=local_day(history[-1].at) if history else None)
    return out


def _registrations(programme_ids: list[int], units: set[int], by_ids: bool) -> dict[tuple[int, int], int]:
    qs = Registration.objects.filter(programme_id__in=programme_ids)
    if by_ids:
        qs = qs.filter(unit_id__in=sorted(units))
    return {(r["programme_id"], r["unit_id"]): r["first"]
            for r in qs.values("programme_id", "unit_id").annotate(first=Min("year")).order_by()}


def compute(programmes: list[Programme], day: datetime.date, *, only: dict[int, set[int]] | None = None
            ) -> dict[int, dict[int, dict]]:
    """Programme id → frame unit id → its facts on `day` (the frame units of `only` when given)."""
    frames = frame_units(programmes, only)
    lineage = Lineage.following([u for units in frames.values() for u in units])
    holders = {p.id: {u.id: lineage.holder(u, day) for u in frames[p.id]} for p in programmes}
    holder_ids = {h.id for by_unit in holders.values() for h in by_unit.values() if h is not None}
    ended = {u.id for p in programmes for u in frames[p.id]
             if holders[p.id][u.id] is None or holders[p.id][u.id].id != u.id}
    frame_ids = {u.id for units in frames.values() for u in units}
    ids = [p.id for p in programmes]
    # A write touches a few units: read them by id. A whole frame: by programme, skipping what is not wanted.
    by_ids = only is not None
    decisions = _decisions(ids, day, holder_ids | ended, by_ids)
    assessments = _assessments(ids, day.year, holder_ids, by_ids)
    registrations = _registrations(ids, frame_ids | holder_ids, by_ids)
    out: dict[int, dict[int, dict]] = {}
    for p in programmes:
        facts = out[p.id] = {}
        for unit in frames[p.id]:
            holder = holders[p.id][unit.id]
            facts[unit.id] = _fact(p.id, unit, holder, decisions, assessments, registrations)
    return out


def _fact(pid: int, unit: Unit, holder: Unit | None, decisions: dict, assessments: dict,
          registrations: dict) -> dict:
    own = decisions.get((pid, holder.id)) if holder is not None else None
    # Decisions a frame unit holds itself, made before it ended, still count (§7).
    mine = decisions.get((pid, unit.id)) if holder is None or holder.id != unit.id else None
    source = mine if mine and (not own or mine["level"] > own["level"]) else own
    a = assessments.get((pid, holder.id), {}) if holder is not None else {}
    official = a.get("official")
    preliminary = official if official is not None else a.get("own")
    held = source["level"] if source else None
    years = [y for y in (registrations.get((pid, unit.id)), registrations.get((pid, holder.id)) if holder else None)
             if y is not None]
    return {
        "holder_id": holder.id if holder else None,
        "held_level": held,
        "holder_level": own["level"] if own else None,
        "decision_number": source["decision_number"] if source else "",
        "decision_date": source["decision_date"] if source else None,
        "assessment_id": a.get("assessment_id"),
        "status": a.get("status") or "",
        "self_met": a.get("self_met"),
        "verified_met": a.get("verified_met"),
        "met_official": official,
        "met_preliminary": preliminary,
        "band": band_for(held, official),
        "band_preliminary": band_for(held, preliminary),
        "submitted_on": a.get("submitted_on"),
        "verified_on": a.get("verified_on"),
        "last_step_on": a.get("last_step_on"),
        "pilot_since": min(years) if years else None,
    }
