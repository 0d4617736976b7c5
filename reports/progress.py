"""Progress against a programme's targets: the numbers of DESIGN §2 "Reading the targets", §5 and §7.

The reading, implemented exactly (people take these numbers into meetings):

* **Frame**: the units of the programme's kinds in its territory in force on the resolution date
  (139 xã + thị trấn for 12/NQ-TU), whatever the year of the report (`assessments.programmes`).
* **Holder**: for year Y each frame unit is held by itself if in force on 31/12/Y, else by its
  (primary) successor in force then. A merged commune holding three frame units counts three times.
* **Band**: each frame unit is in exactly one band, the first that matches —
  ``recognized`` (it, before it ended, or its holder holds a non-revoked recognition of this
  programme at any level dated ≤ 31/12/Y) · ``13+`` (its holder's verified assessment of Y in this
  programme with ``verified_met_count`` ≥ 13) · ``10-12`` · ``9`` · ``0-8`` · ``not_assessed``.
  *Preliminary* figures are the same, except that a holder without a verified assessment uses the
  ``self_met_count`` of its submitted or returned self-assessment (drafts never count).
* **Targets** (the programme's own): a target with deadline D is evaluated as of min(31/12/Y, D).

  - ``recognized``: frame units whose highest held level ≥ the target's level.
  - The **tiers** of one deadline (recognised at commune level, ``13+``, ``10-12``, ``9``) are
    exclusive; ``cumulative_target`` is the sum of this tier's number and the higher ones',
    ``cumulative_actual`` the units in this tier or a higher one; met = cumulative_actual ≥
    cumulative_target. ``actual`` is the units in exactly this tier.
  - ``pilot_recognized``: frame units registered as pilots (themselves or their holder) in any
    year ≤ D's year that hold a recognition at the target's level or higher.
  - ``per_district``: ``actual`` = frame districts having ≥ ``number`` units recognised at the
    target's level or higher; ``target`` = the number of frame districts; met when all have.
  - A target with nothing in its frame (no unit, no district) is never met.
* ``districts`` are the frame's districts; ``criteria`` counts the holders' assessments of Y.

Everything is read with a constant number of queries, whatever the number of units: the frame
and its lineage, one grouped query for the holders and one for the frame units' own decisions.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import (
    Case,
    CharField,
    Count,
    Max,
    Q,
    Value,
    When,
)
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

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
from assessments.programmes import Frame, programme_get
from criteria_portal.figures import cached

from .inventory import model_inventory

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

__all__ = ["programme_get"]  # re-exported: views and commands take the programme from here


def year_end(year: int) -> datetime.date:
    return datetime.date(year, 12, 31)


def band_for(held_level: int | None, met: int | None) -> str:
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


@dataclass
class FrameData:
    """What a frame report reads for one programme and day, set-based and without any per-unit
    subquery: the frame and its lineage, then ONE query for the decisions held (by the holders and by
    the frame units that ended) and ONE for the holders' assessments of the year."""

    frame: Frame
    year: int
    day: datetime.date
    decisions: dict[int, dict]  # unit id → its highest decision held on `day`
    assessments: dict[int, dict]  # holder id → status, counts, verified and preliminary met

    @classmethod
    def load(cls, *, programme: Programme, year: int, day: datetime.date | None = None) -> FrameData:
        day = day or year_end(year)
        frame = Frame.load(programme, year, on=day)
        return cls.load_many([programme], year, day, frames={programme.id: frame})[programme.id]

    @classmethod
    def load_many(cls, programmes: list[Programme], year: int, day: datetime.date | None = None, *,
                  frames: dict[int, Frame] | None = None) -> dict[int, FrameData]:
        """Many programmes' frames read together: the same two queries whatever their number."""
        day = day or year_end(year)
        frames = frames or Frame.load_many(programmes, year, on=day)
        wanted: dict[int, set[int]] = {}
        for p in programmes:
            frame = frames[p.id]
            ended = {u.id for u in frame.units if frame.holders[u.id] is None or frame.holders[u.id].id != u.id}
            wanted[p.id] = frame.holder_ids() | ended
        all_ids = sorted(set().union(*wanted.values())) if wanted else []
        decisions: dict[int, dict[int, dict]] = {p.id: {} for p in programmes}
        assessments: dict[int, dict[int, dict]] = {p.id: {} for p in programmes}
        if all_ids:
            # By programme, not by a list of thousands of unit ids: the rows not wanted are skipped below.
            for r in (
                Recognition.objects.held_on(day).filter(programme_id__in=list(decisions))
                .order_by("programme_id", "unit_id", "-level", "-decision_date")
                .values("programme_id", "unit_id", "level", "decision_number", "decision_date")
            ):
                if r["unit_id"] in wanted[r["programme_id"]]:
                    # The first of a unit: the highest level, the latest decision.
                    decisions[r["programme_id"]].setdefault(r["unit_id"], r)
            for a in (
                Assessment.objects.filter(year=year, criteria_set__programme_id__in=list(assessments))
                .order_by("unit_id", "id")
                .values("criteria_set__programme_id", "unit_id", "status", "self_met_count", "verified_met_count")
            ):
                pid = a["criteria_set__programme_id"]
                if a["unit_id"] not in frames[pid].holder_ids():
                    continue
                row = assessments[pid].setdefault(a["unit_id"], {"verified": None, "own": None})
                row.update(status=a["status"], self_met=a["self_met_count"], verified_met=a["verified_met_count"])
                if a["status"] == Status.VERIFIED:
                    row["verified"] = max(row["verified"] or 0, a["verified_met_count"] or 0)
                elif a["status"] in PRELIMINARY_STATUSES:
                    row["own"] = max(row["own"] or 0, a["self_met_count"] or 0)
        return {p.id: cls(frames[p.id], year, day, decisions[p.id], assessments[p.id]) for p in programmes}

    def holder_figures(self, figures: str) -> dict[int, dict]:
        """Each holder's own figures: its highest decision, the count used (official or preliminary), band."""
        out = {}
        for h in self.frame.holder_list():
            d = self.decisions.get(h.id) or {}
            a = self.assessments.get(h.id) or {}
            met = a.get("verified")
            if met is None and figures == PRELIMINARY:
                met = a.get("own")
            out[h.id] = {
                "id": h.id, "code": h.code, "name": h.name, "kind": h.kind, "province__code": h.province.code,
                "province__name": h.province.name, "held_level": d.get("level"),
                "decision_number": d.get("decision_number"), "decision_date": d.get("decision_date"),
                "met": met, "status": a.get("status"), "self_met": a.get("self_met"),
                "verified_met": a.get("verified_met"), "band": band_for(d.get("level"), met),
            }
        return out


