"""Reading the §5 exchange files as a stream: CSV (UTF-8, with or without BOM) and .xlsx.

A file has one header row of machine keys (`commune_code,year,stage,c1,…`). The .xlsx
templates made by the portal have two header rows instead: Vietnamese labels on row 1 and
the machine keys on row 2; the reader finds the row of machine keys among the first two.
A column whose machine key is empty is ignored (the template's unit name column).
Row numbers are spreadsheet row numbers: the first header row is row 1.

Rows are read one at a time (a CSV record by record, an .xlsx with openpyxl's read-only
streaming reader), so memory does not grow with the file. Every limit (`Limits`) is checked
while reading, and a file over one is refused with a FileFormatError at once.
"""

from __future__ import annotations

import csv
import datetime
import io
import unicodedata
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string, get_column_letter

from criteria_portal.spreadsheets import unquote_cell

FORMATS = ("csv", "xlsx")
KEY_COLUMN = "commune_code"
EXCERPT_CHARS = 40
SHARED_CHARS, SHARED_MAX = 24, 10_000  # see _data_rows


class FileFormatError(ValueError):
    """The file cannot be read at all (not a table, wrong encoding, unknown extension, over a limit).

    `row`, `column`: where reading stopped (a CSV quote left open, a cell too long); 1 and "-" for the
    whole file.
    """

    def __init__(self, message: str, *, row: int = 1, column: str = "-"):
        super().__init__(message)
        self.row, self.column = row, column


def excerpt(value, limit: int = EXCERPT_CHARS) -> str:
    """User text quoted in a message: at most `limit` characters, then "…"."""
    text = normalise(value)
    return text if len(text) <= limit else text[:limit] + "…"


def grouped(n: int) -> str:
    """A limit as people read it in the active language: 20.000 in Vietnamese, 20,000 in English."""
    return number_format(n, force_grouping=True)


@dataclass(frozen=True)
class Limits:
    """What one import file may hold (settings IMPORT_MAX_*), so that a hostile or oversized file is
    refused before it costs a worker its memory or its time.

    `rows`, `cells` and `inflated_bytes` bound the size of a file, for the web upload; the command line
    (`for_command_line()`) has none of them, since it streams a backup of any size. The others bound
    what one cell, one row or one zip member may be, and hold for both.
    """

    rows: int | None  # data rows, header rows not counted
    columns: int
    cells: int | None  # <c> elements of the .xlsx sheet, empty ones too: what the reader parses
    inflated_bytes: int | None  # .xlsx: every zip member, uncompressed
    compression_ratio: int  # .xlsx: uncompressed / compressed size of any member over 1 MB
    cell_chars: int  # characters of one cell

    @classmethod
    def from_settings(cls) -> Limits:
        return cls(rows=settings.IMPORT_MAX_ROWS, columns=settings.IMPORT_MAX_COLUMNS, cells=settings.IMPORT_MAX_CELLS,
                   inflated_bytes=settings.IMPORT_MAX_INFLATED_BYTES,
                   compression_ratio=settings.IMPORT_MAX_COMPRESSION_RATIO, cell_chars=settings.IMPORT_MAX_CELL_CHARS)

    @classmethod
    def for_command_line(cls) -> Limits:
        limits = cls.from_settings()
        return cls(rows=None, columns=limits.columns, cells=None, inflated_bytes=None,
                   compression_ratio=limits.compression_ratio, cell_chars=limits.cell_chars)

    def too_many_rows(self) -> FileFormatError:
        return FileFormatError(_("Tệp có hơn %(max)s dòng dữ liệu, quá giới hạn của một lần nhập; "
                                 "hãy chia thành nhiều tệp.") % {"max": grouped(self.rows)})

    def too_many_columns(self) -> FileFormatError:
        return FileFormatError(_("Tệp có hơn %(max)s cột, quá giới hạn của một lần nhập.") % {"max": grouped(self.columns)})

    def cell_too_long(self, row: int, column: str, value: str) -> FileFormatError:
        return FileFormatError(_("ô có %(length)s ký tự, quá giới hạn %(max)s ký tự của một ô (“%(start)s”); "
                                 "tệp không được nhận.")
                               % {"length": grouped(len(value)), "max": grouped(self.cell_chars),
                                  "start": excerpt(value)},
                               row=row, column=column)


