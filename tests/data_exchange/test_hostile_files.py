"""Spreadsheet bombs and oversized files: refused on row 1, column "-", before they cost memory; nothing stored."""

import io
import json
import re
import time
import tracemalloc
import zipfile

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from assessments.models import Assessment
from data_exchange import reading
from data_exchange.models import PendingImport
from data_exchange.services import data_import
from tests.imports import result_of

from .conftest import HEADER, assessment_row, csv_bytes, problems_of, xlsx_bytes

pytestmark = pytest.mark.django_db

SHEET = "xl/worksheets/sheet1.xml"


@pytest.fixture(autouse=True)
def _criteria(criteria_set):
    return criteria_set


def rebuilt(data: bytes, *, sheet=None, extra=()) -> bytes:
    """A copy of the .xlsx `data` with its sheet XML passed through `sheet` and `extra` (name, bytes) members."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == SHEET and sheet:
                content = sheet(content)
            target.writestr(info.filename, content)
        for name, content in extra:
            target.writestr(name, content)
    return out.getvalue()


def one_row_xlsx(unit) -> bytes:
    return xlsx_bytes([assessment_row(unit, 2024, met=14)])


def far_cell(xml: bytes, cell: bytes) -> bytes:
    """Declare the whole sheet as used (A1:XFD1048576) and add `cell` (XML) in its own row."""
    xml = xml.replace(b'<dimension ref="A1:S2"/>', b'<dimension ref="A1:XFD1048576"/>')
    assert b"XFD1048576" in xml
    row = int(cell.split(b'r="')[1].split(b'"')[0].lstrip(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    return xml.replace(b"</sheetData>", b'<row r="%d">%s</row></sheetData>' % (row, cell))


def peak(work):
    tracemalloc.start()
    try:
        result = work()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_default_limits():
    assert django_settings.IMPORT_MAX_ROWS == 20_000
    assert django_settings.IMPORT_MAX_COLUMNS == 200
    assert django_settings.IMPORT_MAX_INFLATED_BYTES == 50 * 2**20


def test_declared_dimension_is_not_trusted(unit):
    # 5 KB: one data row, an empty formatted cell at XFD1048576 and the dimension A1:XFD1048576.
    # openpyxl padded every row to 16,384 cells and every missing row up to 1,048,576: 4 GB and more.
    data = rebuilt(one_row_xlsx(unit), sheet=lambda xml: far_cell(xml, b'<c r="XFD1048576" s="0"/>'))
    assert len(data) < 10_000
    plan, peak_bytes = peak(lambda: data_import(kind="assessments", name="a.xlsx", data=data))
    assert plan.totals()["created"] == 1 and Assessment.objects.get().verified_met_count == 14
    assert peak_bytes < 20 * 2**20


def test_a_value_far_down_is_refused_by_the_row_limit(unit):
    data = rebuilt(one_row_xlsx(unit), sheet=lambda xml: far_cell(
        xml, b'<c r="A1048576" t="inlineStr"><is><t>x</t></is></c>'))
    lines, peak_bytes = peak(lambda: problems_of("assessments", data, name="a.xlsx"))
    assert lines == ["row 1, column -: Tệp có hơn 20.000 dòng dữ liệu, quá giới hạn của một lần nhập; "
                     "hãy chia thành nhiều tệp."]
    assert peak_bytes < 20 * 2**20 and not Assessment.objects.exists()


def test_a_value_far_right_is_refused_by_the_column_limit(unit):
    data = rebuilt(one_row_xlsx(unit), sheet=lambda xml: far_cell(xml, b'<c r="XFD3"><v>1</v></c>'))
    assert problems_of("assessments", data, name="a.xlsx") == [
        "row 1, column -: Tệp có hơn 200 cột, quá giới hạn của một lần nhập."]


@pytest.mark.parametrize("cell, message", [
    (b'<c r="A99999999999999999999"><v>1</v></c>', "Tệp có hơn 20.000 dòng dữ liệu"),
    (b'<c r="A1B99999999999999999999"><v>1</v></c>', "Không đọc được tệp Excel (.xlsx)."),
])
def test_absurd_cell_references_are_refused_not_a_crash(unit, cell, message):
    data = rebuilt(one_row_xlsx(unit), sheet=lambda xml: xml.replace(
        b"</sheetData>", b'<row r="99999999999999999999">%s</row></sheetData>' % cell))
    lines = problems_of("assessments", data, name="a.xlsx")
    assert len(lines) == 1 and lines[0].startswith("row 1, column -: " + message)


def test_too_many_cells_are_refused(settings, unit):
    settings.IMPORT_MAX_CELLS = 30  # the header and one data row have 38
    assert problems_of("assessments", one_row_xlsx(unit), name="a.xlsx") == [
        "row 1, column -: Trang tính có hơn 30 ô, quá giới hạn của một lần nhập."]


@pytest.fixture
def openpyxl_must_not_open(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("openpyxl opened a file that should have been refused before")
    monkeypatch.setattr(reading, "load_workbook", refuse)


def test_inflated_size_is_checked_before_openpyxl_opens_the_file(unit, openpyxl_must_not_open):
    # 60 MB of one repeated byte deflates to ~60 KB.
    data = rebuilt(one_row_xlsx(unit), extra=[("xl/media/padding.bin", b"\0" * (60 * 2**20))])
    assert len(data) < 200_000
    assert problems_of("assessments", data, name="a.xlsx") == [
        "row 1, column -: Tệp Excel khi giải nén lớn hơn 50 MB, quá giới hạn của một lần nhập."]
    assert not Assessment.objects.exists()


def test_an_abnormal_compression_ratio_is_refused(unit, openpyxl_must_not_open):
    data = rebuilt(one_row_xlsx(unit), extra=[("xl/media/padding.bin", b"A" * (8 * 2**20))])
    assert problems_of("assessments", data, name="a.xlsx") == [
        "row 1, column -: Tệp Excel được nén bất thường (một phần giải nén lớn gấp hơn 100 lần), không thể nhận."]


def test_a_doctype_is_refused(unit):
    data = rebuilt(one_row_xlsx(unit), sheet=lambda xml: b'<!DOCTYPE x [<!ENTITY a "aaaa">]>' + xml)
    assert problems_of("assessments", data, name="a.xlsx") == [
        "row 1, column -: Tệp Excel có khai báo DOCTYPE, không thể nhận."]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_row_limit_counts_data_rows(settings, fmt, unit, other_unit):
    settings.IMPORT_MAX_ROWS = 2
    build = csv_bytes if fmt == "csv" else xlsx_bytes
    three = [assessment_row(unit, 2023), assessment_row(unit, 2024), assessment_row(other_unit, 2024)]
    assert problems_of("assessments", build(three), name=f"a.{fmt}") == [
        "row 1, column -: Tệp có hơn 2 dòng dữ liệu, quá giới hạn của một lần nhập; hãy chia thành nhiều tệp."]
    # Blank lines at the end do not count.
    plan = data_import(kind="assessments", name=f"a.{fmt}", data=build(three[:2] + [[""] * 19] * 5))
    assert plan.totals()["created"] == 2


def test_csv_column_limit(unit):
    data = csv_bytes([assessment_row(unit, 2024) + [""] * 182 + ["x"]], header=HEADER + [f"x{n}" for n in range(182)])
    assert problems_of("assessments", data) == ["row 1, column -: Tệp có hơn 200 cột, quá giới hạn của một lần nhập."]


# ---------------------------------------------------------------- the web upload


def upload(client, data, name):
    file = io.BytesIO(data)
    file.name = name
    return client.post(reverse("data_exchange:import"), {"upload-kind": "assessments", "upload-file": file})


def test_a_bomb_upload_is_refused_and_its_bytes_are_not_kept(client, reviewer_user, unit):
    client.force_login(reviewer_user)
    bomb = rebuilt(one_row_xlsx(unit), extra=[("xl/media/padding.bin", b"\0" * (60 * 2**20))])
    response = upload(client, bomb, "bomb.xlsx")
    page = client.get(result_of(client, response)).content.decode()
    assert "Dòng 1, cột -: Tệp Excel khi giải nén lớn hơn 50 MB" in page
    pending = PendingImport.objects.get()
    assert bytes(pending.data) == b"" and pending.problem_count == 1
    assert reverse("data_exchange:confirm", args=[pending.pk]) not in page
    client.post(reverse("data_exchange:confirm", args=[pending.pk]))
    assert not Assessment.objects.exists()


def test_the_preview_does_not_read_the_file_again(client, reviewer_user, unit, monkeypatch):
    client.force_login(reviewer_user)
    response = upload(client, csv_bytes([assessment_row(unit, 2024, met=14)]), "a.csv")
    with monkeypatch.context() as patched:
        def refuse(*args, **kwargs):
            raise AssertionError("the preview read the stored file again")
        patched.setattr("data_exchange.importing.open_table", refuse)
        for _reload in range(2):
            page = client.get(result_of(client, response)).content.decode()
            assert "Sẽ tạo mới 1, cập nhật 0, giữ nguyên 0." in page and unit.district.name in page
    # Confirming checks the file once more against the database, then writes it.
    client.post(reverse("data_exchange:confirm", args=[PendingImport.objects.get().pk]))
    assert Assessment.objects.get().verified_met_count == 14


# ---------------------------------------------------------------- long cells (issue 18)


def long_cells_xlsx(unit, *, chars=2**20, rows=200) -> bytes:
    """The issue's case: one long text (random letters, so that it hardly compresses and no ratio limit stops
    it) stored once in the shared strings and used by every cell of every row but the unit code and year."""
    import random

    text = "".join(random.Random(18).choices("abcdefghijklmnopqrstuvwxyz", k=chars)).encode()
    shared = {
        SHEET: lambda xml: re.sub(rb'<c r="([A-Z]+\d+)" t="inlineStr"><is><t>LONG</t></is></c>',
                                  rb'<c r="\1" t="s"><v>0</v></c>', xml),
        "[Content_Types].xml": lambda xml: xml.replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" '
                                                       b'ContentType="application/vnd.openxmlformats-officedocument.'
                                                       b'spreadsheetml.sharedStrings+xml"/></Types>'),
        "xl/_rels/workbook.xml.rels": lambda xml: xml.replace(b"</Relationships>", b'<Relationship Id="rIdS" '
                                                              b'Type="http://schemas.openxmlformats.org/officeDocument/'
                                                              b'2006/relationships/sharedStrings" '
                                                              b'Target="sharedStrings.xml"/></Relationships>'),
    }
    data = xlsx_bytes([[unit.code, 2024] + ["LONG"] * 17 for _ in range(rows)])
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, shared.get(info.filename, lambda xml: xml)(source.read(info.filename)))
        target.writestr("xl/sharedStrings.xml", b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.'
                        b'openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>' + text +
                        b"</t></si></sst>")
    return out.getvalue()


def test_default_cell_limit():
    assert django_settings.IMPORT_MAX_CELL_CHARS == 1000


def test_an_xlsx_of_long_cells_is_refused_quickly_small_and_said_so(client, reviewer_user, unit):
    data = long_cells_xlsx(unit)
    assert 600_000 < len(data) < 900_000  # ~734 KB: within every other limit
    client.force_login(reviewer_user)
    started = time.perf_counter()
    response = upload(client, data, "long.xlsx")
    pages = [client.get(result_of(client, response)) for _reload in range(2)]
    assert time.perf_counter() - started < 10
    pending = PendingImport.objects.get()
    assert pending.problem_count == 1 and bytes(pending.data) == b""
    assert len(json.dumps(pending.problems, ensure_ascii=False).encode()) < 1000
    (row, column, reason), = pending.problems
    assert (row, column) == (2, "stage")
    assert reason.startswith("ô có 1.048.576 ký tự, quá giới hạn 1.000 ký tự của một ô (“")
    assert reason.endswith("…”); tệp không được nhận.") and len(reason) < 200
    for page in pages:
        assert page.status_code == 200 and len(page.content) < 50_000
        assert "Dòng 2, cột stage: ô có 1.048.576 ký tự" in page.content.decode()
    assert not Assessment.objects.exists()


def test_a_csv_cell_over_the_limit_is_refused(settings, unit):
    settings.IMPORT_MAX_CELL_CHARS = 16
    rec = ["commune_code", "level", "decision_number", "decision_date", "issued_by"]
    lines = problems_of("recognitions", csv_bytes([[unit.code, "commune", "1/QĐ", "2024-01-02", "UBND huyện Mai Châu"]],
                                                  header=rec))
    assert lines == ["row 2, column issued_by: ô có 19 ký tự, quá giới hạn 16 ký tự của một ô (“UBND huyện Mai "
                     "Châu”); tệp không được nhận."]


def test_a_csv_cell_longer_than_the_csv_reader_takes_is_refused(unit):
    data = csv_bytes([[unit.code, "2024", "x" * 200_000] + ["1"] * 16])
    assert problems_of("assessments", data) == [
        "row 2, column -: một ô dài quá giới hạn 1.000 ký tự của một ô; tệp không được nhận."]


def test_problems_quote_an_excerpt_and_the_page_stays_bounded(client, reviewer_user, unit):
    """Cells under the limit but wrong: each message quotes 40 characters and "…"; the kept problems, the
    stored list and the page are bounded whatever the file."""
    bad = "không đạt " * 99  # 990 characters
    rows = [[unit.code, str(year), bad] + [bad] * 16 for year in (2023, 2024)] * 150
    client.force_login(reviewer_user)
    page = client.get(result_of(client, upload(client, csv_bytes(rows), "bad.csv"))).content.decode()
    pending = PendingImport.objects.get()
    assert pending.problem_count > 200 and len(pending.problems) == 200
    assert max(len(reason) for _row, _column, reason in pending.problems) <= 301
    assert f"giai đoạn “{bad[:40]}…” không hợp lệ" in page
    assert len(json.dumps(pending.problems, ensure_ascii=False).encode()) < 200 * 400
    assert len(page.encode()) < 200_000
