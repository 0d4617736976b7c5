import csv
import io

import pytest
from openpyxl import Workbook

from data_exchange.services import ImportRejected, data_import

HEADER = ["commune_code", "year", "stage"] + [f"c{n}" for n in range(1, 17)]


def csv_bytes(rows, header=HEADER, *, bom=False) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    if header is not None:
        writer.writerow(header)
    writer.writerows(rows)
    return (("\ufeff" if bom else "") + out.getvalue()).encode("utf-8")


def xlsx_bytes(rows, header=HEADER, *, labels=None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    if labels:
        sheet.append(labels)
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def assessment_row(unit, year, stage="verified", met=16, total=16, values=None):
    values = values or ["1" if n <= met else "0" for n in range(1, total + 1)]
    return [str(unit.code), str(year), stage, *values]


def problems_of(kind, data, *, name="data.csv", actor=None) -> list[str]:
    """The problem lines of a rejected file (the test fails if the file is accepted)."""
    with pytest.raises(ImportRejected) as caught:
        data_import(kind=kind, name=name, data=data, actor=actor)
    return [str(p) for p in caught.value.plan.problems]
