"""import_data / export_data from the command line (DESIGN §5)."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from assessments.models import Assessment, Registration
from tests.conftest import record

from .conftest import assessment_row, csv_bytes

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
    except CommandError as exc:
        return exc.returncode, out.getvalue(), err.getvalue() + str(exc)
    return 0, out.getvalue(), err.getvalue()


def test_rejected_file_prints_one_line_per_problem_and_exits_non_zero(tmp_path, criteria_set, unit):
    path = tmp_path / "bad.csv"
    path.write_bytes(csv_bytes([assessment_row(unit, 2024), ["777777", "2024", "self"] + ["1"] * 16,
                                assessment_row(unit, 2024, values=["2"] + ["1"] * 15)], bom=True))
    status, out, err = run("import_data", "assessments", str(path))
    assert status == 1
    assert err.strip().splitlines() == [
        "row 3, column commune_code: không có đơn vị nào mã “777777”.",
        f"row 4, column commune_code: {unit.name} năm 2024 đã có ở dòng 2.",
        "bad.csv: 2 problem(s), nothing imported.",
    ]
    assert not Assessment.objects.exists()


def test_import_as_a_user_uses_their_scope(tmp_path, criteria_set, unit, other_unit, reviewer_user):
    path = tmp_path / "r.csv"
    path.write_bytes(csv_bytes([[other_unit.code, 2024]], header=["commune_code", "year"]))
    status, _out, err = run("import_data", "registrations", str(path), "--user", reviewer_user.username)
    assert status == 1 and "ngoài phạm vi" in err
    status, out, _err = run("import_data", "registrations", str(path))
    assert status == 0 and "created 1" in out
    assert Registration.objects.get().created_by is None


def test_unknown_user_and_missing_file(tmp_path, criteria_set):
    assert run("import_data", "registrations", str(tmp_path / "none.csv"))[0] == 1
    path = tmp_path / "r.csv"
    path.write_bytes(b"commune_code,year\n")
    assert run("import_data", "registrations", str(path), "--user", "nobody")[0] == 1


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_export_then_import_into_an_empty_database(tmp_path, criteria_set, unit, other_unit, suffix):
    record(unit, 2023, 16)
    record(other_unit, 2024, 11, stage="self")
    path = tmp_path / f"a.{suffix}"
    assert run("export_data", "assessments", str(path))[0] == 0
    Assessment.objects.all().delete()
    status, out, _err = run("import_data", "assessments", str(path))
    assert status == 0 and "created 2" in out
    assert sorted(Assessment.objects.values_list("unit_id", "year", "status", "self_met_count")) == sorted([
        (unit.id, 2023, "verified", 16), (other_unit.id, 2024, "submitted", 11)])


def test_export_refuses_an_unknown_extension(tmp_path, db):
    assert run("export_data", "assessments", str(tmp_path / "a.txt"))[0] == 1