@dataclass
class FrameTable:
    """The frame of a programme in one year, each frame unit with its holder's figures."""

    frame: Frame
    figures: str
    rows: list[dict]  # one per frame unit
    holders: dict[int, dict]  # holder id → the holder's own figures

    @classmethod
    def load(cls, *, programme: Programme, year: int, figures: str = OFFICIAL,
             day: datetime.date | None = None) -> FrameTable:
        return cls.of(FrameData.load(programme=programme, year=year, day=day), figures)

    @classmethod
    def of(cls, data: FrameData, figures: str) -> FrameTable:
        frame = data.frame
        holders = data.holder_figures(figures)
        rows = []
        for unit in frame.units:
            holder = frame.holders[unit.id]
            h = holders.get(holder.id) if holder is not None else None
            # Decisions a frame unit holds itself, made before it ended, still count (§7).
            mine = data.decisions.get(unit.id) if (holder is None or holder.id != unit.id) else None
            levels = [x for x in ((h or {}).get("held_level"), (mine or {}).get("level")) if x]
            held = max(levels) if levels else None
            source = mine if mine and (not h or not h["held_level"] or mine["level"] > h["held_level"]) else h
            met = h["met"] if h else None
            rows.append({
                "id": unit.id, "code": unit.code, "name": unit.name, "kind": unit.kind,
                "district__code": unit.district.code if unit.district else None,
                "district__name": unit.district.name if unit.district else "",
                "holder_id": holder.id if holder else None,
                "holder_code": holder.code if holder else None,
                "holder_name": holder.name if holder else "",
                "held_by_other": holder is not None and holder.id != unit.id,
                "held_level": held,
                "met": met,
                "band": band_for(held, met),
                "status": h["status"] if h else None,
                "self_met": h["self_met"] if h else None,
                "verified_met": h["verified_met"] if h else None,
                "decision_number": source["decision_number"] if held and source else None,
                "decision_date": source["decision_date"] if held and source else None,
            })
        return cls(frame=frame, figures=figures, rows=rows, holders=holders)


