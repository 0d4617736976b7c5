"""The yearly report for the meeting as a Word document (.docx), in the Vietnamese administrative layout
(Nghị định 30/2020/NĐ-CP: issuing body and number on the left, the national motto block on the right,
title, body in Times New Roman 13–14 pt, recipients and signature).

Built from build_report(), like the .xlsx and the pages, so the numbers and the targets' state words cannot
disagree. The province and the body heading it are the programme's (`progress.report_heading`). The number,
the place and the date are left as placeholders ("Số: …/BC-…", "…, ngày … tháng … năm …"): the office fills
them in when the report is issued.
"""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from assessments.models import Programme

from .exports import band_label, figures_label, target_state_label
from .progress import BAND_KEYS, OFFICIAL, build_report

FONT = "Times New Roman"
WEAKEST = 5


def _date(iso: str) -> str:
    return f"{iso[8:10]}/{iso[5:7]}/{iso[:4]}"


def _paragraph(cell_or_doc, text: str = "", *, bold=False, italic=False, underline=False, size=13,
               align=WD_ALIGN_PARAGRAPH.LEFT, space_after=0):
    p = cell_or_doc.add_paragraph()
    p.alignment = align
    p.paragraph_format.space_after = Pt(space_after)
    if text:
        run = p.add_run(text)
        run.bold, run.italic, run.underline = bold, italic, underline
        run.font.size = Pt(size)
        run.font.name = FONT
    return p


def _table(doc, header: list[str], rows: list[list], widths: list[float] | None = None):
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = ""
        run = cell.paragraphs[0].add_run(text)
        run.bold, run.font.size, run.font.name = True, Pt(11), FONT
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    for row in rows:
        cells = table.add_row().cells
        for i, (cell, value) in enumerate(zip(cells, row, strict=True)):
            run = cell.paragraphs[0].add_run("" if value is None else str(value))
            run.font.size, run.font.name = Pt(11), FONT
            if i > 0 and len(str(value)) < 12:  # numbers and short labels centred, text left
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    if widths:
        _widths(table, widths)
    return table


def _widths(table, widths: list[float]) -> None:
    """Fixed column widths: Word reads the cells' widths, LibreOffice the table grid; set both."""
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Cm(width)


def docx_for(*, year: int, programme: Programme, figures: str = OFFICIAL) -> bytes:
    report = build_report(year=year, programme=programme, figures=figures)
    doc = Document()
    _page_setup(doc)
    body = _heading_block(doc, report["heading"])
    _title_block(doc, report, year, figures)
    _targets_section(doc, report)
    _bands_section(doc, report, figures)
    _districts_section(doc, report)
    _weakest_criteria_section(doc, report)
    _models_section(doc, report)
    _signature_block(doc, body)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _page_setup(doc) -> None:
    """A4 portrait, the administrative margins, 13 pt."""
    style = doc.styles["Normal"]
    style.font.name, style.font.size = FONT, Pt(13)
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(1.5)


