"""criteria_portal.spreadsheets: user text in exports is never run as a formula (CSV and .xlsx)."""

import io

import pytest
from openpyxl import Workbook, load_workbook

from criteria_portal.spreadsheets import safe_cell, unquote_cell, xlsx_cells

DANGEROUS = ['=HYPERLINK("http://x.invalid","UBND")', "+1+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0",
             "@SUM(A1:A9)", "\t=1+1", "\r=1+1", "=1+1"]


@pytest.mark.parametrize("text", DANGEROUS)
def test_csv_cell_that_a_spreadsheet_would_run_gets_an_apostrophe(text):
    assert safe_cell(text) == "'" + text
    assert unquote_cell(safe_cell(text)) == text


@pytest.mark.parametrize("value", [-1, -2.5, 0, 16, "-1", "+3", "-2.5", "Xã Tân Hòa", "", None,
                                   "12/QĐ-UBND", "'trích dẫn"])
def test_numbers_and_plain_text_are_left_alone(value):
    assert safe_cell(value) == value
    if isinstance(value, str):
        assert unquote_cell(value) == value


def test_unquote_only_removes_the_apostrophe_safe_cell_adds():
    assert unquote_cell("'abc") == "'abc"
    assert unquote_cell("'=1") == "=1"
    assert safe_cell("'=1") == "''=1" and unquote_cell("''=1") == "'=1"  # typed with an apostrophe: kept


def test_xlsx_cells_write_text_as_text_and_numbers_as_numbers():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(xlsx_cells(sheet, DANGEROUS[:4] + ["#N/A", -1, 2.5, None, "Xã A"]))
    out = io.BytesIO()
    workbook.save(out)
    row = next(load_workbook(io.BytesIO(out.getvalue())).active.iter_rows())
    assert [c.data_type for c in row[:5]] == ["s"] * 5
    assert [c.value for c in row[:5]] == DANGEROUS[:4] + ["#N/A"]
    assert (row[5].data_type, row[5].value, row[6].value, row[7].value, row[8].value) == ("n", -1, 2.5, None, "Xã A")


def test_xlsx_cells_work_in_a_write_only_workbook():
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(xlsx_cells(sheet, ["=1+1", -1]))
    out = io.BytesIO()
    workbook.save(out)
    row = next(load_workbook(io.BytesIO(out.getvalue())).active.iter_rows())
    assert (row[0].data_type, row[0].value, row[1].data_type, row[1].value) == ("s", "=1+1", "n", -1)
