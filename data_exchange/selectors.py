"""Reads of the data exchange: export rows (the import format) and import templates, scoped to a user.

`user=None` is the command line: the whole database.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from itertools import batched
from typing import BinaryIO

from django.db.models import Max
from django.utils.translation import gettext as _

from accounts import permissions
from assessments.models import (
    LEVEL_KEYS,
    Assessment,
    CriteriaSet,
    Criterion,
    CriterionResult,
    Level,
    Recognition,
    Registration,
    Result,
    Status,
)
from assessments.programmes import programme_default, units_in_programmes, year_end
from communes.models import Unit
from inventory.selectors import model_count_export

from .formats import csv_chunks, save_table, write_table, write_template
from .importing import BASE_COLUMNS, CREATED, UNCHANGED, UPDATED, Problem
from .models import PendingImport

VALUE = {Result.MET: "1", Result.NOT_MET: "0", Result.NOT_YET: "", "": ""}


def _scoped(queryset, user, unit_path="unit"):
    return queryset if user is None else permissions.scoped(queryset, user, unit_path=unit_path)


EXPORT_BATCH = 2000  # assessments whose results are read in one query


def assessment_export(*, user=None, year: int | None = None) -> tuple[list[str], list[list]]:
    """Verified assessments as `verified` rows (verified results); submitted and returned ones as
    `self` rows (self results). Drafts are work in progress of the commune and are not exported."""
    columns, rows = assessment_export_rows(user=user, year=year)
    return columns, list(rows)


def assessment_export_rows(*, user=None, year: int | None = None) -> tuple[list[str], Iterator[list]]:
    """Like assessment_export(), the rows made as they are read: a batch of assessments and their
    results at a time, so that a streamed export of 100,000 assessments holds one batch in memory."""
    assessments = _scoped(Assessment.objects.exclude(status=Status.DRAFT), user)
    if year is not None:
        assessments = assessments.filter(year=year)
    width = CriterionResult.objects.filter(assessment__in=assessments.values("id")).aggregate(
        width=Max("criterion__number"))["width"] or 0
    columns = list(BASE_COLUMNS["assessments"]) + [f"c{n}" for n in range(1, width + 1)] + ["programme", "status"]
    listed = assessments.order_by("year", "unit__code", "id").values_list(
        "id", "unit__code", "year", "status", "criteria_set__programme__code")

    def rows():
        for batch in batched(listed.iterator(chunk_size=EXPORT_BATCH), EXPORT_BATCH):
            results: dict[int, dict[int, tuple[str, str]]] = defaultdict(dict)
            for assessment_id, number, self_result, verified_result in CriterionResult.objects.filter(
                assessment_id__in=[a[0] for a in batch]
            ).values_list("assessment_id", "criterion__number", "self_result", "verified_result"):
                results[assessment_id][number] = (self_result, verified_result)
            for assessment_id, code, year_, status, programme in batch:
                verified = status == Status.VERIFIED
                by_number = results[assessment_id]
                yield [str(code), str(year_), "verified" if verified else "self"] + [
                    VALUE[by_number[n][1 if verified else 0]] if n in by_number else "" for n in range(1, width + 1)
                ] + [programme, "returned" if status == Status.RETURNED else ""]

    return columns, rows()


def recognition_export(*, user=None, year: int | None = None) -> tuple[list[str], list[list]]:
    """Every recognition, with its revocation date (the optional trailing `revoked_on` column of §5)."""
    recognitions = _scoped(Recognition.objects.all(), user)
    if year is not None:
        recognitions = recognitions.filter(decision_date__year=year)
    rows = [
        [str(code), LEVEL_KEYS[Level(level)], number, day.isoformat(), issued_by, programme,
         revoked.isoformat() if revoked else ""]
        for code, level, number, day, issued_by, programme, revoked in recognitions.order_by(
            "decision_date", "level", "unit__code")
        .values_list("unit__code", "level", "decision_number", "decision_date", "issued_by", "programme__code",
                     "revoked_on")
    ]
    return list(BASE_COLUMNS["recognitions"]) + ["programme", "revoked_on"], rows


def registration_export(*, user=None, year: int | None = None) -> tuple[list[str], list[list]]:
    registrations = _scoped(Registration.objects.all(), user)
    if year is not None:
        registrations = registrations.filter(year=year)
    rows = [[str(code), str(y), programme] for code, y, programme in registrations.order_by(
        "year", "unit__code").values_list("unit__code", "year", "programme__code")]
    return list(BASE_COLUMNS["registrations"]) + ["programme"], rows


EXPORTS = {"assessments": assessment_export_rows, "recognitions": recognition_export,
           "registrations": registration_export, "models": model_count_export}


def export_file(*, kind: str, fmt: str, user=None, year: int | None = None) -> bytes:
    columns, rows = EXPORTS[kind](user=user, year=year)
    return write_table(columns, rows, fmt, sheet_title=kind)


def export_save(*, kind: str, fmt: str, out: BinaryIO, user=None, year: int | None = None) -> None:
    """Write the export into the binary file `out` (a CSV is written a few hundred rows at a time)."""
    columns, rows = EXPORTS[kind](user=user, year=year)
    save_table(columns, rows, fmt, out, sheet_title=kind)


def export_csv_chunks(*, kind: str, user=None, year: int | None = None) -> Iterator[bytes]:
    """The CSV export in pieces, for a streamed response."""
    columns, rows = EXPORTS[kind](user=user, year=year)
    return csv_chunks(columns, rows)


# ---------------------------------------------------------------- templates


def template_units(*, user, year: int) -> list[tuple[Unit, str]]:
    """The (unit, programme code) lines a template lists: units in the user's scope holding a frame
    place of a programme in `year` (in force on 31/12), once per programme."""
    # The user's own units (and their lineage) are read, not every programme's frame.
    scope = _scoped(Unit.objects.in_force(year_end(year)), user, unit_path="")
    membership = units_in_programmes(set(scope.values_list("id", flat=True)), year)
    units = _scoped(Unit.objects.select_related("district").filter(id__in=sorted(membership)), user, unit_path="")
    return [(u, p.code) for u in units.order_by("district__code", "code") for p in membership[u.id]]


def criteria_for_template(year: int):
    """The criteria of the newest set in force in `year` of the default programme (with the widest
    set's count, so every programme's rows fit)."""
    default = programme_default()
    sets = list(CriteriaSet.objects.in_force(year).order_by("-version").prefetch_related("criteria"))
    chosen = next((s for s in sets if default and s.programme_id == default.id), sets[0] if sets else None)
    if chosen is None:
        return []
    criteria = list(chosen.criteria.order_by("number"))
    width = max(s.criteria.count() for s in sets)
    return criteria + [Criterion(number=n, title="") for n in range(len(criteria) + 1, width + 1)]


def template_file(*, kind: str, user, year: int) -> bytes:
    """An .xlsx template: Vietnamese labels on row 1, the §5 machine keys on row 2, one line per unit.

    The unit name column has an empty machine key, so the importer ignores it.
    """
    units = template_units(user=user, year=year)
    name_label = _("Tên đơn vị (không nhập)")
    code_label = _("Mã đơn vị (mã GSO)")
    programme_label = _("Mã chương trình")
    validations = []
    if kind == "assessments":
        criteria = criteria_for_template(year)
        columns = ["commune_code", "", "year", "stage"] + [f"c{c.number}" for c in criteria] + ["programme"]
        labels = [code_label, name_label, _("Năm"), _("Giai đoạn: self = tự đánh giá, verified = đã thẩm định")] + [
            _("TC %(number)s. %(title)s") % {"number": c.number, "title": c.title} for c in criteria] + [
            programme_label]
        rows = [[u.code, u.name, year, ""] + [""] * len(criteria) + [p] for u, p in units]
        validations = [('"self,verified"', 4, 4)]
        if criteria:
            validations.append(('"1,0"', 5, 4 + len(criteria)))
    elif kind == "recognitions":
        columns = ["commune_code", "", "level", "decision_number", "decision_date", "issued_by", "programme"]
        labels = [code_label, name_label, _("Cấp công nhận: commune = cấp xã, district = cấp huyện, province = cấp tỉnh"),
                  _("Số quyết định"), _("Ngày ký (DD/MM/YYYY)"), _("Cơ quan ban hành"), programme_label]
        rows = [[u.code, u.name, "", "", "", "", p] for u, p in units]
        validations = [('"commune,district,province"', 3, 3)]
    else:
        columns = ["commune_code", "", "year", "programme"]
        labels = [code_label, name_label, _("Năm đăng ký xây dựng điểm (ghi %(year)s ở các đơn vị đăng ký)")
                  % {"year": year}, programme_label]
        rows = [[u.code, u.name, "", p] for u, p in units]
    return write_template(columns, rows, labels=labels, sheet_title=kind, validations=validations)


# ---------------------------------------------------------------- uploads waiting for confirmation


def pending_import_list(*, user, consumed: bool | None = False):
    """The user's own uploads (nobody sees another user's file); unconfirmed ones by default."""
    queryset = PendingImport.objects.filter(user=user).defer("data")
    return queryset if consumed is None else queryset.filter(consumed_at__isnull=not consumed)


def pending_import_preview(*, pending: PendingImport) -> dict:
    """What the check on upload found, for the preview page (the file is not read again)."""
    summary = pending.summary or {}
    return {
        "problems": [Problem(row, column, reason).localised() for row, column, reason in pending.problems],
        "problem_count": pending.problem_count,
        "more_problems": pending.problem_count - len(pending.problems),
        "totals": summary.get("totals", {CREATED: 0, UPDATED: 0, UNCHANGED: 0}),
        "skipped_rows": summary.get("skipped_rows", 0),
        "areas": summary.get("areas", []),
    }
