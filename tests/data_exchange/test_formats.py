"""data_exchange.formats: writing large tables in linear time and bounded memory."""

import io
import tracemalloc

from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from data_exchange.formats import csv_chunks, write_table

COLUMNS = ["commune_code", "year", "stage"] + [f"c{n}" for n in range(1, 17)] + ["programme", "status"]


def rows(count):
    for n in range(count):
        yield [str(4000 + n), "2024", "verified"] + ["1", "0"] * 8 + ["nq12_commune", ""]


def test_xlsx_writer_does_not_rescan_the_sheet_for_every_row(monkeypatch):
    calls = []
    max_row = Worksheet.max_row
    monkeypatch.setattr(Worksheet, "max_row", property(lambda sheet: calls.append(1) or max_row.fget(sheet)))
    data = write_table(COLUMNS, rows(300), "xlsx", sheet_title="assessments")
    assert len(calls) <= 2  # not once per row (which made a 60,000-row export quadratic)
    sheet = load_workbook(io.BytesIO(data), read_only=True).active
    values = list(sheet.iter_rows(values_only=True))
    assert len(values) == 301 and values[0][0] == "commune_code" and values[-1][:3] == ("4299", "2024", "verified")


def peak_bytes(work) -> int:
    tracemalloc.start()
    try:
        work()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_20000_row_csv_export_takes_bounded_memory():
    # The rows alone would be ~30 MB as a list; the CSV writer holds a few hundred rows at a time.
    assert peak_bytes(lambda: sum(len(chunk) for chunk in csv_chunks(COLUMNS, rows(20_000)))) < 2**20


def test_xlsx_export_memory_does_not_grow_with_the_rows():
    # A workbook kept in memory takes ~6 KB per row of 21 cells; written row by row, only the
    # compressed output (~60 bytes a row) grows.
    small = peak_bytes(lambda: write_table(COLUMNS, rows(500), "xlsx"))
    large = peak_bytes(lambda: write_table(COLUMNS, rows(2500), "xlsx"))
    assert large - small < 2**20


def test_csv_chunks_are_the_file_in_pieces():
    chunks = list(csv_chunks(COLUMNS, rows(1200)))
    assert len(chunks) > 2
    assert b"".join(chunks) == write_table(COLUMNS, rows(1200), "csv")
    assert chunks[0].startswith("\ufeffcommune_code,year,stage,c1".encode())
