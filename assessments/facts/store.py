"""Keeping the stored facts equal to the records, in the transaction of the write that changes them.

A (programme, day) is stored the first time a report reads it (`ensure`) and then kept up to date by the
writes (`refresh`, `bump`, `forget`). Every one of these takes the programme's row lock first, so that a
report building a day's facts and a write changing them never interleave: either the write waits for the
facts to be stored and then refreshes them, or the facts are built after the write has committed.
Tokens change only when a stored fact (or something a report reads beside them) changes.
"""

from __future__ import annotations

import datetime
import logging
import uuid
from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Q

from ..models import FactDay, FrameFact, Programme
from .compute import FIELDS, compute

log = logging.getLogger(__name__)
BATCH = 2000


def _token() -> str:
    return uuid.uuid4().hex


def lock(programme_ids: Iterable[int]) -> None:
    """Take the programmes' row locks in one order (no deadlock between two writers)."""
    ids = sorted(set(programme_ids))
    if ids:
        list(Programme.objects.select_for_update().filter(id__in=ids).order_by("id").values_list("id", flat=True))


def ensure(programmes: list[Programme], days: Iterable[datetime.date]) -> dict[tuple[int, datetime.date], str]:
    """(programme id, day) → token, storing the facts of the pairs not stored yet."""
    days = sorted(set(days))
    ids = [p.id for p in programmes]
    tokens = {(pid, day): token for pid, day, token in
              FactDay.objects.filter(programme_id__in=ids, day__in=days).values_list("programme_id", "day", "token")}
    missing = {(p.id, d) for p in programmes for d in days} - set(tokens)
    if missing:
        tokens.update(_store(programmes, missing))
    return tokens


@transaction.atomic
def _store(programmes: list[Programme], missing: set[tuple[int, datetime.date]]) -> dict:
    lock(pid for pid, _day in missing)
    # Another request may have stored some while we waited for the lock.
    done = set(FactDay.objects.filter(programme_id__in={pid for pid, _d in missing}, day__in={d for _p, d in missing})
               .values_list("programme_id", "day"))
    by_day: dict[datetime.date, list[Programme]] = defaultdict(list)
    for p in programmes:
        for pid, day in missing - done:
            if pid == p.id:
                by_day[day].append(p)
    out = {}
    for day, chosen in sorted(by_day.items()):
        facts = compute(chosen, day)
        FrameFact.objects.bulk_create(
            [FrameFact(programme_id=pid, day=day, unit_id=unit_id, **values)
             for pid, by_unit in facts.items() for unit_id, values in by_unit.items()],
            batch_size=BATCH,
        )
        rows = [FactDay(programme_id=p.id, day=day, token=_token()) for p in chosen]
        FactDay.objects.bulk_create(rows)
        out.update({(r.programme_id, day): r.token for r in rows})
    if len(out) < len(missing):
        out.update({(pid, day): token for pid, day, token in FactDay.objects.filter(
            programme_id__in={pid for pid, _d in missing}, day__in={d for _p, d in missing}
        ).values_list("programme_id", "day", "token") if (pid, day) in missing})
    return out


def _days(programme_id: int, *, year: int | None = None, since: datetime.date | None = None) -> list[datetime.date]:
    qs = FactDay.objects.filter(programme_id=programme_id)
    if year is not None:
        qs = qs.filter(day__year=year)
    if since is not None:
        qs = qs.filter(day__gte=since)
    return sorted(qs.values_list("day", flat=True))


