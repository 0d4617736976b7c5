"""Every §5 check: one bad file each, the exact problem line, and nothing written."""

import datetime

import pytest
from django.utils import timezone

from assessments.models import Assessment, Recognition, Registration, Result, Status
from communes.models import UnitKind
from data_exchange.importing import build_plan, parse_result
from data_exchange.services import data_import
from tests import factories
from tests.conftest import record

from .conftest import HEADER, assessment_row, csv_bytes, problems_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _criteria(criteria_set):
    return criteria_set


def test_unknown_unit_code(unit):
    lines = problems_of("assessments", csv_bytes([assessment_row(unit, 2024), ["999999", "2024", "self"] + ["1"] * 16]))
    assert lines == ["row 3, column commune_code: không có đơn vị nào mã “999999”."]
    assert not Assessment.objects.exists()


def test_unit_outside_the_programme_phuong(district):
    ward = factories.UnitFactory(district=district, kind=UnitKind.PHUONG, name="Phường Tân Hòa")
    lines = problems_of("assessments", csv_bytes([assessment_row(ward, 2024)]))
    assert len(lines) == 1
    assert lines[0].startswith("row 2, column commune_code: Phường Tân Hòa")
    assert "không thuộc đối tượng của chương trình" in lines[0]


def test_unit_outside_the_users_scope(unit, other_unit, reviewer_user):
    lines = problems_of("assessments", csv_bytes([assessment_row(unit, 2024), assessment_row(other_unit, 2024)]),
                        actor=reviewer_user)
    assert len(lines) == 1
    assert lines[0].startswith("row 3, column commune_code:") and "ngoài phạm vi" in lines[0]
    assert not Assessment.objects.exists()


def test_province_staff_and_full_scope_reach_every_district(unit, other_unit, province_user):
    plan = data_import(kind="registrations", name="r.csv", actor=province_user,
                       data=csv_bytes([[unit.code, 2024], [other_unit.code, 2024]], header=["commune_code", "year"]))
    assert plan.totals()["created"] == 2


@pytest.mark.parametrize("year", ["2020", str(timezone.localdate().year + 2), "hai nghìn"])
def test_year_outside_the_range(unit, year):
    lines = problems_of("assessments", csv_bytes([[str(unit.code), year, "self"] + ["1"] * 16]))
    assert len(lines) == 1 and lines[0].startswith("row 2, column year:")


def test_missing_criterion_column(unit):
    header = HEADER[:-1]  # no c16
    lines = problems_of("assessments", csv_bytes([assessment_row(unit, 2024)[:-1]], header=header))
    assert lines == ["row 2, column c16: thiếu cột: bộ tiêu chí năm 2024 có 16 tiêu chí."]


def test_extra_criterion_column(unit):
    lines = problems_of("assessments", csv_bytes([assessment_row(unit, 2024) + ["1"]], header=HEADER + ["c17"]))
    assert lines == ["row 2, column c17: thừa cột: bộ tiêu chí năm 2024 chỉ có 16 tiêu chí."]


def test_unknown_column_in_the_header(unit):
    lines = problems_of("assessments", csv_bytes([assessment_row(unit, 2024) + ["?"]], header=HEADER + ["ghi_chu"]))
    assert len(lines) == 1 and lines[0].startswith("row 1, column ghi_chu: cột không thuộc mẫu nhập")


def test_bad_value(unit):
    row = assessment_row(unit, 2024, stage="self")
    row[3 + 4] = "có"  # c5
    lines = problems_of("assessments", csv_bytes([row]))
    assert lines == ["row 2, column c5: giá trị “có” không hợp lệ (dùng 1, 0, x, đạt, không đạt, chưa đạt "
                     "hoặc để trống)."]


def test_bad_stage(unit):
    lines = problems_of("assessments", csv_bytes([assessment_row(unit, 2024, stage="final")]))
    assert len(lines) == 1 and lines[0].startswith("row 2, column stage:")


def test_blank_in_a_verified_row(unit):
    row = assessment_row(unit, 2024)
    row[3 + 2] = ""  # c3
    lines = problems_of("assessments", csv_bytes([row]))
    assert lines == ["row 2, column c3: dòng đã thẩm định (verified) không được để trống kết quả."]


def test_blank_in_a_self_row_is_not_yet(unit):
    row = assessment_row(unit, 2024, stage="self", met=10)
    row[3 + 2] = ""
    data_import(kind="assessments", name="a.csv", data=csv_bytes([row]))
    assessment = Assessment.objects.get()
    assert assessment.status == Status.SUBMITTED
    assert assessment.results.get(criterion__number=3).self_result == Result.NOT_YET
    assert assessment.self_met_count == 9