@dataclass
class Tally:
    """Frame units grouped by district, band and highest held level."""

    rows: list[dict]
    units: list[dict]

    @classmethod
    def of(cls, units: list[dict]) -> Tally:
        grouped: dict[tuple, int] = defaultdict(int)
        names: dict[int | None, str] = {}
        for u in units:
            grouped[(u["district__code"], u["band"], u["held_level"])] += 1
            names[u["district__code"]] = u["district__name"]
        rows = [
            {"district__code": d, "district__name": names[d], "band": b, "held_level": h, "n": n}
            for (d, b, h), n in grouped.items()
        ]
        return cls(rows, units)

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
        for r in sorted(self.rows, key=lambda r: (r["district__code"] is None, r["district__code"] or 0)):
            d = by_code.setdefault(
                r["district__code"],
                {
                    "code": str(r["district__code"]) if r["district__code"] is not None else "",
                    "name": r["district__name"] or _("Không thuộc huyện"),
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
        """(frame districts with ≥ number units at ≥ level, frame districts)."""
        per_district: dict[int, int] = defaultdict(int)
        for r in self.rows:
            if r["district__code"] is None:
                continue
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


def registrations_by_programme(programmes: list[Programme]) -> dict[int, dict[int, int]]:
    """Programme id → unit id → the first year it registered as a pilot (one query)."""
    out: dict[int, dict[int, int]] = {p.id: {} for p in programmes}
    for pid, unit_id, year in (
        Registration.objects.filter(programme_id__in=list(out)).order_by("year")
        .values_list("programme_id", "unit_id", "year")
    ):
        out[pid].setdefault(unit_id, year)
    return out


def _pilot_count(*, target: Target, counts: Tally, programme: Programme,
                 registrations: dict[int, int] | None = None) -> int:
    level = target.level or Level.COMMUNE
    ids = {u["id"] for u in counts.units} | {u["holder_id"] for u in counts.units if u["holder_id"]}
    if registrations is not None:
        registered = {uid for uid, year in registrations.items() if year <= target.deadline.year}
    else:
        registered = set(
            Registration.objects.filter(programme=programme, unit_id__in=ids, year__lte=target.deadline.year)
            .values_list("unit_id", flat=True)
        )
    return sum(
        1 for u in counts.units
        if (u["id"] in registered or u["holder_id"] in registered) and (u["held_level"] or 0) >= level
    )


def evaluation_day(deadline: datetime.date, year: int) -> datetime.date:
    """A target with deadline D is read as of min(31/12/Y, D)."""
    return min(year_end(year), deadline)


def evaluate_targets(
    targets: list[Target], *, year: int, programme: Programme, figures: str, tallies: dict,
    registrations: dict[int, int] | None = None,
) -> list[dict]:
    """Each target evaluated as of min(31/12/year, deadline); `tallies` (keyed by day) is filled as needed."""

    def tally(day: datetime.date) -> Tally:
        if day not in tallies:
            data = FrameData.load(programme=programme, year=day.year, day=day)
            tallies[day] = Tally.of(FrameTable.of(data, figures).rows)
        return tallies[day]

    tiers: dict[datetime.date, list[Target]] = defaultdict(list)
    for t in targets:
        if _is_tier(t):
            tiers[t.deadline].append(t)
    out = []
    for t in targets:
        day = evaluation_day(t.deadline, year)
        counts = tally(day)
        number = t.number
        tier = _is_tier(t) and (len(tiers[t.deadline]) > 1 or t.kind == TargetKind.BAND)
        in_frame = counts.total
        if t.kind == TargetKind.PILOT_RECOGNIZED:
            actual = _pilot_count(target=t, counts=counts, programme=programme, registrations=registrations)
        elif t.kind == TargetKind.RECOGNIZED:
            actual = counts.at_least_level(t.level or Level.COMMUNE)
        elif t.kind == TargetKind.BAND:
            actual = counts.in_band(t.band)
        elif t.kind == TargetKind.PER_DISTRICT:
            actual, number = counts.districts_reaching(t.level or Level.DISTRICT, t.number)
            in_frame = number  # the districts of the frame
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
                # Nothing in the frame (no unit, no district) is never "met".
                "met": in_frame > 0 and cumulative_actual >= cumulative_target and t.kind in TargetKind.values,
                # Extra keys (allowed by §5): how the number was read.
                "kind": t.kind,
                "level": LEVEL_KEYS.get(t.level) if t.level else None,
                "band": t.band or None,
                "tier": tier,
                "as_of": day.isoformat(),
                "deadline_state": deadline_state(t.deadline, year),
                "resolution": t.resolution,
                "empty_frame": in_frame == 0,
            }
        )
    return out


