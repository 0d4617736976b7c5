"""Reading and writing the §5 exchange files: CSV (UTF-8, with or without BOM) and .xlsx.

A file has one header row of machine keys (`commune_code,year,stage,c1,…`). The .xlsx
templates made by the portal have two header rows instead: Vietnamese labels on row 1 and
the machine keys on row 2; the reader finds the row of machine keys among the first two.
A column whose machine key is empty is ignored (the template's unit name column).
Row numbers are spreadsheet row numbers: the first header row is row 1.
"""

from __future__ import annotations

import csv
import datetime
import io
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from criteria_portal.spreadsheets import safe_cell, unquote_cell, xlsx_cells

FORMATS = ("csv", "xlsx")
KEY_COLUMN = "commune_code"


class FileFormatError(ValueError):
    """The file cannot be read at all (not a table, wrong encoding, unknown extension)."""


def file_format(name: str) -> str:
    suffix = Path(name or "").suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise FileFormatError(_("Chỉ nhận tệp .csv hoặc .xlsx."))
    return suffix


def normalise(value) -> str:
    """A cell as text: NFC, trimmed; whole numbers written without a decimal point."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return unicodedata.normalize("NFC", str(value)).strip()


@dataclass
class Table:
    header_row: int = 1
    columns: list[str] = field(default_factory=list)  # machine keys, "" for ignored columns
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)


def _decode_csv(data: bytes) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileFormatError(_("Tệp CSV phải được lưu với bảng mã UTF-8.")) from None
    first_line = text.split("\n", 1)[0]
    # Excel in a Vietnamese locale may save "CSV" with semicolons.
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise FileFormatError(_("Không đọc được tệp CSV: %(error)s") % {"error": exc}) from None


def _decode_xlsx(data: bytes) -> list[list]:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds (zip, xml, key errors) on a broken file
        raise FileFormatError(_("Không đọc được tệp Excel (.xlsx).")) from None
    try:
        sheet = workbook.worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def read_table(name: str, data: bytes) -> Table:
    quoted = file_format(name) == "csv"
    raw = _decode_csv(data) if quoted else _decode_xlsx(data)
    header_index = None
    for index, row in enumerate(raw[:2]):
        if KEY_COLUMN in (normalise(cell).casefold() for cell in row):
            header_index = index
            break
    if header_index is None:
        raise FileFormatError(
            _("Không tìm thấy dòng tiêu đề có cột “%(key)s” ở dòng 1 hoặc dòng 2.") % {"key": KEY_COLUMN}
        )
    columns = [normalise(cell).casefold() for cell in raw[header_index]]
    table = Table(header_row=header_index + 1, columns=columns)
    for index, row in enumerate(raw[header_index + 1:], start=header_index + 2):
        cells = {}
        for position, key in enumerate(columns):
            if key:
                value = row[position] if position < len(row) else None
                # CSV exports quote text a spreadsheet would run ("'=…", safe_cell); take the quote off
                # again. An .xlsx export writes such text as text cells, unquoted: read it as it is.
                cells[key] = unquote_cell(value) if quoted and isinstance(value, str) else value
        extra = [c for c in row[len(columns):] if normalise(c)]
        if extra:
            cells[""] = extra[0]
        table.rows.append((index, cells))
    return table


# ---------------------------------------------------------------- writing

CSV_CHUNK_ROWS = 500


def csv_chunks(columns: list[str], rows: Iterable) -> Iterator[bytes]:
    """The CSV file in pieces of a few hundred rows, for a streamed response or a file: memory does
    not grow with the number of rows. Starts with a BOM so that Excel opens the Vietnamese text correctly
    (the reader accepts both)."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    out.write("\ufeff")
    writer.writerow(columns)
    for count, row in enumerate(rows, start=1):
        writer.writerow([safe_cell(value) for value in row])  # "'=…": never a live formula; read back as "=…"
        if count % CSV_CHUNK_ROWS == 0:
            yield out.getvalue().encode("utf-8")
            out.seek(0)
            out.truncate()
    yield out.getvalue().encode("utf-8")


def save_table(columns: list[str], rows: Iterable, fmt: str, out: BinaryIO, *, labels: list[str] | None = None,
               sheet_title: str = "") -> None:
    """Write the file into the binary file `out`. `labels` (xlsx only) adds a row of labels above the keys."""
    if fmt == "csv":
        for chunk in csv_chunks(columns, rows):
            out.write(chunk)
    else:
        _save_xlsx(columns, rows, out, labels=labels, sheet_title=sheet_title)


def write_table(columns: list[str], rows: Iterable, fmt: str, *, labels: list[str] | None = None,
                sheet_title: str = "") -> bytes:
    """The file as bytes."""
    out = io.BytesIO()
    save_table(columns, rows, fmt, out, labels=labels, sheet_title=sheet_title)
    return out.getvalue()


def _save_xlsx(columns, rows, out, *, labels=None, sheet_title="", validations=None) -> None:
    # Write-only: each row goes to the file as it comes, so time and memory are linear in the rows.
    # Widths, panes and styles must therefore be set before the first row.
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet((sheet_title or "data")[:31])
    key_row = 2 if labels else 1
    for position, key in enumerate(columns, start=1):
        width = 12 if key.startswith("c") and key[1:].isdigit() else 22
        sheet.column_dimensions[get_column_letter(position)].width = width
    sheet.freeze_panes = f"A{key_row + 1}"
    if labels:
        label_font, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
        wrap = Alignment(wrap_text=True, vertical="top")
        sheet.append([_styled(sheet, label, font=label_font, fill=fill, alignment=wrap) for label in labels])
    key_font = Font(bold=not labels, color="808080" if labels else None, size=9 if labels else 11)
    sheet.append([_styled(sheet, key, font=key_font) for key in columns])
    written = 0
    for row in rows:
        # User text ("=HYPERLINK(…)" as an issuing body) stays text, never a formula.
        sheet.append(xlsx_cells(sheet, row))
        written += 1
    last_row = key_row + max(written, 1)
    for formula, first_column, last_column in validations or []:
        validation = DataValidation(type="list", formula1=formula, allow_blank=True)
        validation.add(f"{get_column_letter(first_column)}{key_row + 1}:{get_column_letter(last_column)}{last_row}")
        sheet.data_validations.append(validation)
    workbook.save(out)


def _styled(sheet, value, **style):
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s" if isinstance(value, str) else cell.data_type
    for name, attribute in style.items():
        setattr(cell, name, attribute)
    return cell


def write_template(columns, rows, *, labels, sheet_title, validations) -> bytes:
    """An .xlsx template: labels on row 1, machine keys on row 2, drop-down lists on some columns."""
    out = io.BytesIO()
    _save_xlsx(columns, rows, out, labels=labels, sheet_title=sheet_title, validations=validations)
    return out.getvalue()
