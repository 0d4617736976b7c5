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
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO
from xml.parsers import expat

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from criteria_portal.spreadsheets import safe_cell, unquote_cell, xlsx_cells

FORMATS = ("csv", "xlsx")
KEY_COLUMN = "commune_code"


class FileFormatError(ValueError):
    """The file cannot be read at all (not a table, wrong encoding, unknown extension, over a limit).

    `row`: the spreadsheet row where reading stopped (a CSV quote left open), 1 for the whole file.
    """

    def __init__(self, message: str, *, row: int = 1):
        super().__init__(message)
        self.row = row


def grouped(n: int) -> str:
    """A limit as people read it in the active language: 20.000 in Vietnamese, 20,000 in English."""
    return number_format(n, force_grouping=True)


@dataclass(frozen=True)
class Limits:
    """What one import file may hold (settings IMPORT_MAX_*), so that a hostile or oversized file is
    refused before it costs a worker its memory or its time."""

    rows: int  # data rows, header rows not counted
    columns: int
    cells: int  # <c> elements of the .xlsx sheet, empty ones too: what the reader parses
    inflated_bytes: int  # .xlsx: every zip member, uncompressed
    compression_ratio: int  # .xlsx: uncompressed / compressed size of any member over 1 MB

    @classmethod
    def from_settings(cls) -> Limits:
        return cls(rows=settings.IMPORT_MAX_ROWS, columns=settings.IMPORT_MAX_COLUMNS, cells=settings.IMPORT_MAX_CELLS,
                   inflated_bytes=settings.IMPORT_MAX_INFLATED_BYTES,
                   compression_ratio=settings.IMPORT_MAX_COMPRESSION_RATIO)

    def too_many_rows(self) -> FileFormatError:
        return FileFormatError(_("Tệp có hơn %(max)s dòng dữ liệu, quá giới hạn của một lần nhập; "
                                 "hãy chia thành nhiều tệp.") % {"max": grouped(self.rows)})

    def too_many_columns(self) -> FileFormatError:
        return FileFormatError(_("Tệp có hơn %(max)s cột, quá giới hạn của một lần nhập.") % {"max": grouped(self.columns)})


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


def _blank(row) -> bool:
    return not any(normalise(cell) for cell in row)


def _decode_csv(data: bytes, limits: Limits) -> list[list[str]]:
    end = data.find(b"\n")
    first_line = data[:end] if end >= 0 else data
    # Excel in a Vietnamese locale may save "CSV" with semicolons.
    delimiter = ";" if first_line.count(b";") > first_line.count(b",") else ","
    rows = []
    read = 0
    # Decoded as it is read (no copy of the whole text); strict: a quote left open is an error, not
    # the rest of the file swallowed into one cell.
    text = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", newline="")
    reader = csv.reader(text, delimiter=delimiter, strict=True)
    try:
        for row in reader:
            read += 1
            if len(row) > limits.columns:
                if not _blank(row[limits.columns:]):
                    raise limits.too_many_columns()
                row = row[:limits.columns]
            if len(rows) >= limits.rows + 2:  # two header rows at most
                if not _blank(row):
                    raise limits.too_many_rows()
                continue  # blank lines past the limit: nothing to keep
            rows.append(row)
    except csv.Error as exc:
        if "unexpected end of data" in str(exc):
            message = _("dấu ngoặc kép (\") mở ở dòng này không được đóng; hãy sửa dòng này trong tệp CSV.")
        elif "expected after" in str(exc):
            message = _("dấu ngoặc kép (\") đặt sai chỗ: sau ô trong ngoặc kép phải là dấu phân cách; "
                        "hãy sửa dòng này trong tệp CSV.")
        else:
            message = _("Không đọc được tệp CSV: %(error)s") % {"error": exc}
        raise FileFormatError(message, row=read + 1) from None
    except UnicodeDecodeError:
        raise FileFormatError(_("Tệp CSV phải được lưu với bảng mã UTF-8.")) from None
    return rows


UNREADABLE_XLSX = _lazy("Không đọc được tệp Excel (.xlsx).")
RATIO_CHECKED_FROM = 2**20  # smaller members cannot hurt whatever their ratio


