"""Writes of the model inventory. Pages, the loader command and the bulk import all call these.

Rules (kept simple, and the same everywhere):
* the commune officer enters the counts of their own unit (status `self`);
* a reviewer (capability `assessment.review`, in scope) may correct counts and verifies them —
  a count saved or confirmed by a reviewer is `verified`;
* a verified count is locked for the commune: only a reviewer changes it;
* a unit enters counts for a year only when it is in force on 31/12 of that year (like assessments);
* a yes/no type takes 0 or 1; no count is negative.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from accounts import permissions
from assessments.models import Assessment
from assessments.services import DomainError
from assessments.services.common import check_year, require_unit_write
from communes.models import Unit

from .models import CountStatus, ModelCount, ModelKind, ModelType

MODEL_TYPES_FILE = Path(__file__).resolve().parent / "data" / "model_types.json"
TYPE_FIELDS = ("name", "unit_of_count", "kind", "sort_order")


def model_types_load(path: Path = MODEL_TYPES_FILE) -> tuple[int, int]:
    """Create or update the model types of a JSON file, keyed by code. Returns (created, total). Idempotent."""
    entries = json.loads(Path(path).read_text(encoding="utf-8"))
    created = 0
    with transaction.atomic():
        for entry in entries:
            if entry.get("kind", ModelKind.COUNT) not in ModelKind.values:
                raise ValueError(f"{entry.get('code')}: unknown kind {entry.get('kind')!r}")
            defaults = {k: entry[k] for k in TYPE_FIELDS if k in entry}
            model_type, was_created = ModelType.objects.get_or_create(code=entry["code"], defaults=defaults)
            created += was_created
            changed = {k: v for k, v in defaults.items() if getattr(model_type, k) != v}
            if changed and not was_created:
                for k, v in changed.items():
                    setattr(model_type, k, v)
                model_type.save()
    return created, len(entries)


def count_problem(model_type: ModelType, count: int) -> str | None:
    """Why `count` is not a valid count of `model_type` (None when it is). Shared with the import."""
    if count < 0:
        return _("số lượng không được âm.")
    if model_type.kind == ModelKind.YES_NO and count > 1:
        return _("“%(type)s” chỉ nhận 1 (có) hoặc 0 (không).") % {"type": model_type.name}
    return None


def _assessment_of(unit: Unit, year: int) -> Assessment | None:
    return Assessment.objects.filter(unit=unit, year=year).order_by("id").first()


@dataclass
class CountWrite:
    model_type: ModelType
    count: int


def _set_history(obj: ModelCount, actor, reason: str) -> None:
    obj._history_user = actor if getattr(actor, "is_authenticated", False) else None
    obj._change_reason = reason[:100]


@transaction.atomic
def model_counts_record(*, unit: Unit, year: int, counts: dict[ModelType, int | None], actor,
                        reason: str = "") -> int:
    """Save the counts of one unit and year (None: leave that type as it is). Returns the rows changed."""
    if actor is not None:
        require_unit_write(actor, unit)
        reviewer = permissions.has_capability(actor, "assessment.review")
        if not (reviewer or permissions.has_capability(actor, "assessment.edit")):
            raise DomainError(_("Bạn không có quyền ghi số lượng mô hình."))
    else:
        reviewer = True  # the command line (an administrator restoring data)
    check_year(year)
    if not unit.in_force_on(datetime.date(year, 12, 31)):
        raise DomainError(_("%(unit)s không còn hiệu lực vào ngày 31/12/%(year)s: đơn vị kế thừa kê khai.")
                          % {"unit": unit, "year": year})
    for model_type, count in counts.items():
        if count is not None and (problem := count_problem(model_type, count)):
            raise DomainError(problem)
    existing = {c.model_type_id: c for c in ModelCount.objects.select_for_update().filter(unit=unit, year=year)}
    assessment = _assessment_of(unit, year)
    status = CountStatus.VERIFIED if reviewer else CountStatus.SELF
    changed = 0
    for model_type, count in counts.items():
        if count is None:
            continue
        row = existing.get(model_type.id)
        if row is not None and row.count == count and (row.status == status or not reviewer):
            continue
        if row is not None and row.status == CountStatus.VERIFIED and not reviewer:
            raise DomainError(_("Số lượng “%(type)s” năm %(year)s đã được cấp trên xác nhận; chỉ cấp trên sửa được.")
                              % {"type": model_type.name, "year": year})
        if row is None:
            row = ModelCount(unit=unit, year=year, model_type=model_type)
        row.count, row.status, row.assessment = count, status, assessment or row.assessment
        row.recorded_by = actor
        row.verified_by = actor if reviewer else None
        _set_history(row, actor, reason or _("Kê khai mô hình tự quản"))
        row.save()
        changed += 1
    return changed


@transaction.atomic
def model_counts_verify(*, unit: Unit, year: int, actor) -> int:
    """A reviewer confirms every count of the unit and year that is still `self`. Returns how many."""
    permissions.require(actor, "assessment.review")
    require_unit_write(actor, unit)
    rows = list(ModelCount.objects.select_for_update().filter(unit=unit, year=year, status=CountStatus.SELF))
    if not rows:
        raise DomainError(_("Không có số lượng nào chờ xác nhận."))
    for row in rows:
        row.status, row.verified_by = CountStatus.VERIFIED, actor
        _set_history(row, actor, _("Xác nhận số lượng mô hình"))
        row.save()
    return len(rows)


def model_counts_import(*, rows: list[dict], actor, reason: str) -> None:
    """Apply checked import rows ({unit, year, model_type, count, status, existing}); the caller's
    transaction makes the whole file one write. Checks were made by data_exchange.importing."""
    assessments = {
        (a["unit_id"], a["year"]): a["id"]
        for a in Assessment.objects.filter(unit_id__in={r["unit"].id for r in rows},
                                           year__in={r["year"] for r in rows}).order_by("-id").values("id", "unit_id",
                                                                                                     "year")
    }
    for r in rows:
        row = r["existing"] or ModelCount(unit=r["unit"], year=r["year"], model_type=r["model_type"])
        row.count, row.status = r["count"], r["status"]
        row.assessment_id = assessments.get((r["unit"].id, r["year"]), row.assessment_id)
        row.recorded_by = actor
        row.verified_by = actor if r["status"] == CountStatus.VERIFIED else None
        _set_history(row, actor, reason)
        row.save()
