"""import_data / export_data from the command line (DESIGN §5)."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from assessments.models import Assessment, Registration
from tests import factories
from tests.conftest import record
from tests.imports import result_of

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


def test_a_backup_over_the_row_limit_imports_by_the_command_and_not_through_the_web(
        tmp_path, settings, client, reviewer_user, criteria_set, district):
    """The web upload keeps IMPORT_MAX_ROWS; the command line streams a backup of any size (issue 17)."""
    settings.IMPORT_MAX_ROWS = 5
    units = factories.UnitFactory.create_batch(4, district=district)
    for unit in units:
        record(unit, 2023, 16)
        record(unit, 2024, 12, stage="self")
    path = tmp_path / "backup.csv"
    assert run("export_data", "assessments", str(path))[0] == 0
    Assessment.objects.all().delete()
    client.force_login(reviewer_user)
    upload = io.BytesIO(path.read_bytes())
    upload.name = "backup.csv"
    response = client.post(reverse("data_exchange:import"), {"upload-kind": "assessments", "upload-file": upload})
    page = client.get(result_of(client, response)).content.decode()
    assert "Dòng 1, cột -: Tệp có hơn 5 dòng dữ liệu, quá giới hạn của một lần nhập" in page
    assert not Assessment.objects.exists()
    status, out, _err = run("import_data", "assessments", str(path))
    assert status == 0 and "created 8" in out
    assert sorted(Assessment.objects.values_list("year", "status", "self_met_count")) == (
        [(2023, "verified", 16)] * 4 + [(2024, "submitted", 12)] * 4)


def test_the_command_reads_the_file_as_a_stream(tmp_path, criteria_set, unit, monkeypatch):
    """The open file is read as it goes, never as one whole bytes object."""
    from pathlib import Path

    path = tmp_path / "a.csv"
    path.write_bytes(csv_bytes([assessment_row(unit, 2024, met=14)]))
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail("the whole file was read into memory"))
    assert run("import_data", "assessments", str(path))[0] == 0
    assert Assessment.objects.get().verified_met_count == 14


def test_progress_is_reported_while_checking_and_writing(criteria_set, district, monkeypatch):
    """Each row counts twice in `total`: once checked, once written (a background job shows done/total)."""
    from data_exchange.services import data_import

    monkeypatch.setattr("data_exchange.importing.PROGRESS_EVERY", 2)
    units = factories.UnitFactory.create_batch(5, district=district)
    seen = []
    data_import(kind="assessments", name="a.csv", data=csv_bytes([assessment_row(u, 2024) for u in units]),
                on_progress=lambda done, total: seen.append((done, total)))
    assert seen[:3] == [(2, 10), (4, 10), (5, 10)] and seen[-1] == (10, 10)
    assert seen == sorted(seen) and Assessment.objects.count() == 5