@transaction.atomic
def refresh(*, programme_id: int, units: set[int] | None, year: int | None = None,
            since: datetime.date | None = None, force: bool = False) -> int:
    """Recompute the stored facts of `programme_id` touched by a write of `units` (None: every frame unit)
    on the stored days of `year` (or from `since` on; neither: every day). Returns the facts changed.

    `force` replaces the days' tokens even if no stored fact changed (something a report reads beside
    the facts changed, e.g. a returned assessment's answers)."""
    lock([programme_id])
    programme = Programme.objects.get(pk=programme_id)
    changed_total = 0
    for day in _days(programme_id, year=year, since=since):
        stored = FrameFact.objects.filter(programme_id=programme_id, day=day)
        if units is not None:
            stored = stored.filter(Q(holder_id__in=sorted(units)) | Q(unit_id__in=sorted(units)))
        old = {f.unit_id: f for f in stored}
        if units is not None and not old:
            if force:
                FactDay.objects.filter(programme_id=programme_id, day=day).update(token=_token())
            continue
        only = {programme_id: set(old)} if units is not None else None
        new = compute([programme], day, only=only)[programme_id]
        changed = _apply(programme_id, day, old, new, whole=units is None)
        changed_total += changed
        if changed or force:
            FactDay.objects.filter(programme_id=programme_id, day=day).update(token=_token())
    return changed_total


def _apply(programme_id: int, day: datetime.date, old: dict[int, FrameFact], new: dict[int, dict], *,
           whole: bool) -> int:
    """Write the differences between the stored facts and the recomputed ones."""
    updates = []
    for unit_id, values in new.items():
        fact = old.get(unit_id)
        if fact is None:
            continue
        if any(getattr(fact, f) != values[f] for f in FIELDS):
            for f in FIELDS:
                setattr(fact, f, values[f])
            updates.append(fact)
    if updates:
        FrameFact.objects.bulk_update(updates, FIELDS, batch_size=BATCH)
    added = [FrameFact(programme_id=programme_id, day=day, unit_id=u, **v) for u, v in new.items() if u not in old]
    if added:
        FrameFact.objects.bulk_create(added, batch_size=BATCH)
    gone = [u for u in old if u not in new] if whole else []
    if gone:
        FrameFact.objects.filter(programme_id=programme_id, day=day, unit_id__in=gone).delete()
    return len(updates) + len(added) + len(gone)


@transaction.atomic
def bump(*, programme_ids: Iterable[int] | None = None, pairs: Iterable[tuple[int, datetime.date]] = ()) -> None:
    """Replace tokens: of every stored day of `programme_ids` (None: of every programme), and of `pairs`."""
    pairs = set(pairs)
    if programme_ids is None and not pairs:
        lock(Programme.objects.values_list("id", flat=True))
        FactDay.objects.update(token=_token())
        return
    ids = set(programme_ids or ())
    lock(ids | {pid for pid, _day in pairs})
    if ids:
        FactDay.objects.filter(programme_id__in=sorted(ids)).update(token=_token())
    for pid, day in pairs:
        FactDay.objects.filter(programme_id=pid, day=day).update(token=_token())


@transaction.atomic
def forget(programme_ids: Iterable[int] | None = None, *, years: Iterable[int] | None = None) -> None:
    """Drop stored facts (of `programme_ids`, None: all; of `years` only, if given): the next report that
    reads them stores them again from the records. For changes of the map itself (units, lineage, a
    programme's frame) and for bulk writes too large to refresh row by row."""
    programmes = Programme.objects.select_for_update().order_by("id")
    if programme_ids is not None:
        programmes = programmes.filter(id__in=sorted(set(programme_ids)))
    ids = list(programmes.values_list("id", flat=True))  # locked, like every other change of the facts
    days = FactDay.objects.filter(programme_id__in=ids)
    facts = FrameFact.objects.filter(programme_id__in=ids)
    if years is not None:
        years = sorted(set(years))
        days, facts = days.filter(day__year__in=years), facts.filter(day__year__in=years)
    if days.exists():
        facts.delete()
        days.delete()


def stored(programme_ids) -> bool:
    """Is any day of these programmes stored? (Taken under their locks by the caller when it matters.)"""
    lock(programme_ids)
    return FactDay.objects.filter(programme_id__in=sorted(set(programme_ids))).exists()


def holder_days(unit_ids: Iterable[int], year: int) -> set[tuple[int, datetime.date]]:
    """The stored (programme, day) of `year` in which one of `unit_ids` holds a frame place."""
    return set(FrameFact.objects.filter(holder_id__in=sorted(set(unit_ids)), day__year=year)
               .values_list("programme_id", "day").distinct())