def file_format(name: str) -> str:
    suffix = Path(name or "").suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise FileFormatError(_("Chỉ nhận tệp .csv hoặc .xlsx."))
    return suffix


def normalise(value) -> str:
    """A cell as text: NFC, trimmed; whole numbers written without a decimal point."""
    if value is None:
        return ""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value).strip() if not value.isascii() else value.strip()
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return unicodedata.normalize("NFC", str(value)).strip()


def _blank(row) -> bool:
    return not any(normalise(cell) for cell in row)


@dataclass
class Table:
    """A file being read: its header and an iterator over its data rows (cell texts by position; a value
    right of the header's `width` is in a column without a title)."""

    header_row: int
    columns: list[str]  # machine keys, "" for ignored columns
    rows: Iterator[tuple[int, list[str] | None]]  # (row number, normalised cells; None for a blank row)
    limits: Limits

    @property
    def width(self) -> int:
        return len(self.columns)


# ---------------------------------------------------------------- CSV


def _csv_rows(source: BinaryIO, limits: Limits) -> Iterator[list[str]]:
    first_line = source.readline(2**16)
    source.seek(0)
    # Excel in a Vietnamese locale may save "CSV" with semicolons.
    delimiter = ";" if first_line.count(b";") > first_line.count(b",") else ","
    # Decoded as it is read; strict: a quote left open is an error, not the rest of the file swallowed into one cell.
    text = io.TextIOWrapper(source, encoding="utf-8-sig", newline="")
    read = 0
    try:
        for row in csv.reader(text, delimiter=delimiter, strict=True):
            read += 1
            if len(row) > limits.columns:
                if not _blank(row[limits.columns:]):
                    raise limits.too_many_columns()
                row = row[:limits.columns]
            yield [unquote_cell(value) for value in row]
    except csv.Error as exc:
        raise FileFormatError(_csv_message(str(exc), limits), row=read + 1) from None
    except UnicodeDecodeError:
        raise FileFormatError(_("Tệp CSV phải được lưu với bảng mã UTF-8.")) from None
    finally:
        text.detach()  # the caller closes its own file


def _csv_message(error: str, limits: Limits) -> str:
    if "unexpected end of data" in error:
        return _("dấu ngoặc kép (\") mở ở dòng này không được đóng; hãy sửa dòng này trong tệp CSV.")
    if "expected after" in error:
        return _("dấu ngoặc kép (\") đặt sai chỗ: sau ô trong ngoặc kép phải là dấu phân cách; "
                 "hãy sửa dòng này trong tệp CSV.")
    if "field larger than field limit" in error:
        return _("một ô dài quá giới hạn %(max)s ký tự của một ô; tệp không được nhận.") % {"max": grouped(limits.cell_chars)}
    return _("Không đọc được tệp CSV: %(error)s") % {"error": excerpt(error, 200)}


# ---------------------------------------------------------------- .xlsx

UNREADABLE_XLSX = _lazy("Không đọc được tệp Excel (.xlsx).")
RATIO_CHECKED_FROM = 2**20  # smaller members cannot hurt whatever their ratio


def _check_archive(source: BinaryIO, limits: Limits) -> None:
    """Sizes declared by the zip directory, before anything is inflated. They are a real bound: Python's
    zipfile never inflates a member past its declared size (and fails its CRC check if there was more)."""
    try:
        with zipfile.ZipFile(source) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        raise FileFormatError(str(UNREADABLE_XLSX)) from None
    finally:
        source.seek(0)
    if limits.inflated_bytes is not None and sum(member.file_size for member in members) > limits.inflated_bytes:
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
        self.max_cells = limits.cells if limits.cells is not None else float("inf")
        self.max_rows = limits.rows + 2 if limits.rows is not None else float("inf")  # two header rows at most

    def start(self, name: str, attributes: dict) -> None:  # called for every element: kept short
        if ":" in name:  # a prefixed name ("x:c")
            name = name.rpartition(":")[2]
        if name == "c":
            self.cells += 1
            if self.cells > self.max_cells:
                raise FileFormatError(_("Trang tính có hơn %(max)s ô, quá giới hạn của một lần nhập.")
                                      % {"max": grouped(self.limits.cells)})
            letters = attributes.get("r", "").rstrip("0123456789")
            self.column = column_index_from_string(letters) if letters else self.column + 1
        elif name == "v" or name == "is":  # the cell holds a value (any type, or an inline string)
            if self.row > self.last_row:
                if self.row > self.max_rows:
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
        from xml.parsers import expat

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


