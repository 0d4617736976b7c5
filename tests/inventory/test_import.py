"""import_data models / export_data models (DESIGN §5): commune_code,year,model_code,count, all or nothing."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from assessments.models import Assessment
from communes.models import UnitKind, UnitSuccession
from data_exchange.services import data_import
from inventory.models import CountStatus, ModelCount
from tests import factories
from tests.conftest import record
from tests.data_exchange.conftest import csv_bytes, problems_of, xlsx_bytes

pytestmark = pytest.mark.django_db
HEADER = ["commune_code", "year", "model_code", "count"]


def counts():
    return {(c.unit_id, c.year, c.model_type.code): (c.count, c.status) for c in ModelCount.objects.all()}


def test_good_rows_are_imported_verified_and_linked_then_unchanged(model_types, criteria_set, unit, other_unit):
    assessment = record(unit, 2025, 16)
    data = csv_bytes([[unit.code, 2025, "zalo_mailbox", 3], [unit.code, 2025, "radio_loudspeaker", "1"],
                      [other_unit.code, 2024, "security_camera", 0], [other_unit.code, 2024, "DISASTER_PLAN", 1]],
                     header=HEADER, bom=True)
    plan = data_import(kind="models", name="m.csv", data=data)
    assert plan.totals() == {"created": 4, "updated": 0, "unchanged": 0}
    assert counts() == {
        (unit.id, 2025, "zalo_mailbox"): (3, CountStatus.VERIFIED),
        (unit.id, 2025, "radio_loudspeaker"): (1, CountStatus.VERIFIED),
        (other_unit.id, 2024, "security_camera"): (0, CountStatus.VERIFIED),
        (other_unit.id, 2024, "disaster_plan"): (1, CountStatus.VERIFIED),
    }
    assert ModelCount.objects.get(unit=unit, model_type__code="zalo_mailbox").assessment == assessment
    assert ModelCount.objects.get(unit=unit, model_type__code="zalo_mailbox").history.get().history_change_reason \
        == "Nhập dữ liệu từ tệp m.csv"
    again = data_import(kind="models", name="m.csv", data=data)
    assert again.totals() == {"created": 0, "updated": 0, "unchanged": 4}
    changed = data_import(kind="models", name="m.xlsx", data=xlsx_bytes([[unit.code, 2025, "zalo_mailbox", 5]],
                                                                        header=HEADER))
    assert changed.totals()["updated"] == 1 and counts()[(unit.id, 2025, "zalo_mailbox")] == (5, "verified")


def test_bad_rows_are_each_reported_and_nothing_is_written(model_types, criteria_set, unit):
    ward = factories.UnitFactory(district=unit.district, kind=UnitKind.PHUONG, name="Phường Ngoài")
    rows = [
        [unit.code, 2025, "zalo_mailbox", 3],  # good, but the file is rejected as a whole
        [unit.code, 2025, "loa_phat_thanh", 1],
        [unit.code, 2025, "security_camera", -2],
        [unit.code, 2025, "radio_loudspeaker", 2],
        [ward.code, 2025, "zalo_mailbox", 1],
        [unit.code, 2025, "disaster_plan", "có"],
        [unit.code, 2025, "zalo_mailbox", 4],
        [unit.code, 2025, "disaster_plan", 1, "approved"],
    ]
    problems = problems_of("models", csv_bytes(rows, header=HEADER + ["status"]))
    assert problems == [
        "row 3, column model_code: không có mô hình mã “loa_phat_thanh” (các mã: zalo_mailbox, security_camera, "
        "radio_loudspeaker, disaster_plan).",
        "row 4, column count: số lượng không được âm.",
        "row 5, column count: “Đài truyền thanh và hệ thống loa đến thôn, xóm” chỉ nhận 1 (có) hoặc 0 (không).",
        f"row 6, column commune_code: Phường Ngoài (mã {ward.code_text}) không thuộc đối tượng của chương trình nào "
        "năm 2025.",
        "row 7, column count: số lượng “có” không hợp lệ (số nguyên từ 0).",
        f"row 8, column model_code: {unit.name} năm 2025, mô hình zalo_mailbox đã có ở dòng 2.",
        "row 9, column status: trạng thái “approved” không hợp lệ (self, verified hoặc để trống).",
    ]
    assert not ModelCount.objects.exists()


def test_a_unit_outside_the_users_scope_is_a_row_error(model_types, criteria_set, unit, other_unit, reviewer_user):
    data = csv_bytes([[unit.code, 2025, "zalo_mailbox", 1], [other_unit.code, 2025, "zalo_mailbox", 1]], header=HEADER)
    problems = problems_of("models", data, actor=reviewer_user)
    assert problems == [f"row 3, column commune_code: {other_unit.name} (mã {other_unit.code_text}) nằm ngoài phạm "
                        "vi quản lý của bạn."]
    assert not ModelCount.objects.exists()
    data_import(kind="models", name="m.csv", data=data[:data.index(str(other_unit.code).encode())], actor=reviewer_user)
    assert counts() == {(unit.id, 2025, "zalo_mailbox"): (1, CountStatus.VERIFIED)}


def test_code_is_resolved_as_of_31_december_of_the_rows_year(model_types, criteria_set, district):
    """GSO reuses codes (§7): 05212 is Xã Hang Kia until 30/6/2025 and Xã Pà Cò from 1/7/2025."""
    province = district.province
    old = factories.UnitFactory(district=district, code=5212, name="Xã Hang Kia", valid_to=datetime.date(2025, 6, 30))
    new = factories.UnitFactory(district=None, province=province, code=5212, name="Xã Pà Cò",
                                valid_from=datetime.date(2025, 7, 1))
    UnitSuccession.objects.create(predecessor=old, successor=new, effective_on=datetime.date(2025, 7, 1))
    data = csv_bytes([["05212", 2024, "security_camera", 2], ["5212", 2025, "security_camera", 5]], header=HEADER)
    data_import(kind="models", name="m.csv", data=data)
    assert counts() == {(old.id, 2024, "security_camera"): (2, "verified"),
                        (new.id, 2025, "security_camera"): (5, "verified")}


def test_a_reviewer_may_import_self_counts_an_officer_role_may_not_verify(model_types, criteria_set, unit,
                                                                       reviewer_user):
    data = csv_bytes([[unit.code, 2025, "zalo_mailbox", 2, "self"]], header=HEADER + ["status"])
    data_import(kind="models", name="m.csv", data=data, actor=reviewer_user)
    assert counts() == {(unit.id, 2025, "zalo_mailbox"): (2, CountStatus.SELF)}
    viewer = factories.province_viewer(unit.province)
    problems = problems_of("models", csv_bytes([[unit.code, 2025, "zalo_mailbox", 3, "verified"]],
                                               header=HEADER + ["status"]), actor=viewer)
    assert problems == ["row 2, column status: vai trò của bạn không được xác nhận số lượng (verified)."]


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
    except CommandError as exc:
        return exc.returncode, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_commands_export_then_import_into_an_empty_database(tmp_path, model_types, criteria_set, unit, other_unit,
                                                            suffix):
    path = tmp_path / f"in.{suffix}"
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes([[unit.code, 2025, "radio_loudspeaker", 2]], header=HEADER))
    status, _out, err = run("import_data", "models", str(bad))
    assert status == 1 and err.splitlines() == [
        "row 2, column count: “Đài truyền thanh và hệ thống loa đến thôn, xóm” chỉ nhận 1 (có) hoặc 0 (không)."]
    path.write_bytes(csv_bytes([[unit.code, 2025, "zalo_mailbox", 3], [other_unit.code, 2024, "disaster_plan", 1],
                                [other_unit.code, 2024, "zalo_mailbox", 7, "self"]], header=HEADER + ["status"])
                     if suffix == "csv" else xlsx_bytes([[unit.code, 2025, "zalo_mailbox", 3],
                                                         [other_unit.code, 2024, "disaster_plan", 1],
                                                         [other_unit.code, 2024, "zalo_mailbox", 7, "self"]],
                                                        header=HEADER + ["status"]))
    status, out, _err = run("import_data", "models", str(path))
    assert status == 0 and "created 3" in out
    before = counts()
    exported = tmp_path / f"out.{suffix}"
    assert run("export_data", "models", str(exported))[0] == 0
    ModelCount.objects.all().delete()
    Assessment.objects.all().delete()
    status, out, _err = run("import_data", "models", str(exported))
    assert status == 0 and "created 3" in out
    assert counts() == before
    assert before[(other_unit.id, 2024, "zalo_mailbox")] == (7, CountStatus.SELF)
