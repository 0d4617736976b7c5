"""Demo model counts for `make run` (clearly marked in the history as [DEMO]): every unit holding a frame
place in a demo year gets counts, so the dashboard's "units having it / units in the frame" has figures.
Radio systems and disaster plans everywhere but a few units; Zalo mailboxes and cameras vary. Years before
the current one are verified; the current year is still the communes' own declaration."""

from __future__ import annotations

import random

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from assessments import facts
from assessments.demo import YEARS
from assessments.programmes import Frame, programme_list

from .models import CountStatus, ModelCount, ModelKind, ModelType

REASON = "[DEMO] Dữ liệu minh họa"


def demo_counts_exist() -> bool:
    return ModelCount.objects.exists()


@transaction.atomic
def seed_demo_counts(*, seed: int = 12) -> int:
    rng = random.Random(seed)
    types = list(ModelType.objects.order_by("sort_order", "code"))
    this_year = timezone.localdate().year
    rows = []
    for year in YEARS:
        holders = set()
        for programme in programme_list():
            if programme.covers_year(year):
                holders |= Frame.load(programme, year).holder_ids()
        status = CountStatus.VERIFIED if year < this_year else CountStatus.SELF
        for unit_id in sorted(holders):
            for t in types:
                if t.kind == ModelKind.YES_NO:
                    count = 0 if rng.random() < 0.04 else 1
                else:
                    count = rng.choice((0, 1, 2, 3, 5, 8)) + (year - YEARS[0])
                rows.append(ModelCount(unit_id=unit_id, year=year, model_type=t, count=count, status=status))
    bulk_create_with_history(rows, ModelCount, batch_size=1000, default_change_reason=REASON)
    facts.bump()  # a bulk insert sends no signal
    return len(rows)
