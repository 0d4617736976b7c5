"""Reads of the data exchange: export rows (the import format) and import templates, scoped to a user.

`user=None` is the command line: the whole database.
"""

from __future__ import annotations

from collections import defaultdict

from django.utils.translation import gettext as _

from accounts import permissions
from assessments.models import (
    LEVEL_KEYS,
    Assessment,
    CriteriaSet,
    CriterionResult,
    Level,
    Recognition,
    Registration,
    Result,
    Status,
)
from assessments.selectors import programme_unit_kinds
from communes.models import Unit

from .formats import write_table, write_template
from .importing import BASE_COLUMNS, ImportPlan, build_plan
from .models import PendingImport

VALUE = {Result.MET: "1", Result.NOT_MET: "0", Result.NOT_YET: "", "": ""}


def _scoped(queryset, user, unit_path="unit"):
    return queryset if user is None else permissions.scoped(queryset, user, unit_path=unit_path)


def assessment_export(*, user=None, year: int | None = None) -> tuple[list[str], list[list]]:
    """Verified assessments as `verified` rows (verified results); submitted and returned ones as
    `self` rows (self results). Drafts are work in progress of the commune and are not exported."""
    assessments = _scoped(Assessment.objects.exclude(status=Status.DRAFT), user)
    if year is not None:
        assessments = assessments.filter(year=year)
    assessments = list(assessments.select_related("unit").order_by("year", "unit__code").values_list(
        "id", "unit__code", "year", "status"))
    results: dict[int, dict[int, tuple[str, str]]] = defaultdict(dict)
    for assessment_id, number, self_result, verified_result in CriterionResult.objects.filter(
        assessment_id__in=[a[0] for a in assessments]
    ).values_list("assessment_id", "criterion__number", "self_result", "verified_result").iterator(chunk_size=5000):
        results[assessment_id][number] = (self_result, verified_result)
    width = max((max(r, default=0) for r in results.values()), default=0)
    columns = list(BASE_COLUMNS["assessments"]) + [f"c{n}" for n in range(1, width + 1)]
    rows = []
    for assessment_id, code, year_, status in assessments:
        verified = status == Status.VERIFIED
        by_number = results[assessment_id]
        rows.append([str(code), str(year_), "verified" if verified else "self"] + [
            VALUE[by_number[n][1 if verified else 0]] if n in by_number else "" for n in range(1, width + 1)
        ])
    return columns, rows


def recognition_export(*, user=None, year: int | None = None) -> tuple[list[str], list[list]]:
    """Recognitions in force (not revoked): the §5 format has no column for a revocation."""
    recognitions = _scoped(Recognition.objects.filter(revoked_on__isnull=True), user)
    if year is not None:
        recognitions = recognitions.filter(decision_date__year=year)
    rows = [
        [str(code), LEVEL_KEYS[Level(level)], number, day.isoformat(), issued_by]
        for code, level, number, day, issued_by in recognitions.order_by("decision_date", "level", "unit__code")
        .values_list("unit__code", "level", "decision_number", "decision_date", "issued_by")
    ]
    return list(BASE_COLUMNS["recognitions"]), rows


def registration_export(*, user=None, year: int | None = None) -> tuple[list[str], list[list]]:
    registrations = _scoped(Registration.objects.all(), user)
    if year is not None:
        registrations = registrations.filter(year=year)
    rows = [[str(code), str(y)] for code, y in registrations.order_by("year", "unit__code").values_list(
        "unit__code", "year")]
    return list(BASE_COLUMNS["registrations"]), rows


EXPORTS = {"assessments": assessment_export, "recognitions": recognition_export,
           "registrations": registration_export}


def export_file(*, kind: str, fmt: str, user=None, year: int | None = None) -> bytes:
    columns, rows = EXPORTS[kind](user=user, year=year)
    return write_table(columns, rows, fmt, sheet_title=kind)


# ---------------------------------------------------------------- templates


def template_units(*, user, year: int):
    """The units a template lists: in the user's scope, in a programme, existing during `year`."""
    units = Unit.objects.select_related("district").filter(kind__in=programme_unit_kinds()).existing_in(year)
    return list(_scoped(units, user, unit_path="").order_by("district__code", "code"))


def criteria_for_template(year: int):
    """The criteria of the newest set in force in `year` (the commune programme)."""
    criteria_set = CriteriaSet.objects.in_force(year).order_by("programme__code", "-version").first()
    return list(criteria_set.criteria.order_by("number")) if criteria_set else []


def template_file(*, kind: str, user, year: int) -> bytes:
    """An .xlsx template: Vietnamese labels on row 1, the §5 machine keys on row 2, one line per unit.

    The unit name column has an empty machine key, so the importer ignores it.
    """
    units = template_units(user=user, year=year)
    name_label = _("Tên đơn vị (không nhập)")
    code_label = _("Mã đơn vị (mã GSO)")
    validations = []
    if kind == "assessments":
        criteria = criteria_for_template(year)
        columns = ["commune_code", "", "year", "stage"] + [f"c{c.number}" for c in criteria]
        labels = [code_label, name_label, _("Năm"), _("Giai đoạn: self = tự đánh giá, verified = đã thẩm định")] + [
            _("TC %(number)s. %(title)s") % {"number": c.number, "title": c.title} for c in criteria]
        rows = [[u.code, u.name, year, ""] + [""] * len(criteria) for u in units]
        validations = [('"self,verified"', 4, 4)]
        if criteria:
            validations.append(('"1,0"', 5, 4 + len(criteria)))
    elif kind == "recognitions":
        columns = ["commune_code", "", "level", "decision_number", "decision_date", "issued_by"]
        labels = [code_label, name_label, _("Cấp công nhận: commune = cấp xã, district = cấp huyện, province = cấp tỉnh"),
                  _("Số quyết định"), _("Ngày ký (DD/MM/YYYY)"), _("Cơ quan ban hành")]
        rows = [[u.code, u.name, "", "", "", ""] for u in units]
        validations = [('"commune,district,province"', 3, 3)]
    else:
        columns = ["commune_code", "", "year"]
        labels = [code_label, name_label, _("Năm đăng ký xây dựng điểm (ghi %(year)s ở các đơn vị đăng ký)")
                  % {"year": year}]
        rows = [[u.code, u.name, ""] for u in units]
    return write_template(columns, rows, labels=labels, sheet_title=kind, validations=validations)


# ---------------------------------------------------------------- uploads waiting for confirmation


def pending_import_list(*, user, consumed: bool | None = False):
    """The user's own uploads (nobody sees another user's file); unconfirmed ones by default."""
    queryset = PendingImport.objects.filter(user=user).defer("data")
    return queryset if consumed is None else queryset.filter(consumed_at__isnull=not consumed)


def pending_import_plan(*, pending: PendingImport, user) -> ImportPlan:
    """Check the stored file again, as of now (the preview)."""
    data = bytes(PendingImport.objects.values_list("data", flat=True).get(pk=pending.pk))
    return build_plan(kind=pending.kind, name=pending.file_name, data=data, user=user)
