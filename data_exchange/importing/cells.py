"""The columns of each kind, reading one cell, and the first pass over a file: its rows, kept compact.

The first pass reads the whole file once (as a stream) and keeps, per row, its number and the texts
of its named columns in a tuple; short texts that repeat are shared (reading._data_rows). So a
58,000-row file is a few MB here, and the second pass (each kind's module) can look up every unit
and year of the file in a constant number of queries before checking the rows one by one.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from operator import itemgetter

from django.utils.translation import gettext as _

from assessments.models import Level, Result

from ..reading import Table, normalise
from .plan import ImportPlan

KINDS = ("assessments", "recognitions", "registrations", "models")
BASE_COLUMNS = {
    "assessments": ("commune_code", "year", "stage"),
    "recognitions": ("commune_code", "level", "decision_number", "decision_date", "issued_by"),
    "registrations": ("commune_code", "year"),
    "models": ("commune_code", "year", "model_code", "count"),
}
# Columns whose cells say something: a row where all of them are blank is skipped (e.g. an
# untouched line of a template, which comes with the unit code and year filled in).
CONTENT_COLUMNS = {
    "assessments": ("stage",),  # plus every cK column
    "recognitions": ("level", "decision_number", "decision_date", "issued_by"),
    "registrations": ("year",),
    "models": ("model_code", "count"),
}
# Optional columns (§5): every format may name the programme by code; a backup also keeps returned
# assessments (`status`) and revocations (`revoked_on`).
OPTIONAL_COLUMNS = {
    "assessments": ("programme", "status"),
    "recognitions": ("programme", "revoked_on"),
    "registrations": ("programme",),
    "models": ("programme", "status"),  # status: self or verified (a backup keeps the verification)
}
CRITERION_COLUMN = re.compile(r"^c([1-9]\d{0,2})$")
MET_WORDS = {"1", "x", "đạt"}
NOT_MET_WORDS = {"0", "không đạt", "chưa đạt"}
LEVEL_WORDS = {
    "commune": Level.COMMUNE, "district": Level.DISTRICT, "province": Level.PROVINCE,
    "cấp xã": Level.COMMUNE, "cấp huyện": Level.DISTRICT, "cấp tỉnh": Level.PROVINCE,
}
STAGES = ("self", "verified")


def word(text: str) -> str:
    """A cell compared with a list of words: case and runs of spaces ignored."""
    return re.sub(r"\s+", " ", normalise(text).casefold())


_RESULTS: dict[str, str] = {}  # cell text → Result ("" for a text that is none): a file repeats a few words


def parse_result(value) -> str | None:
    """1/0/x/đạt/không đạt/chưa đạt (any case) → Result; blank → NOT_YET; anything else → None."""
    text = value if isinstance(value, str) else normalise(value)
    found = _RESULTS.get(text)
    if found is None:
        key = word(text)
        found = (Result.NOT_YET if key == "" else Result.MET if key in MET_WORDS
                 else Result.NOT_MET if key in NOT_MET_WORDS else "")
        if len(_RESULTS) < 1000:
            _RESULTS[text] = found
    return found or None


def parse_date(value) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = normalise(value)
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def parse_int(value) -> int | None:
    text = value if isinstance(value, str) else normalise(value)
    return int(text) if 0 < len(text) <= 9 and text.isascii() and text.isdigit() else None


class Cells:
    """One row's cells by machine key (a view on the compact row): `get(key)` is the text, "" when absent."""

    __slots__ = ("index", "values")

    def __init__(self, index: dict[str, int], values: tuple[str, ...]):
        self.index, self.values = index, values

    def get(self, key: str) -> str:
        position = self.index.get(key)
        return "" if position is None else self.values[position]


@dataclass
class Rows:
    """A file's data rows: per row its spreadsheet number and the texts of its named columns."""

    index: dict[str, int]  # machine key → position in a compact row
    criteria: set[int] = field(default_factory=set)  # criterion numbers with a column (assessments)
    items: list[tuple[int, tuple[str, ...]]] = field(default_factory=list)

    def __iter__(self) -> Iterator[tuple[int, Cells]]:
        """Each row, once: a row is let go as it is handed out, so that the rows and the changes made of
        them are not both held whole (`column()` is for before)."""
        items = self.items
        for i in range(len(items)):
            row, values = items[i]
            items[i] = None
            yield row, Cells(self.index, values)

    def __len__(self) -> int:
        return len(self.items)

    def column(self, key: str) -> Iterator[str]:
        """Every row's text in the column `key`."""
        position = self.index.get(key)
        if position is not None:
            for _row, values in self.items:
                yield values[position]


def read_rows(plan: ImportPlan, table: Table, kind: str) -> Rows | None:
    """The first pass: the header's problems (None then), else the file's rows, blank ones counted apart."""
    criteria = _check_header(plan, table, kind)
    if not plan.ok:
        return None
    named = [(key, position) for position, key in enumerate(table.columns) if key]
    rows = Rows(index={key: i for i, (key, _position) in enumerate(named)}, criteria=criteria)
    content = [rows.index[key] for key in rows.index
               if key in CONTENT_COLUMNS[kind] or (kind == "assessments" and CRITERION_COLUMN.match(key))]
    width = table.width
    pick = itemgetter(*[position for _key, position in named], 0)  # a tuple even for one column
    for row, cells in table.rows:
        if cells is None:
            plan.skipped_rows += 1
            continue
        extra = any(cells[width:])
        if len(cells) < width:
            cells += [""] * (width - len(cells))
        values = pick(cells)[:-1]
        if not extra and not any(values[i] for i in content):
            plan.skipped_rows += 1
            continue
        if extra:
            plan.add_problem(row, "-", _("có dữ liệu ở cột không có tiêu đề."))
        rows.items.append((row, values))
    return rows


def _check_header(plan: ImportPlan, table: Table, kind: str) -> set[int]:
    """Problems with the header row itself; returns the criterion numbers present."""
    row = table.header_row
    seen, numbers = set(), set()
    for key in table.columns:
        if not key:
            continue
        if key in seen:
            plan.add_problem(row, key, _("cột bị lặp lại."))
        seen.add(key)
        match = CRITERION_COLUMN.match(key) if kind == "assessments" else None
        if match:
            numbers.add(int(match.group(1)))
        elif key not in BASE_COLUMNS[kind] and key not in OPTIONAL_COLUMNS[kind]:
            plan.add_problem(row, key, _("cột không thuộc mẫu nhập %(kind)s (các cột: %(columns)s).")
                             % {"kind": kind, "columns": _columns_text(kind)})
    for key in BASE_COLUMNS[kind]:
        if key not in seen:
            plan.add_problem(row, key, _("thiếu cột bắt buộc."))
    return numbers


def _columns_text(kind: str) -> str:
    return ",".join(BASE_COLUMNS[kind]) + (",c1,…,cN" if kind == "assessments" else "")