def test_same_unit_and_year_twice(unit):
    lines = problems_of("assessments", csv_bytes([assessment_row(unit, 2024), assessment_row(unit, 2024, "self")]))
    assert lines == [f"row 3, column commune_code: {unit.name} năm 2024 đã có ở dòng 2."]


def test_a_row_that_would_change_a_verified_assessment(unit):
    record(unit, 2024, 16)
    lines = problems_of("assessments", csv_bytes([assessment_row(unit, 2024, met=12)]))
    assert lines == [f"row 2, column stage: đánh giá năm 2024 của {unit.name} đã được thẩm định, "
                     "không thể thay đổi bằng tệp nhập."]
    assert Assessment.objects.get().verified_met_count == 16


def test_an_identical_verified_row_is_unchanged(unit):
    record(unit, 2024, 13)
    plan = data_import(kind="assessments", name="a.csv", data=csv_bytes([assessment_row(unit, 2024, met=13)]))
    assert plan.totals() == {"created": 0, "updated": 0, "unchanged": 1}


def test_value_words(unit):
    assert [parse_result(v) for v in ("1", " X ", "ĐẠT", "Không  đạt", "chưa đạt", "0", "", 1, 0.0)] == [
        Result.MET, Result.MET, Result.MET, Result.NOT_MET, Result.NOT_MET, Result.NOT_MET, Result.NOT_YET,
        Result.MET, Result.NOT_MET]
    # Decomposed Unicode (NFD, as some Mac tools write it) is normalised to NFC.
    import unicodedata
    assert parse_result(unicodedata.normalize("NFD", "Đạt")) == Result.MET
    assert parse_result("có") is None


# ---------------------------------------------------------------- recognitions

REC = ["commune_code", "level", "decision_number", "decision_date", "issued_by"]


def test_recognition_rule_commune_needs_a_verified_assessment(unit):
    record(unit, 2023, 12)
    lines = problems_of("recognitions", csv_bytes([[unit.code, "commune", "1/QĐ", "2024-12-01", "UBND huyện"]],
                                                  header=REC))
    assert len(lines) == 1 and lines[0].startswith("row 2, column level:")
    assert "chưa có đánh giá đã thẩm định đạt 16/16" in lines[0]
    assert not Recognition.objects.exists()


def test_recognition_rules_use_earlier_rows_of_the_same_file(unit):
    record(unit, 2023, 16)
    data = csv_bytes([
        [unit.code, "district", "9/QĐ-UBND", "15/06/2024", "UBND huyện"],
        [unit.code, "commune", "1/QĐ-UBND", "2024-01-10", "UBND huyện"],
    ], header=REC)
    plan = data_import(kind="recognitions", name="r.csv", data=data)
    assert plan.totals()["created"] == 2
    assert Recognition.objects.filter(unit=unit).count() == 2


def test_recognition_district_level_before_the_commune_one_is_refused(unit):
    record(unit, 2023, 16)
    data = csv_bytes([
        [unit.code, "commune", "1/QĐ-UBND", "2024-06-10", "UBND huyện"],
        [unit.code, "district", "9/QĐ-UBND", "2024-01-15", "UBND huyện"],
        [unit.code, "province", "3/QĐ-UBND", "2024-02-15", "UBND tỉnh"],
    ], header=REC)
    lines = problems_of("recognitions", data)
    assert [line[:21] for line in lines] == ["row 3, column level: ", "row 4, column level: "]
    assert not Recognition.objects.exists()


def test_unparseable_date(unit):
    record(unit, 2023, 16)
    lines = problems_of("recognitions", csv_bytes([[unit.code, "commune", "1/QĐ", "31/02/2024", "UBND"],
                                                   [unit.code, "commune", "2/QĐ", "2024.05.01", "UBND"]], header=REC))
    assert lines == [
        "row 2, column decision_date: ngày “31/02/2024” không đúng dạng YYYY-MM-DD hoặc DD/MM/YYYY.",
        "row 3, column decision_date: ngày “2024.05.01” không đúng dạng YYYY-MM-DD hoặc DD/MM/YYYY.",
    ]


def test_future_decision_date_bad_level_and_blanks(unit):
    future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    lines = problems_of("recognitions", csv_bytes([[unit.code, "commune", "1/QĐ", future, "UBND"],
                                                   [unit.code, "cấp thôn", "", "2024-01-01", ""]], header=REC))
    assert [line.split(":")[0] for line in lines] == [
        "row 2, column decision_date", "row 3, column level", "row 3, column decision_number", "row 3, column issued_by"]


