"""The self-management model inventory read on a programme's frame (DESIGN §2 "139/139", §7).

For year Y and each model type:
* ``units_with``: frame units whose **holder** has a count ≥ 1 for Y — read through holders like every
  frame figure, so a merged holder with a camera counts once for each frame unit it holds;
* ``units_total``: the frame size;
* ``count``: the sum of the holders' counts (each holder once, however many frame units it holds).
Official figures use verified counts only; preliminary figures use every count entered.
One query, whatever the number of units.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import FilteredRelation, Q
from django.utils.translation import gettext as _

from inventory.models import CountStatus, ModelType


def model_inventory(table, *, year: int, official: bool = True) -> list[dict]:
    """`table` is a reports.progress.FrameTable of `year`."""
    holder_ids = sorted(table.holders)
    condition = Q(counts__year=year, counts__unit_id__in=holder_ids)
    if official:
        condition &= Q(counts__status=CountStatus.VERIFIED)
    found = (
        ModelType.objects.annotate(held=FilteredRelation("counts", condition=condition))
        .order_by("sort_order", "code")
        .values_list("id", "code", "name", "unit_of_count", "kind", "held__unit_id", "held__count")
    )
    types: dict[int, dict] = {}
    counts: dict[int, dict[int, int]] = defaultdict(dict)
    for type_id, code, name, unit_of_count, kind, holder_id, count in found:
        types.setdefault(type_id, {"code": code, "name": name, "unit_of_count": unit_of_count, "kind": kind})
        if holder_id is not None:
            counts[type_id][holder_id] = count
    out = []
    for type_id, info in types.items():
        by_holder = counts[type_id]
        districts: dict[str, dict] = {}
        units_with = 0
        for row in table.rows:
            has = bool(row["holder_id"]) and by_holder.get(row["holder_id"], 0) >= 1
            units_with += has
            code = str(row["district__code"]) if row["district__code"] is not None else ""
            d = districts.setdefault(code, {"code": code, "name": row["district__name"] or _("Không thuộc huyện"),
                                            "units_with": 0, "units_total": 0})
            d["units_total"] += 1
            d["units_with"] += has
        out.append({
            **info,
            "units_with": units_with,
            "units_total": len(table.rows),
            "count": sum(by_holder.values()),
            "districts": [districts[k] for k in sorted(districts, key=lambda c: (c == "", int(c) if c else 0))],
        })
    return out
