"""progress_report --year Y --format {json,csv,xlsx,docx} [--output FILE] (DESIGN §5; docx: issue 12)."""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from assessments.models import MAX_YEAR, MIN_YEAR
from assessments.programmes import ProgrammeError, programme_get
from reports import exports, selectors
from reports.docx_report import docx_for
from reports.progress import OFFICIAL, progress_report


class Command(BaseCommand):
    help = "Báo cáo tiến độ thực hiện một chương trình (số liệu chính thức) dạng JSON, CSV hoặc Excel."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="Năm báo cáo, ví dụ 2025.")
        parser.add_argument("--format", choices=["json", "csv", "xlsx", "docx"], default="json")
        parser.add_argument("--output", help="Tệp kết quả (mặc định: in ra màn hình; bắt buộc với xlsx, docx).")
        parser.add_argument("--programme", default=None, help="Mã chương trình (mặc định: chương trình mặc định).")

    def handle(self, *args, year, format, output, programme, **options):
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise CommandError(f"Năm {year} nằm ngoài khoảng cho phép ({MIN_YEAR}–{MAX_YEAR}).")
        if format in ("xlsx", "docx") and not output:
            raise CommandError(f"Định dạng {format} cần --output TỆP.")
        with translation.override("vi"):
            try:
                chosen = programme_get(programme)
            except ProgrammeError as exc:
                raise CommandError(str(exc)) from None
            if format == "json":
                data = json.dumps(progress_report(year=year, programme=chosen), ensure_ascii=False,
                                  indent=2).encode("utf-8") + b"\n"
            elif format == "csv":
                rows = selectors.unit_rows(year=year, programme=chosen, figures=OFFICIAL)
                data = exports.units_csv(rows)
            elif format == "docx":
                data = docx_for(year=year, programme=chosen)
            else:
                data = exports.xlsx_for(year=year, programme=chosen)
        if output:
            try:
                with open(output, "wb") as fh:
                    fh.write(data)
            except OSError as exc:
                raise CommandError(f"Không ghi được tệp {output}: {exc}") from None
            self.stderr.write(f"Đã ghi {output}")
        else:
            self.stdout.write(data.decode("utf-8"), ending="")
