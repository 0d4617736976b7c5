"""Exports of the progress report: .xlsx (targets, bands, districts, units, criteria, matrix) and CSV.

Both are built from the same dict/rows the pages show, so the numbers cannot disagree.
"""

from __future__ import annotations

import csv
import io

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from assessments.models import Band
from criteria_portal.spreadsheets import safe_cell, xlsx_cells

from . import selectors
from .progress import BAND_KEYS, LEVEL_NAMES, build_report

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
MET_FILL = PatternFill("solid", fgColor="C6EFCE")
NOT_MET_FILL = PatternFill("solid", fgColor="FFC7CE")
WRAP = Alignment(wrap_text=True, vertical="top")


def band_label(key: str) -> str:
    return str(Band(key).label)


def level_label(key: str) -> str:
    return {"commune": _("Cấp xã"), "district": _("Cấp huyện"), "province": _("Cấp tỉnh")}[key]


def figures_label(figures: str) -> str:
    return _("Số liệu sơ bộ") if figures == "preliminary" else _("Số liệu chính thức")


def target_state_label(target: dict) -> str:
    """A target's one state word (Đạt / Không đạt / Chưa đạt), as evaluated by `reports.targets`."""
    return target["state_label"]


def unit_table_header() -> list[str]:
    return [
        _("Mã đơn vị"), _("Tên đơn vị"), _("Mã huyện"), _("Huyện"), _("Đơn vị hiện nay (mã)"), _("Đơn vị hiện nay"),
        _("Nhóm kết quả"), _("Số tiêu chí đạt"),
        _("Tự đánh giá đạt"), _("Thẩm định đạt"), _("Trạng thái"), _("Cấp công nhận cao nhất"),
        _("Số quyết định"), _("Ngày ký"),
    ]


def unit_table_row(r: dict) -> list:
    return [
        str(r["code"]), r["name"], str(r["district__code"] or ""), r["district__name"],
        str(r["holder_code"] or ""), r["holder_name"], str(r["band_label"]),
        r["met"], r["self_met"], r["verified_met"], str(r["status_label"]), str(r["level_label"]),
        r["decision_number"] or "", r["decision_date"].strftime("%d/%m/%Y") if r["decision_date"] else "",
    ]