def _xlsx_rows(source: BinaryIO, limits: Limits) -> Iterator[list]:
    _check_archive(source, limits)
    try:
        workbook = load_workbook(source, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds (zip, xml, key errors) on a broken file
        raise FileFormatError(str(UNREADABLE_XLSX)) from None
    try:
        if not workbook.worksheets:
            raise FileFormatError(str(UNREADABLE_XLSX))
        sheet = workbook.worksheets[0]
        with workbook._archive.open(sheet._worksheet_path) as xml:
            extent = _SheetExtent(limits).scan(xml)
        if not extent.last_row:
            return
        sheet.reset_dimensions()  # not the declared dimension: the cells found
        rows = sheet.iter_rows(max_row=extent.last_row, max_col=extent.last_column, values_only=True)
        while True:
            try:
                row = next(rows)
            except StopIteration:
                return
            except Exception:
                raise FileFormatError(str(UNREADABLE_XLSX)) from None
            yield list(row)
    finally:
        workbook.close()


# ---------------------------------------------------------------- the table


@contextmanager
def open_table(name: str, source: bytes | BinaryIO, limits: Limits | None = None) -> Iterator[Table]:
    """`with open_table(name, source) as table:` then `for row, cells in table.rows`. `source`: the bytes,
    or a seekable binary file (the command line's, read as it goes). Raises FileFormatError, also while
    the rows are iterated."""
    limits = limits or Limits.from_settings()
    stream = io.BytesIO(source) if isinstance(source, bytes | bytearray | memoryview) else source
    raw = _csv_rows(stream, limits) if file_format(name) == "csv" else _xlsx_rows(stream, limits)
    try:
        yield _table(raw, limits)
    finally:
        raw.close()


def _table(raw: Iterator[list], limits: Limits) -> Table:
    first = [next(raw, None), None]
    if first[0] is not None and not _has_key(first[0]):
        first[1] = next(raw, None)
    header_index = next((i for i, row in enumerate(first) if row is not None and _has_key(row)), None)
    if header_index is None:
        raise FileFormatError(
            _("Không tìm thấy dòng tiêu đề có cột “%(key)s” ở dòng 1 hoặc dòng 2.") % {"key": KEY_COLUMN}
        )
    header = first[header_index]
    for position, cell in enumerate(header):
        if isinstance(cell, str) and len(cell) > limits.cell_chars:
            raise limits.cell_too_long(header_index + 1, get_column_letter(position + 1), cell)
    columns = [normalise(cell).casefold() for cell in header]
    return Table(header_row=header_index + 1, columns=columns,
                 rows=_data_rows(raw, header_index + 2, columns, limits), limits=limits)


def _has_key(row: list) -> bool:
    return KEY_COLUMN in (normalise(cell).casefold() for cell in row if not isinstance(cell, str) or len(cell) < 100)


def _data_rows(raw: Iterator[list], first_row: int, columns: list[str], limits: Limits
               ) -> Iterator[tuple[int, list[str] | None]]:
    """The rows with their numbers, each cell normalised, None for a blank row. A short text that repeats
    (such as "1" or "verified") is one shared string, so that rows kept by the caller stay small."""
    filled = 0
    shared: dict = {}

    def text(value) -> str:
        if isinstance(value, str) and len(value) > limits.cell_chars:
            raise _TooLong
        normal = normalise(value)
        if len(normal) <= SHARED_CHARS and len(shared) < SHARED_MAX:
            shared[value] = normal
        return normal

    for number, row in enumerate(raw, start=first_row):
        try:
            cells = [shared.get(value) or text(value) for value in row]
        except _TooLong:
            position = next(i for i, v in enumerate(row) if isinstance(v, str) and len(v) > limits.cell_chars)
            named = position < len(columns) and columns[position]
            raise limits.cell_too_long(number, named or get_column_letter(position + 1), row[position]) from None
        if not any(cells):
            yield number, None
            continue
        filled += 1
        if limits.rows is not None and filled > limits.rows:
            raise limits.too_many_rows()
        yield number, cells


class _TooLong(Exception):
    pass