def tier_note(targets: list[dict], units_total: int) -> str:
    """The note that the tiers of one deadline are exclusive, computed from the targets themselves."""
    notes = []
    by_deadline: dict[str, list[dict]] = defaultdict(list)
    for t in targets:
        if t["tier"]:
            by_deadline[t["deadline"]].append(t)
    for deadline, tiers in sorted(by_deadline.items()):
        if len(tiers) < 2:
            continue
        numbers = [t["target"] for t in sorted(tiers, key=lambda t: BAND_RANK[t["band"] or Band.RECOGNIZED])]
        higher = [t for t in targets if t["deadline"] == deadline and not t["tier"] and t["kind"] == "recognized"]
        total = sum(numbers)
        cumulative = []
        running = 0
        for n in numbers:
            running += n
            cumulative.append(str(running))
        text = _(
            "Các mục tiêu theo nhóm hạn %(deadline)s là các nhóm loại trừ nhau: %(sum)s = %(total)s đơn vị"
        ) % {"deadline": _date_text(deadline), "sum": " + ".join(map(str, numbers)), "total": total}
        if higher:
            text += " " + ngettext(
                "(trong đó có %(n)s đơn vị được công nhận cấp cao hơn)",
                "(trong đó có %(n)s đơn vị được công nhận cấp cao hơn)",
                sum(t["target"] for t in higher),
            ) % {"n": sum(t["target"] for t in higher)}
        if total != units_total:
            text += _(", không phải %(frame)s.") % {"frame": units_total}
        else:
            text += "."
        text += " " + _(
            "Một nhóm được coi là đạt khi số đơn vị ở nhóm đó hoặc nhóm cao hơn đạt chỉ tiêu cộng dồn (%(cumulative)s)."
        ) % {"cumulative": " · ".join(cumulative)}
        notes.append(text)
    return " ".join(notes)


def _date_text(iso: str) -> str:
    return f"{iso[8:10]}/{iso[5:7]}/{iso[:4]}"


