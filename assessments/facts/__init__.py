"""Figures maintained on write (DESIGN §6).

The services call one of these in the transaction of every write that changes a counted fact —
never for a draft's autosave, which changes none:

* `assessment_changed` — created, submitted, recalled, returned, verified, reopened, recorded, and the
  answers of a returned assessment (preliminary figures read them);
* `recognition_changed` — recorded or revoked; `registration_changed` — recorded or deleted;
* `model_counts_changed` — the inventory (not stored per unit: only the tokens change);
* `after_import` — a bulk import; `forget` — the map or a programme's frame changed (loaders, the admin);
* `bump` — something a report shows beside the facts changed (targets, calendars, names, criteria).

Reports read the stored facts through `ensure` (which stores a day the first time it is read) and key
their caches by the tokens it returns (`reports.figures`).
"""

from __future__ import annotations

import datetime

from django.db import transaction

from .store import bump, ensure, forget, holder_days, lock, refresh, stored

__all__ = ["after_import", "assessment_changed", "bump", "ensure", "forget", "model_counts_changed",
           "recognition_changed", "registration_changed"]

# A bulk import touching more programmes than this drops their stored days instead of refreshing them
# one by one; the next report stores them again (a national backup touches every programme).
IMPORT_REFRESH_LIMIT = 3


def assessment_changed(assessment, *, force: bool = False) -> None:
    refresh(programme_id=assessment.criteria_set.programme_id, units={assessment.unit_id}, year=assessment.year,
            force=force)


def recognition_changed(recognition, *, since: datetime.date | None = None) -> None:
    """A decision counts from its date (a revocation from then on); `since`: an earlier day also changed."""
    day = min(d for d in (recognition.decision_date, since) if d is not None)
    refresh(programme_id=recognition.programme_id, units={recognition.unit_id}, since=day)


def registration_changed(registration) -> None:
    refresh(programme_id=registration.programme_id, units={registration.unit_id})


def model_counts_changed(*, unit_ids: set[int], year: int) -> None:
    pairs = holder_days(unit_ids, year)
    if pairs:
        bump(pairs=pairs)


@transaction.atomic
def after_import(*, touched: set[tuple[int, int]], reach: str = "year") -> None:
    """A bulk import wrote rows of these (programme id, year): refresh the stored days they change, or — for
    many programmes — drop them. `reach`: "year" (assessments: the days of that year), "onwards" (decisions
    count in every later year too), "all" (registrations: a pilot counts in every day of its programme)."""
    programmes = {pid for pid, _year in touched}
    if not stored(programmes):  # nothing of theirs is stored yet: the first report stores it from the records
        return
    if len(programmes) > IMPORT_REFRESH_LIMIT:
        forget(programmes, years={year for _pid, year in touched} if reach == "year" else None)
        return
    lock(programmes)
    if reach == "all":
        for pid in sorted(programmes):
            refresh(programme_id=pid, units=None)
        return
    for pid, year in sorted(touched):
        if reach == "onwards":
            refresh(programme_id=pid, units=None, since=datetime.date(year, 1, 1))
        else:
            refresh(programme_id=pid, units=None, year=year)