def _heading_block(doc, heading: dict) -> str:
    """The heading block: the programme's province and body, and the number (left); national motto and date
    (right). Province and body come from the data (`report_heading`): a merged territory's report of a later
    year is headed by its successor province. Returns the body's name, which signs the report."""
    body = heading["body"].upper() if heading["body"] else "…"
    head = doc.add_table(rows=1, cols=2)
    _widths(head, [6.0, 10.5])
    left, right = head.rows[0].cells
    left.paragraphs[0].text = ""
    if heading["province_name"]:
        _paragraph(left, heading["province_name"].upper(), size=12, align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(left, body, bold=True, size=12, align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(left, "———", size=12, align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(left, _("Số: …/BC-…"), size=13, align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(right, _("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), bold=True, size=12, align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(right, _("Độc lập - Tự do - Hạnh phúc"), bold=True, underline=True, size=13,
               align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(right, "", size=12)
    _paragraph(right, _("…, ngày … tháng … năm …"), italic=True, size=13, align=WD_ALIGN_PARAGRAPH.CENTER)
    return body


def _title_block(doc, report: dict, year: int, figures: str) -> None:
    """The title, the resolution reported on, which figures as of which day, and the scope."""
    territory = report["programme"]["territory"]["province_name"]
    _paragraph(doc, "", space_after=6)
    _paragraph(doc, _("BÁO CÁO"), bold=True, size=14, align=WD_ALIGN_PARAGRAPH.CENTER)
    resolution = report["programme"]["resolution"]
    day = report["programme"]["resolution_date"]
    _paragraph(doc, _("Kết quả thực hiện Nghị quyết số %(resolution)s%(day)s năm %(year)s") % {
        "resolution": resolution, "day": _(" ngày %(day)s") % {"day": _date(day)} if day else "", "year": year},
        bold=True, size=14, align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(doc, report["programme"]["name"], bold=True, size=13, align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(doc, "———", align=WD_ALIGN_PARAGRAPH.CENTER, space_after=6)
    label = _("%(figures)s, tính đến ngày %(day)s") % {"figures": figures_label(figures),
                                                         "day": _date(report["as_of"])}
    if figures != OFFICIAL:
        label += _(" (có tính các bản tự đánh giá chưa được thẩm định)")
    _paragraph(doc, f"({label})", italic=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=6)
    _paragraph(doc, _("Phạm vi: %(total)s đơn vị của %(area)s có hiệu lực ngày %(day)s (ngày ban hành nghị quyết).")
               % {"total": report["units_total"], "area": territory, "day": _date(day) if day else "…"},
               align=WD_ALIGN_PARAGRAPH.JUSTIFY, space_after=6)


def _targets_section(doc, report: dict) -> None:
    _paragraph(doc, _("I. KẾT QUẢ THỰC HIỆN CÁC MỤC TIÊU"), bold=True, space_after=3)
    _table(doc, [_("Mục tiêu"), _("Thời hạn"), _("Chỉ tiêu"), _("Thực hiện"), _("Chỉ tiêu cộng dồn"),
                 _("Thực hiện cộng dồn"), _("Đánh giá")],
           [[t["text"], _date(t["deadline"]), t["target"], t["actual"], t["cumulative_target"], t["cumulative_actual"],
             target_state_label(t)] for t in report["targets"]],
           widths=[6.0, 2.2, 1.5, 1.5, 1.6, 1.6, 1.8])
    if report["note"]:
        _paragraph(doc, report["note"], italic=True, size=11, align=WD_ALIGN_PARAGRAPH.JUSTIFY, space_after=6)


def _bands_section(doc, report: dict, figures: str) -> None:
    bands = report["bands_preliminary"] if figures != OFFICIAL else report["bands"]
    _paragraph(doc, _("II. PHÂN BỐ NHÓM KẾT QUẢ"), bold=True, space_after=3)
    _table(doc, [_("Nhóm kết quả"), _("Số đơn vị")],
           [[band_label(k), bands[k]] for k in BAND_KEYS] + [[_("Tổng"), sum(bands.values())]], widths=[10, 4])


def _districts_section(doc, report: dict) -> None:
    _paragraph(doc, "", space_after=3)
    _paragraph(doc, _("III. THEO HUYỆN, THÀNH PHỐ (địa giới khi ban hành nghị quyết)"), bold=True, space_after=3)
    _table(doc, [_("Huyện, thành phố"), _("Số đơn vị")] + [band_label(k) for k in BAND_KEYS],
           [[d["name"], d["units"]] + [d["bands"][k] for k in BAND_KEYS] for d in report["districts"]],
           widths=[4.2, 1.6, 1.9, 1.6, 1.6, 1.6, 1.6, 1.9])


def _weakest_criteria_section(doc, report: dict) -> None:
    _paragraph(doc, "", space_after=3)
    _paragraph(doc, _("IV. CÁC TIÊU CHÍ ĐẠT THẤP NHẤT"), bold=True, space_after=3)
    weakest = sorted((c for c in report["criteria"] if c["assessed"]),
                     key=lambda c: (c["met"] / c["assessed"], c["number"]))[:WEAKEST]
    if weakest:
        _table(doc, [_("Tiêu chí"), _("Số đơn vị đạt"), _("Số đơn vị được đánh giá"), _("Tỷ lệ đạt")],
               [[f"{c['number']}. {c['title']}", c["met"], c["assessed"], f"{round(100 * c['met'] / c['assessed'])}%"]
                for c in weakest], widths=[8.5, 2.5, 2.5, 2.5])
    else:
        _paragraph(doc, _("Chưa có đánh giá nào của năm này."), italic=True)


def _models_section(doc, report: dict) -> None:
    _paragraph(doc, "", space_after=3)
    _paragraph(doc, _("V. MÔ HÌNH TỰ QUẢN VỀ AN NINH TRẬT TỰ"), bold=True, space_after=3)
    if report["models"]:
        _table(doc, [_("Mô hình"), _("Số đơn vị có / số đơn vị"), _("Tổng số lượng")],
               [[m["name"], f"{m['units_with']}/{m['units_total']}", m["count"]] for m in report["models"]],
               widths=[9, 3.5, 3.5])
    else:
        _paragraph(doc, _("Chưa có loại mô hình nào."), italic=True)


def _signature_block(doc, body: str) -> None:
    """Recipients (left) and the body's signature (right)."""
    _paragraph(doc, "", space_after=6)
    sign = doc.add_table(rows=1, cols=2)
    _widths(sign, [8.0, 8.5])
    left, right = sign.rows[0].cells
    left.paragraphs[0].text = ""
    _paragraph(left, _("Nơi nhận:"), bold=True, italic=True, size=12)
    _paragraph(left, _("- Như trên;"), size=11)
    _paragraph(left, _("- Lưu: VT."), size=11)
    _paragraph(right, _("TM. %(body)s") % {"body": body}, bold=True, size=13, align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(right, _("(Ký, ghi rõ họ tên, đóng dấu)"), italic=True, size=12, align=WD_ALIGN_PARAGRAPH.CENTER)