def criteria_compliance(
    *, year: int, programme: Programme, figures: str = OFFICIAL, unit_ids: set[int] | None = None,
    table: FrameTable | None = None,
) -> list[dict]:
    """Per criterion number: holders' assessments of the year that met it, and those counted (one query)."""
    if unit_ids is None:
        table = table or FrameTable.load(programme=programme, year=year, figures=figures)
        unit_ids = {r["holder_id"] for r in table.rows if r["holder_id"]}
    qs = CriterionResult.objects.filter(
        assessment__year=year, assessment__unit_id__in=sorted(unit_ids), assessment__criteria_set__programme=programme
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


def holder_rows(table: FrameTable, *, with_status: bool = False) -> list[dict]:
    """The current map: each holder with its own results and the frame units it carries.

    The workflow status (a draft included) is for the page, not for the report's figures.
    """
    carried: dict[int, list[dict]] = defaultdict(list)
    for r in table.rows:
        if r["holder_id"]:
            carried[r["holder_id"]].append(r)
    out = []
    for holder_id, h in sorted(table.holders.items(), key=lambda kv: (kv[1]["code"], kv[0])):
        frame_units = carried.get(holder_id, [])
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
            "frame_units": [{"id": u["id"], "code": str(u["code"]), "name": u["name"]} for u in frame_units],
        })
    return out


def programme_info(programme: Programme) -> dict:
    return {
        "code": programme.code,
        "name": programme.name,
        "resolution": programme.resolution_number,
        "resolution_date": programme.resolution_date.isoformat() if programme.resolution_date else None,
        "territory": {
            "province": str(programme.territory_province.code) if programme.territory_province_id else None,
            "province_name": programme.territory_province.name if programme.territory_province_id else "",
            "district": str(programme.territory_district.code) if programme.territory_district_id else None,
            "district_name": programme.territory_district.name if programme.territory_district_id else "",
        },
        "unit_kinds": list(programme.unit_kinds or []),
    }


def build_report(*, year: int, programme: Programme | str | None = None, figures: str = OFFICIAL) -> dict:
    """The §5 structure for one programme; with figures="preliminary" targets, districts and criteria
    use preliminary figures. "bands" is always official and "bands_preliminary" always preliminary.

    Cached until the next write that can change a figure (criteria_portal.figures).
    """
    if figures not in FIGURES:
        raise ValueError(f"figures must be one of {FIGURES}")
    if not isinstance(programme, Programme):
        programme = programme_get(programme)
    return cached("progress", (programme.pk, year, figures), lambda: _build_report(year, programme, figures))


def _build_report(year: int, programme: Programme, figures: str) -> dict:
    data = FrameData.load(programme=programme, year=year)
    official_table = FrameTable.of(data, OFFICIAL)
    preliminary_table = FrameTable.of(data, PRELIMINARY)
    official, preliminary = Tally.of(official_table.rows), Tally.of(preliminary_table.rows)
    chosen_table = preliminary_table if figures == PRELIMINARY else official_table
    chosen = preliminary if figures == PRELIMINARY else official
    tallies = {year_end(year): chosen}
    targets = evaluate_targets(
        list(Target.objects.filter(programme=programme).order_by("deadline", "sort_order", "key")),
        year=year, programme=programme, figures=figures, tallies=tallies,
    )
    return {
        "year": year,
        "programme": programme_info(programme),
        "figures": figures,
        "as_of": year_end(year).isoformat(),
        "units_total": official.total,
        "bands": official.bands(),
        "bands_preliminary": preliminary.bands(),
        "targets": targets,
        "districts": chosen.districts(),
        "criteria": criteria_compliance(year=year, programme=programme, figures=figures, table=chosen_table),
        "holders": holder_rows(chosen_table),
        # The self-management model inventory on the frame (reports/inventory.py, one query).
        "models": model_inventory(chosen_table, year=year, official=figures == OFFICIAL),
        "note": tier_note(targets, official.total),
    }


def progress_report(*, year: int, programme: Programme | str | None = None) -> dict:
    """Official progress report of `year` as the DESIGN §5 JSON structure (see the module docstring)."""
    return build_report(year=year, programme=programme, figures=OFFICIAL)
