"""progress_report --year Y --format {json,csv,xlsx} [--output FILE]."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from reports.progress import progress_report

from .conftest import EXPECTED_BANDS, EXPECTED_TARGETS

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("progress_report", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_json_to_stdout_is_the_report(scenario):
    out, _err = run("--year", "2025", "--format", "json")
    data = json.loads(out)
    assert data == json.loads(json.dumps(progress_report(year=2025)))
    assert data["bands"] == EXPECTED_BANDS
    assert {t["key"]: t["actual"] for t in data["targets"]} == {k: v[1] for k, v in EXPECTED_TARGETS.items()}
    assert "Huyện A" in out  # Vietnamese kept readable (no \\u escapes)


def test_json_to_file(scenario, tmp_path):
    path = tmp_path / "r.json"
    run("--year", "2025", "--format", "json", "--output", str(path))
    assert json.loads(path.read_text(encoding="utf-8"))["units_total"] == 17


def test_csv(scenario, tmp_path):
    path = tmp_path / "units.csv"
    run("--year", "2025", "--format", "csv", "--output", str(path))
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0].split(",")[:2] == ["Mã đơn vị", "Tên đơn vị"]
    assert len(lines) == 18
    a9 = next(line for line in lines if ",Xã a9," in line)
    assert "Đạt 9 tiêu chí" in a9


def test_xlsx(scenario, tmp_path):
    path = tmp_path / "r.xlsx"
    run("--year", "2025", "--format", "xlsx", "--output", str(path))
    wb = load_workbook(path)
    assert {"Mục tiêu", "Huyện", "Ma trận tiêu chí"} <= set(wb.sheetnames)
    rows = {r[0]: r for r in wb["Mục tiêu"].iter_rows(min_row=2, values_only=True) if r[0]}
    assert rows["2025-band-9"][6:8] == (131, 11)


@pytest.mark.parametrize("args", [
    ("--year", "1800"),
    ("--year", "2025", "--format", "xlsx"),
    ("--year", "2025", "--format", "json", "--output", "/nonexistent-dir/x.json"),
])
def test_bad_arguments(db, args):
    with pytest.raises(CommandError):
        run(*args)
