"""User text in exported spreadsheets is never run as a formula ("CSV/formula injection").

A decision number or an issuing body typed as `=HYPERLINK(…)` would become a live formula in
the meeting's spreadsheet. Every export writes its cells through this module:
- CSV: `safe_cell()` prefixes an apostrophe to text that Excel or LibreOffice would evaluate
  (starting with = + - @, tab or carriage return); the importer takes it off again with
  `unquote_cell()`, so an exported backup reads back identically.
- .xlsx: `xlsx_cells()` writes every text as a text cell (never a formula, never an error
  value such as "#N/A"), so nothing needs quoting and the text stays exactly as typed.
Numbers stay numbers: -1 is a number (int/float values, and text that is only a number).
"""

from __future__ import annotations

import re

from openpyxl.cell.cell import ERROR_CODES, Cell

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?(?:[eE][+-]?\d+)?")


def is_dangerous(text: str) -> bool:
    """Text a spreadsheet would take for a formula (a plain number such as "-1" is not)."""
    return text.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(text)


def safe_cell(value):
    """A CSV cell: text a spreadsheet would run gets a leading apostrophe; anything else is unchanged.

    Text already starting with apostrophes before such text ("'=x") gets one more, so that
    unquote_cell() gives back exactly what was exported.
    """
    if isinstance(value, str) and is_dangerous(value.lstrip("'")):
        return "'" + value
    return value


def unquote_cell(text: str) -> str:
    """The importer's side of safe_cell(): "'=x" → "=x", "''=x" → "'=x"; "'abc" is left as it is."""
    if text.startswith("'") and is_dangerous(text.lstrip("'")):
        return text[1:]
    return text


def xlsx_cells(sheet, values) -> list:
    """A row for `sheet.append()` (normal or write-only worksheet) with every text as a text cell.

    openpyxl stores text as text except "=…" (a formula) and "#N/A"-like codes (an error value);
    those become explicit text cells. Other values are passed as they are (numbers stay numbers).
    """
    out = []
    for value in values:
        if isinstance(value, str) and (value.startswith("=") or value in ERROR_CODES):
            cell = Cell(sheet, row=1, column=1, value=value)  # placed by append()
            cell.data_type = "s"
            out.append(cell)
        else:
            out.append(value)
    return out
