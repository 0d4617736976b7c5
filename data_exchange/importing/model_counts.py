"""Checking a self-management model inventory file: `commune_code,year,model_code,count[,status]
[,programme]` (DESIGN §5). Status `self` or `verified`; blank means `verified` for the command line
and reviewers, `self` for others (who may not import verified counts). The count's own rule is the
inventory's `count_problem`."""

from __future__ import annotations

import re
from typing import NamedTuple

from django.utils.translation import gettext as _

from communes.models import Unit
from inventory.models import CountStatus, ModelCount, ModelType
from inventory.services import count_problem

from ..reading import excerpt
from .cells import Cells, Rows, parse_int, word
from .checker import Checker, year_end
from .plan import CREATED, UNCHANGED, UPDATED


class ModelCountChange(NamedTuple):
    row: int
    action: str
    unit: Unit
    year: int
    programme_ids: tuple[int, ...]  # every programme the unit is in that year (their figures read the count)
    model_type: ModelType
    count: int
    status: str
    existing: ModelCount | None


def plan_model_counts(checker: Checker, rows: Rows) -> None:
    types = {t.code.casefold(): t for t in ModelType.objects.all()}
    existing = {(c.unit_id, c.year, c.model_type_id): c
                for c in ModelCount.objects.filter(unit_id__in=list(checker.units))}
    reviewer = checker.can("assessment.review")
    seen: dict[tuple[int, int, int], int] = {}
    for row, cells in rows:
        year = checker.year(row, cells)
        if year is None:
            checker.code_known(row, cells)
        found = (checker.unit(row, cells, day=year_end(year), year=year, any_programme=True)
                 if year is not None else None)
        model_type = _model_type(checker, row, cells, types)
        count = _count(checker, row, cells, model_type)
        status = _status(checker, row, cells, reviewer)
        if found is None or model_type is None or count is None or status is None:
            continue
        key = (found.unit.id, year, model_type.id)
        if key in seen:
            checker.problem(row, "model_code", _("%(unit)s năm %(year)s, mô hình %(code)s đã có ở dòng %(first)s.")
                            % {"unit": found.unit, "year": year, "code": model_type.code, "first": seen[key]})
            continue
        seen[key] = row
        stored = existing.get(key)
        action = CREATED
        if stored is not None:
            if stored.count == count and stored.status == status:
                action = UNCHANGED
            elif stored.status == CountStatus.VERIFIED and not reviewer:
                checker.problem(row, "count", _("số lượng %(code)s năm %(year)s của %(unit)s đã được xác nhận, "
                                                "chỉ cấp trên sửa được.")
                                % {"code": model_type.code, "year": year, "unit": found.unit})
                continue
            else:
                action = UPDATED
        checker.plan.count(action, found.unit)
        if action != UNCHANGED:
            checker.plan.changes.append(ModelCountChange(row, action, found.unit, year,
                                                         tuple(p.id for p in found.programmes), model_type, count,
                                                         status, stored))


def _model_type(checker: Checker, row: int, cells: Cells, types: dict) -> ModelType | None:
    raw = cells.get("model_code")
    model_type = types.get(word(raw))
    if not raw:
        checker.problem(row, "model_code", _("thiếu mã mô hình."))
    elif model_type is None:
        checker.problem(row, "model_code", _("không có mô hình mã “%(code)s” (các mã: %(codes)s).")
                        % {"code": excerpt(raw), "codes": ", ".join(t.code for t in types.values())})
    return model_type


def _count(checker: Checker, row: int, cells: Cells, model_type: ModelType | None) -> int | None:
    raw = cells.get("count")
    count = parse_int(raw)
    if re.fullmatch(r"-\d+", raw):
        checker.problem(row, "count", _("số lượng không được âm."))
    elif count is None:
        checker.problem(row, "count", _("số lượng “%(value)s” không hợp lệ (số nguyên từ 0).")
                        % {"value": excerpt(raw, 20)} if raw else _("thiếu số lượng."))
    elif model_type is not None and (reason := count_problem(model_type, count)):
        checker.problem(row, "count", reason)
        return None
    return count


def _status(checker: Checker, row: int, cells: Cells, reviewer: bool) -> str | None:
    raw = word(cells.get("status"))
    status = raw or (CountStatus.VERIFIED if reviewer else CountStatus.SELF)
    if status not in CountStatus.values:
        checker.problem(row, "status", _("trạng thái “%(value)s” không hợp lệ (self, verified hoặc để trống).")
                        % {"value": excerpt(raw, 20)})
        return None
    if status == CountStatus.VERIFIED and not reviewer:
        checker.problem(row, "status", _("vai trò của bạn không được xác nhận số lượng (verified)."))
        return None
    return status