def units_csv(rows: list[dict]) -> bytes:
    """The unit table as CSV, UTF-8 with a BOM so Excel opens the Vietnamese text correctly.

    A decision number typed as "=HYPERLINK(…)" is quoted, never a live formula (safe_cell)."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(unit_table_header())
    for r in rows:
        writer.writerow(["" if v is None else safe_cell(v) for v in unit_table_row(r)])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def _sheet(wb: Workbook, title: str, header: list[str], rows: list[list], widths: list[int]):
    ws = wb.create_sheet(title)
    ws.append(header)
    for cell in ws[1]:
        cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, WRAP
    for row in rows:
        ws.append(xlsx_cells(ws, row))  # user text (decision numbers, names) stays text, never a formula
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    return ws


def report_xlsx(report: dict, units: list[dict], matrix) -> bytes:
    """The workbook for meetings. `matrix` is a selectors.Matrix for the whole province."""
    wb = Workbook()
    wb.remove(wb.active)
    _targets_sheet(wb, report)
    _sheet(
        wb, _("Nhóm kết quả"), [_("Nhóm kết quả"), _("Số liệu chính thức"), _("Số liệu sơ bộ")],
        [[band_label(k), report["bands"][k], report["bands_preliminary"][k]] for k in BAND_KEYS]
        + [[_("Tổng số"), report["units_total"], sum(report["bands_preliminary"].values())]],
        [30, 18, 16],
    )
    _districts_sheet(wb, report)
    _sheet(wb, _("Đơn vị"), unit_table_header(), [unit_table_row(r) for r in units],
           [10, 22, 10, 22, 12, 22, 24, 10, 10, 10, 14, 16, 18, 12])
    _sheet(
        wb, _("Tiêu chí"), [_("Tiêu chí số"), _("Tên tiêu chí"), _("Số đơn vị đạt"), _("Số đánh giá"), _("Tỷ lệ đạt (%)")],
        [[c["number"], c["title"], c["met"], c["assessed"],
          round(100 * c["met"] / c["assessed"]) if c["assessed"] else 0] for c in report["criteria"]],
        [12, 60, 14, 12, 14],
    )
    _matrix_sheet(wb, matrix)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _targets_sheet(wb, report: dict) -> None:
    """The targets, then the note and what the workbook shows."""
    state = {"past": _("Đã qua hạn"), "current": _("Hạn trong năm"), "future": _("Chưa đến hạn")}
    ws = _sheet(
        wb, _("Mục tiêu"),
        [_("Mã mục tiêu"), _("Thời hạn"), _("Nội dung mục tiêu"), _("Tính đến ngày"), _("Chỉ tiêu"), _("Thực hiện"),
         _("Chỉ tiêu cộng dồn"), _("Thực hiện cộng dồn"), _("Kết quả"), _("Thời hạn so với năm báo cáo")],
        [
            [t["key"], t["deadline"], t["text"], t["as_of"], t["target"], t["actual"], t["cumulative_target"],
             t["cumulative_actual"], target_state_label(t), state.get(t["deadline_state"], "")]
            for t in report["targets"]
        ],
        [24, 12, 70, 13, 10, 10, 14, 14, 11, 16],
    )
    for row in ws.iter_rows(min_row=2, min_col=3, max_col=3):
        for cell in row:
            cell.alignment = WRAP
    ws.append([])  # a blank line under the table, then the note and what the sheet shows
    ws.append(xlsx_cells(ws, [None, None, report.get("note") or None]))
    ws.cell(row=ws.max_row, column=3).alignment = WRAP
    ws.append(xlsx_cells(ws, [None, None, _("%(programme)s – năm báo cáo %(year)s – %(figures)s – %(total)s đơn vị "
                                            "trong phạm vi") % {
        "programme": report["programme"]["name"], "year": report["year"],
        "figures": figures_label(report.get("figures", "official")),
        "total": number_format(report["units_total"], force_grouping=True)}]))


def _districts_sheet(wb, report: dict) -> None:
    _sheet(
        wb, _("Huyện"),
        [_("Mã huyện"), _("Huyện"), _("Số đơn vị")]
        + [_("Công nhận %(level)s") % {"level": level_label(k).lower()} for k in LEVEL_NAMES]
        + [band_label(k) for k in BAND_KEYS],
        [
            [d["code"], d["name"], d["units"]] + [d["recognized"][k] for k in LEVEL_NAMES]
            + [d["bands"][k] for k in BAND_KEYS]
            for d in report["districts"]
        ],
        [10, 24, 10, 14, 14, 14, 16, 14, 14, 12, 12, 14],
    )


def _matrix_sheet(wb, matrix) -> None:
    """Unit × criterion: 1 met (green), 0 not met (red), blank otherwise; the unit columns stay in view."""
    numbers = [c["number"] for c in matrix.criteria]
    ws = _sheet(
        wb, _("Ma trận tiêu chí"),
        [_("Mã đơn vị"), _("Tên đơn vị"), _("Huyện")] + [_("TC %(n)s") % {"n": n} for n in numbers],
        [
            [str(u["code"]), u["name"], u["district__name"]]
            + [{"met": 1, "not-met": 0}.get(cell) for cell in cells]
            for u, cells in matrix.rows
        ],
        [10, 22, 22] + [7] * len(numbers),
    )
    ws.freeze_panes = "D2"
    for row in ws.iter_rows(min_row=2, min_col=4):
        for cell in row:
            if cell.value == 1:
                cell.fill = MET_FILL
            elif cell.value == 0:
                cell.fill = NOT_MET_FILL


def xlsx_for(*, year: int, programme, figures: str = "official") -> bytes:
    """The whole workbook for a programme and year (a constant number of queries)."""
    report = build_report(year=year, programme=programme, figures=figures)
    matrix = selectors.matrix(year=year, programme=programme, figures=figures)
    return report_xlsx(report, [u for u, _cells in matrix.rows], matrix)


def national_xlsx(report: dict) -> bytes:
    """The national table as a workbook (the same numbers as the page and the JSON)."""
    wb = Workbook()
    wb.remove(wb.active)
    _sheet(
        wb, _("Toàn quốc"),
        [_("Mã tỉnh"), _("Tỉnh"), _("Mã chương trình"), _("Chương trình"), _("Số đơn vị trong phạm vi")]
        + [band_label(k) for k in BAND_KEYS]
        + [_("Mục tiêu đạt"), _("Số mục tiêu"), _("Đơn vị đang giữ địa bàn"), _("Đã gửi báo cáo"), _("Đã thẩm định"),
           _("Tỷ lệ đã báo cáo (%)")],
        [
            [r["province"], r["province_name"], r["programme"]["code"], r["programme"]["name"], r["units_total"]]
            + [r["bands"][k] for k in BAND_KEYS]
            + [r["targets_met"], r["targets_total"], r["holders"], r["reported"], r["verified"], r["completeness"]]
            for r in report["programmes"]
        ],
        [8, 22, 16, 50, 12] + [12] * len(BAND_KEYS) + [10, 10, 12, 12, 12, 12],
    )
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
