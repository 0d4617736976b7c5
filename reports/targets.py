"""A programme's targets read on its frame (DESIGN §2 "Reading the targets").

A target with deadline D is evaluated, in a report of year Y, as of min(31/12/Y, D):

- ``recognized``: frame units whose highest held level ≥ the target's level.
- The **tiers** of one deadline (recognised at commune level, ``13+``, ``10-12``, ``9``) are exclusive;
  ``cumulative_target`` is the sum of this tier's number and the higher ones', ``cumulative_actual`` the
  units in this tier or a higher one; met = cumulative_actual ≥ cumulative_target. ``actual`` is the units
  in exactly this tier.
- ``pilot_recognized``: frame units registered as pilots (themselves or their holder) in any year ≤ D's
  year that hold a recognition at the target's level or higher.
- ``per_district``: ``actual`` = frame districts having ≥ ``number`` units recognised at the target's
  level or higher; ``target`` = the number of frame districts; met when all have.
- A target with nothing in its frame (no unit, no district) is never met.

Each target's state (Đạt / Không đạt / Chưa đạt) is `assessments.facts.readings.target_state`.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assessments.facts.readings import BAND_RANK, TARGET_STATE_LABELS, evaluation_day, target_state, year_end
from assessments.models import LEVEL_KEYS, Band, Level, Programme, Target, TargetKind

from .frame import Tally


def targets_of(programme: Programme) -> list[Target]:
    return list(Target.objects.filter(programme=programme).order_by("deadline", "sort_order", "key"))


def is_tier(target: Target) -> bool:
    return target.kind == TargetKind.BAND or (target.kind == TargetKind.RECOGNIZED and target.level == Level.COMMUNE)


def tier_band(target: Target) -> str:
    return Band.RECOGNIZED.value if target.kind == TargetKind.RECOGNIZED else target.band


def deadline_state(deadline: datetime.date, year: int) -> str:
    """past / current / future, seen from the report year."""
    if deadline.year < year:
        return "past"
    return "current" if deadline.year == year else "future"


def target_days(targets: list[Target], year: int) -> set[datetime.date]:
    """The days a report of `year` reads: 31/12/year and each target's evaluation day."""
    return {year_end(year)} | {evaluation_day(t.deadline, year) for t in targets}


def _actual(t: Target, counts: Tally) -> tuple[int, int, int]:
    """(actual, number, what the frame holds) of one target."""
    if t.kind == TargetKind.PILOT_RECOGNIZED:
        return counts.pilots_at_least(t.level or Level.COMMUNE, t.deadline.year), t.number, counts.total
    if t.kind == TargetKind.RECOGNIZED:
        return counts.at_least_level(t.level or Level.COMMUNE), t.number, counts.total
    if t.kind == TargetKind.BAND:
        return counts.in_band(t.band), t.number, counts.total
    if t.kind == TargetKind.PER_DISTRICT:
        actual, districts = counts.districts_reaching(t.level or Level.DISTRICT, t.number)
        return actual, districts, districts  # the districts of the frame
    return 0, t.number, counts.total  # an unknown kind entered in the admin: shown, never met


def evaluate_targets(targets: list[Target], *, year: int, programme: Programme, figures: str,
                     tallies: dict[datetime.date, Tally]) -> list[dict]:
    """Each target evaluated as of min(31/12/year, deadline); `tallies` (keyed by day) is filled as needed."""
    missing = sorted(target_days(targets, year) - set(tallies))
    for day in missing:
        tallies[day] = Tally.load_many([programme], day, figures)[programme.id]
    tiers: dict[datetime.date, list[Target]] = defaultdict(list)
    for t in targets:
        if is_tier(t):
            tiers[t.deadline].append(t)
    report_day = year_end(year)
    out = []
    for t in targets:
        day = evaluation_day(t.deadline, year)
        counts = tallies[day]
        actual, number, in_frame = _actual(t, counts)
        tier = is_tier(t) and (len(tiers[t.deadline]) > 1 or t.kind == TargetKind.BAND)
        if tier:
            band = tier_band(t)
            cumulative_target = sum(o.number for o in tiers[t.deadline]
                                    if BAND_RANK[tier_band(o)] <= BAND_RANK[band])
            cumulative_actual = counts.tier_or_higher(band)
        else:
            cumulative_target, cumulative_actual = number, actual
        # Nothing in the frame (no unit, no district) is never "met".
        met = in_frame > 0 and cumulative_actual >= cumulative_target and t.kind in TargetKind.values
        state = target_state(met=met, deadline=t.deadline, report_day=report_day)
        out.append({
            "key": t.key, "deadline": t.deadline.isoformat(), "text": t.text, "target": number, "actual": actual,
            "cumulative_target": cumulative_target, "cumulative_actual": cumulative_actual, "met": met,
            # Extra keys (allowed by §5): how the number was read, and its one state word.
            "state": state, "state_label": str(TARGET_STATE_LABELS[state]),
            "kind": t.kind, "level": LEVEL_KEYS.get(t.level) if t.level else None, "band": t.band or None,
            "tier": tier, "as_of": day.isoformat(), "deadline_state": deadline_state(t.deadline, year),
            "resolution": t.resolution, "empty_frame": in_frame == 0,
        })
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
        higher = sum(t["target"] for t in targets
                     if t["deadline"] == deadline and not t["tier"] and t["kind"] == "recognized")
        total = sum(numbers)
        cumulative = [str(sum(numbers[:i + 1])) for i in range(len(numbers))]
        text = _(
            "Các mục tiêu theo nhóm hạn %(deadline)s là các nhóm loại trừ nhau: %(sum)s = %(total)s đơn vị"
        ) % {"deadline": _date_text(deadline), "sum": " + ".join(map(str, numbers)), "total": total}
        if higher:
            text += " " + ngettext("(trong đó có %(n)s đơn vị được công nhận cấp cao hơn)",
                                   "(trong đó có %(n)s đơn vị được công nhận cấp cao hơn)", higher) % {"n": higher}
        text += (_(", không phải %(frame)s.") % {"frame": units_total}) if total != units_total else "."
        text += " " + _(
            "Một nhóm được coi là đạt khi số đơn vị ở nhóm đó hoặc nhóm cao hơn đạt chỉ tiêu cộng dồn (%(cumulative)s)."
        ) % {"cumulative": " · ".join(cumulative)}
        notes.append(text)
    return " ".join(notes)


def _date_text(iso: str) -> str:
    return f"{iso[8:10]}/{iso[5:7]}/{iso[:4]}"
