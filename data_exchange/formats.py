"""Writing the §5 exchange files: CSV (UTF-8 with a BOM) and .xlsx; reading is in `reading`.

The names of `reading` that forms and commands use are re-exported here.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from criteria_portal.spreadsheets import safe_cell, xlsx_cells

from .reading import FORMATS, FileFormatError, Limits, file_format, normalise, open_table

__all__ = ["FORMATS", "FileFormatError", "Limits", "csv_chunks", "file_format", "normalise", "open_table",
           "save_table", "write_table", "write_template"]

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
