"""Writing a checked file: history, workflow steps, met counts, all-or-nothing, file formats."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from assessments.models import Assessment, CriterionResult, Recognition, Registration, Result, Status, Transition
from assessments.services import assessment_get_or_create
from data_exchange import selectors
from data_exchange.services import ImportRejected, data_import
from tests import factories
from tests.conftest import record

from .conftest import HEADER, assessment_row, csv_bytes, problems_of, xlsx_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _criteria(criteria_set):
    return criteria_set


def test_new_assessments_have_counts_transitions_and_history(unit, other_unit, reviewer_user):
    data = csv_bytes([assessment_row(unit, 2024, "verified", met=13), assessment_row(unit, 2023, "self", met=9)])
    data_import(kind="assessments", name="ket-qua-2024.csv", data=data, actor=reviewer_user)
    verified = Assessment.objects.get(year=2024)
    assert (verified.status, verified.verified_met_count, verified.self_met_count) == (Status.VERIFIED, 13, 13)
    assert verified.verified_by == reviewer_user and verified.verified_at and verified.submitted_at
    assert verified.results.filter(verified_result=Result.MET).count() == 13
    submitted = Assessment.objects.get(year=2023)
    assert (submitted.status, submitted.self_met_count, submitted.verified_met_count) == (Status.SUBMITTED, 9, None)
    assert not submitted.results.exclude(verified_result="").exists()
    reason = "Nhập dữ liệu từ tệp ket-qua-2024.csv"
    transition = verified.transitions.get()
    assert (transition.to_status, transition.actor, transition.reason) == (Status.VERIFIED, reviewer_user, reason)
    history = verified.history.get()
    assert (history.history_user, history.history_change_reason) == (reviewer_user, reason)
    result_history = CriterionResult.history.filter(assessment_id=verified.pk)
    assert result_history.count() == 16
    assert set(result_history.values_list("history_user", "history_change_reason")) == {(reviewer_user.pk, reason)}


def test_existing_draft_is_updated_through_the_workflow_service(unit, officer_user, reviewer_user):
    """The command line (an administrator restoring a backup) records over a draft through the service;
    a reviewer's web import may not take a commune's draft straight to verified (issue 9: the import
    obeys the same rules as the pages — see test_validation.test_web_import_obeys_the_workflow)."""
    draft = assessment_get_or_create(unit=unit, year=2024, actor=officer_user)
    data = csv_bytes([assessment_row(unit, 2024, "verified", met=16)])
    with pytest.raises(ImportRejected):
        data_import(kind="assessments", name="a.csv", data=data, actor=reviewer_user)
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    plan = data_import(kind="assessments", name="a.csv", data=data, actor=None)
    assert plan.totals() == {"created": 0, "updated": 1, "unchanged": 0}
    draft.refresh_from_db()
    assert (draft.status, draft.verified_met_count) == (Status.VERIFIED, 16)
    assert list(draft.transitions.values_list("to_status", flat=True)) == [Status.DRAFT, Status.VERIFIED]
    assert draft.history.first().history_change_reason == "Nhập dữ liệu từ tệp a.csv"


def test_one_bad_row_among_a_hundred_writes_nothing(criteria_set):
    units = factories.UnitFactory.create_batch(50)
    factories.RegistrationFactory(unit=units[0], year=2022)
    rows = [assessment_row(u, year, "verified", met=(u.code + year) % 17) for u in units for year in (2023, 2024)]
    rows[57][3 + 7] = "không rõ"
    before = (Assessment.objects.count(), CriterionResult.objects.count(), Transition.objects.count(),
              Assessment.history.count(), CriterionResult.history.count())
    lines = problems_of("assessments", csv_bytes(rows))
    assert lines == ["row 59, column c8: giá trị “không rõ” không hợp lệ (dùng 1, 0, x, đạt, không đạt, "
                     "chưa đạt hoặc để trống)."]
    after = (Assessment.objects.count(), CriterionResult.objects.count(), Transition.objects.count(),
             Assessment.history.count(), CriterionResult.history.count())
    assert before == after == (0, 0, 0, 0, 0)
    # The same file without the bad row goes in completely.
    rows[57][3 + 7] = "x"
    assert data_import(kind="assessments", name="a.csv", data=csv_bytes(rows)).totals()["created"] == 100
    assert Assessment.objects.count() == 100 and CriterionResult.objects.count() == 1600


def test_csv_with_bom_and_semicolons(unit):
    data_import(kind="assessments", name="a.csv", data=csv_bytes([assessment_row(unit, 2024, met=10)], bom=True))
    assert Assessment.objects.get().verified_met_count == 10
    text = ";".join(["commune_code", "year"]) + "\r\n" + f"{unit.code};2024\r\n"
    data_import(kind="registrations", name="r.csv", data=("\ufeff" + text).encode())
    assert Registration.objects.filter(unit=unit, year=2024).exists()


def test_xlsx_with_numbers_and_dates_in_cells(unit):
    rows = [[unit.code, 2024, "verified"] + [1] * 15 + [1.0]]
    data_import(kind="assessments", name="a.xlsx", data=xlsx_bytes(rows))
    assert Assessment.objects.get().verified_met_count == 16
    rec = ["commune_code", "level", "decision_number", "decision_date", "issued_by"]
    data_import(kind="recognitions", name="r.xlsx", data=xlsx_bytes(
        [[unit.code, "commune", "12/QĐ-UBND", datetime.datetime(2025, 1, 20), "UBND huyện"]], header=rec))
    recognition = Recognition.objects.get()
    assert recognition.decision_date == datetime.date(2025, 1, 20)
    assert recognition.history.get().history_change_reason == "Nhập dữ liệu từ tệp r.xlsx"


def test_filled_template_with_two_header_rows_is_accepted(unit, other_unit, reviewer_user):
    template = selectors.template_file(kind="assessments", user=reviewer_user, year=2024)
    workbook = load_workbook(io.BytesIO(template))
    sheet = workbook.active
    assert sheet["A1"].value.startswith("Mã đơn vị") and sheet["A2"].value == "commune_code"
    assert [c.value for c in sheet[2]][:5] == ["commune_code", None, "year", "stage", "c1"]
    assert sheet.max_column == 4 + 16 + 1  # … and the programme of each line
    assert [r[0].value for r in sheet.iter_rows(min_row=3)] == [unit.code]  # only the reviewer's district
    assert sheet["B3"].value == unit.name and sheet["C3"].value == 2024
    sheet["D3"] = "verified"
    for column in range(5, 21):
        sheet.cell(row=3, column=column, value="đạt" if column < 19 else "chưa đạt")
    out = io.BytesIO()
    workbook.save(out)
    plan = data_import(kind="assessments", name="bieu-mau.xlsx", data=out.getvalue(), actor=reviewer_user)
    assert plan.totals()["created"] == 1
    assert Assessment.objects.get().verified_met_count == 14


def test_untouched_template_rows_are_skipped(unit, province_user):
    template = selectors.template_file(kind="registrations", user=province_user, year=2024)
    plan = data_import(kind="registrations", name="t.xlsx", data=template, actor=province_user)
    assert plan.skipped_rows >= 1 and plan.totals()["created"] == 0
    assert not Registration.objects.exists()


def test_problem_rows_in_a_template_count_spreadsheet_rows(unit, reviewer_user):
    template = selectors.template_file(kind="assessments", user=reviewer_user, year=2024)
    workbook = load_workbook(io.BytesIO(template))
    workbook.active["D3"] = "verified"  # criteria left blank
    out = io.BytesIO()
    workbook.save(out)
    lines = problems_of("assessments", out.getvalue(), name="t.xlsx", actor=reviewer_user)
    assert len(lines) == 16 and lines[0].startswith("row 3, column c1:")


def test_export_writes_exactly_the_import_format(unit, other_unit, officer_user):
    record(unit, 2023, 16)
    record(other_unit, 2024, 9, stage="self")
    assessment_get_or_create(unit=unit, year=2024, actor=officer_user)  # a draft: not exported
    columns, rows = selectors.assessment_export()
    # The §5 header, then the optional columns a backup needs: the programme and a returned status.
    assert columns == HEADER + ["programme", "status"]
    assert rows == [
        [str(unit.code), "2023", "verified"] + ["1"] * 16 + ["nq12_commune", ""],
        [str(other_unit.code), "2024", "self"] + ["1"] * 9 + ["0"] * 7 + ["nq12_commune", ""],
    ]
    factories.RecognitionFactory(unit=unit, decision_date=datetime.date(2024, 1, 5), decision_number="5/QĐ")
    factories.RecognitionFactory(unit=other_unit, decision_date=datetime.date(2024, 3, 1), decision_number="6/QĐ",
                                 revoked_on=datetime.date(2025, 1, 1))
    columns, rows = selectors.recognition_export()
    assert columns[-2:] == ["programme", "revoked_on"]
    assert rows == [
        [str(unit.code), "commune", "5/QĐ", "2024-01-05", "UBND huyện", "nq12_commune", ""],
        [str(other_unit.code), "commune", "6/QĐ", "2024-03-01", "UBND huyện", "nq12_commune", "2025-01-01"],
    ]
    assert selectors.export_file(kind="registrations", fmt="csv").startswith(
        "\ufeffcommune_code,year,programme\r\n".encode())


def test_export_is_scoped_to_the_user(unit, other_unit, reviewer_user):
    record(unit, 2023, 16)
    record(other_unit, 2023, 16)
    assert [r[0] for r in selectors.assessment_export(user=reviewer_user)[1]] == [str(unit.code)]


def test_import_query_count_does_not_grow_with_new_rows(criteria_set):
    units = factories.UnitFactory.create_batch(60)

    def rows(n):
        return csv_bytes([assessment_row(u, 2024, met=12) for u in units[:n]])

    # A constant number of queries whatever the number of rows (the frame's holders are read per year).
    counts = []
    for size in (10, 60):
        Assessment.objects.all().delete()
        with CaptureQueriesContext(connection) as queries:
            data_import(kind="assessments", name="a.csv", data=rows(size))
        assert Assessment.objects.count() == size
        counts.append(len(queries))
    # + 5 for the stored figures: the programmes' locks, whether any of their days is stored, one savepoint.
    assert counts[0] == counts[1] <= 23


def test_xlsx_export_writes_user_text_as_text_not_formula(unit):
    factories.RecognitionFactory(unit=unit, issued_by='=HYPERLINK("http://x.invalid","UBND")',
                                 decision_date=datetime.date(2024, 2, 1))
    sheet = load_workbook(io.BytesIO(selectors.export_file(kind="recognitions", fmt="xlsx"))).active
    assert sheet["E2"].data_type == "s" and sheet["E2"].value.startswith("=HYPERLINK")


def test_csv_export_quotes_user_text_that_looks_like_a_formula(unit):
    factories.RecognitionFactory(unit=unit, issued_by='=HYPERLINK("http://x.invalid","UBND")',
                                 decision_number="-1+cmd|' /C calc'!A0", decision_date=datetime.date(2024, 2, 1))
    text = selectors.export_file(kind="recognitions", fmt="csv").decode("utf-8-sig")
    row = list(csv.reader(io.StringIO(text)))[1]
    assert row[2] == "'-1+cmd|' /C calc'!A0" and row[4] == "'=HYPERLINK(\"http://x.invalid\",\"UBND\")"
    assert row[0] == str(unit.code) and row[3] == "2024-02-01"