def _check_archive(data: bytes, limits: Limits) -> None:
    """Sizes declared by the zip directory, before anything is inflated. They are a real bound: Python's
    zipfile never inflates a member past its declared size (and fails its CRC check if there was more)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        raise FileFormatError(str(UNREADABLE_XLSX)) from None
    if sum(member.file_size for member in members) > limits.inflated_bytes:
        raise FileFormatError(_("Tệp Excel khi giải nén lớn hơn %(max)s MB, quá giới hạn của một lần nhập.")
                              % {"max": grouped(limits.inflated_bytes // 2**20)})
    for member in members:
        if member.file_size > RATIO_CHECKED_FROM and member.file_size > limits.compression_ratio * member.compress_size:
            raise FileFormatError(_("Tệp Excel được nén bất thường (một phần giải nén lớn gấp hơn %(ratio)s lần), "
                                    "không thể nhận.") % {"ratio": limits.compression_ratio})


class _SheetExtent:
    """One pass of expat over the sheet XML, in constant memory: the last row and column holding a value,
    refusing the file as soon as it passes a limit. The sheet's declared <dimension> is not read: a 5 KB
    file can declare A1:XFD1048576, and openpyxl pads its rows and columns to what is declared."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.row = self.column = self.cells = 0
        self.last_row = self.last_column = 0

    def start(self, name: str, attributes: dict) -> None:  # called for every element: kept short
        if ":" in name:  # a prefixed name ("x:c")
            name = name.rpartition(":")[2]
        if name == "c":
            self.cells += 1
            if self.cells > self.limits.cells:
                raise FileFormatError(_("Trang tính có hơn %(max)s ô, quá giới hạn của một lần nhập.")
                                      % {"max": grouped(self.limits.cells)})
            letters = attributes.get("r", "").rstrip("0123456789")
            self.column = column_index_from_string(letters) if letters else self.column + 1
        elif name == "v" or name == "is":  # the cell holds a value (any type, or an inline string)
            if self.row > self.last_row:
                if self.row > self.limits.rows + 2:
                    raise self.limits.too_many_rows()
                self.last_row = self.row
            if self.column > self.last_column:
                if self.column > self.limits.columns:
                    raise self.limits.too_many_columns()
                self.last_column = self.column
        elif name == "row":
            number = attributes.get("r", "")
            self.row = int(number) if number.isdecimal() else self.row + 1
            self.column = 0

    @staticmethod
    def doctype(*args) -> None:  # entity definitions are how XML bombs are made; a sheet never has any
        raise FileFormatError(_("Tệp Excel có khai báo DOCTYPE, không thể nhận."))

    def scan(self, source: BinaryIO) -> _SheetExtent:
        parser = expat.ParserCreate()
        parser.StartElementHandler = self.start
        parser.StartDoctypeDeclHandler = self.doctype
        parser.EntityDeclHandler = self.doctype
        try:
            while chunk := source.read(2**16):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
        except FileFormatError:
            raise
        except (expat.ExpatError, ValueError, zipfile.BadZipFile, zlib.error, EOFError, OSError):
            # ValueError: a cell reference naming no column, a row number of thousands of digits
            raise FileFormatError(str(UNREADABLE_XLSX)) from None
        return self


def _decode_xlsx(data: bytes, limits: Limits) -> list[list]:
    _check_archive(data, limits)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds (zip, xml, key errors) on a broken file
        raise FileFormatError(str(UNREADABLE_XLSX)) from None
    try:
        if not workbook.worksheets:
            raise FileFormatError(str(UNREADABLE_XLSX))
        sheet = workbook.worksheets[0]
        with workbook._archive.open(sheet._worksheet_path) as source:
            extent = _SheetExtent(limits).scan(source)
        if not extent.last_row:
            return []
        sheet.reset_dimensions()  # not the declared dimension: the cells found
        try:
            return [list(row) for row in sheet.iter_rows(max_row=extent.last_row, max_col=extent.last_column,
                                                         values_only=True)]
        except Exception:
            raise FileFormatError(str(UNREADABLE_XLSX)) from None
    finally:
        workbook.close()


def read_table(name: str, data: bytes, limits: Limits | None = None) -> Table:
    limits = limits or Limits.from_settings()
    quoted = file_format(name) == "csv"
    raw = _decode_csv(data, limits) if quoted else _decode_xlsx(data, limits)
    header_index = None
    for index, row in enumerate(raw[:2]):
        if KEY_COLUMN in (normalise(cell).casefold() for cell in row):
            header_index = index
            break
    if header_index is None:
        raise FileFormatError(
            _("Không tìm thấy dòng tiêu đề có cột “%(key)s” ở dòng 1 hoặc dòng 2.") % {"key": KEY_COLUMN}
        )
    if sum(1 for row in raw[header_index + 1:] if not _blank(row)) > limits.rows:
        raise limits.too_many_rows()
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