def test_recognition_level_beyond_the_users_role(unit, reviewer_user):
    factories.RecognitionFactory(unit=unit, level=1, decision_date=datetime.date(2023, 1, 1))
    lines = problems_of("recognitions", csv_bytes([[unit.code, "district", "9/QĐ", "2024-01-01", "UBND"]],
                                                  header=REC), actor=reviewer_user)
    assert len(lines) == 1 and lines[0].startswith("row 2, column level: vai trò của bạn")


# ---------------------------------------------------------------- registrations


def test_registration_twice_in_the_file_and_existing_ones(unit, other_unit):
    factories.RegistrationFactory(unit=other_unit, year=2022)
    header = ["commune_code", "year"]
    lines = problems_of("registrations", csv_bytes([[unit.code, 2022], [unit.code, "2022"]], header=header))
    assert lines == [f"row 3, column commune_code: {unit.name} năm 2022 đã có ở dòng 2."]
    plan = data_import(kind="registrations", name="r.csv", data=csv_bytes(
        [[unit.code, 2022], [other_unit.code, 2022]], header=header))
    assert plan.totals() == {"created": 1, "updated": 0, "unchanged": 1}
    assert Registration.objects.count() == 2


def test_all_problems_are_collected_in_row_order(unit):
    rows = [assessment_row(unit, 2024), ["1", "2019", "maybe"] + ["?"] * 16, assessment_row(unit, 2024)]
    lines = problems_of("assessments", csv_bytes(rows))
    assert [line.split(",")[0] for line in lines] == ["row 3", "row 3", "row 3", "row 4"]


def test_not_a_table(unit):
    assert problems_of("assessments", b"\xff\xfe\x00garbage", name="x.csv") == [
        "row 1, column -: Tệp CSV phải được lưu với bảng mã UTF-8."]
    assert problems_of("assessments", b"PK not a zip", name="x.xlsx") == [
        "row 1, column -: Không đọc được tệp Excel (.xlsx)."]
    assert problems_of("assessments", csv_bytes([["a", "b"]], header=["x", "y"])) == [
        "row 1, column -: Không tìm thấy dòng tiêu đề có cột “commune_code” ở dòng 1 hoặc dòng 2."]


def test_web_import_obeys_the_workflow(unit, reviewer_user, province_user, officer_user):
    """A provincial viewer cannot verify through /data/ what it cannot verify on the review page, and a
    commune's draft or returned assessment is never taken over by a file (the command line restores backups)."""
    from assessments.services import assessment_get_or_create

    verified_row = csv_bytes([assessment_row(unit, 2024, stage="verified")])
    plan = build_plan(kind="assessments", name="a.csv", data=verified_row, user=province_user)
    assert [p.column for p in plan.problems] == ["stage"] and "verified" in plan.problems[0].reason
    draft = assessment_get_or_create(unit=unit, year=2024, actor=officer_user)
    for stage in ("self", "verified"):
        plan = build_plan(kind="assessments", name="a.csv", data=csv_bytes([assessment_row(unit, 2024, stage=stage)]),
                          user=reviewer_user)
        assert [p.column for p in plan.problems] == ["stage"] and "Đang soạn" in plan.problems[0].reason
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT and Assessment.objects.count() == 1
    # The command line (user None) is the administrator's restore path.
    assert build_plan(kind="assessments", name="a.csv", data=verified_row, user=None).problems == []


def test_csv_with_an_unterminated_quote_is_a_row_error(unit, other_unit):
    # The quote opened on row 3 never closes: the rest of the file became one cell of row 3, whose other
    # columns were empty, so the row and everything after it were silently skipped as blank.
    good = ",".join(assessment_row(unit, 2024))
    text = "\r\n".join([",".join(HEADER), good, '"' + ",".join(assessment_row(other_unit, 2024)),
                        ",".join(assessment_row(other_unit, 2023))]) + "\r\n"
    assert problems_of("assessments", text.encode()) == [
        "row 3, column -: dấu ngoặc kép (\") mở ở dòng này không được đóng; hãy sửa dòng này trong tệp CSV."]
    assert not Assessment.objects.exists()


def test_csv_with_a_stray_quote_after_a_quoted_value_is_a_row_error(unit):
    text = ",".join(HEADER) + "\r\n" + f'{unit.code},"20"24,self' + ",1" * 16 + "\r\n"
    assert problems_of("assessments", text.encode()) == [
        "row 2, column -: dấu ngoặc kép (\") đặt sai chỗ: sau ô trong ngoặc kép phải là dấu phân cách; "
        "hãy sửa dòng này trong tệp CSV."]
