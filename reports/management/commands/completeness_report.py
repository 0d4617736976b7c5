"""completeness_report --year Y --format json [--programme CODE] [--as-of YYYY-MM-DD] (DESIGN §5)."""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from assessments.models import MAX_YEAR, MIN_YEAR
from assessments.programmes import ProgrammeError, programme_get
from reports.completeness import completeness_load, parse_day


class Command(BaseCommand):
    help = ("Tình hình gửi và thẩm định đánh giá của một năm, tính đến một ngày: số đơn vị theo trạng thái "
            "(chưa bắt đầu, đang soạn, đã gửi đúng hạn/quá hạn, bị trả lại, đã thẩm định đúng hạn/quá hạn), "
            "theo huyện và từng đơn vị.")

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="Năm đánh giá, ví dụ 2026.")
        parser.add_argument("--format", choices=["json"], default="json")
        parser.add_argument("--programme", default=None, help="Mã chương trình (mặc định: chương trình mặc định).")
        parser.add_argument("--as-of", dest="as_of", default=None,
                            help="Tính đến hết ngày này, YYYY-MM-DD (mặc định: hôm nay với năm hiện tại, 31/12 với năm đã qua).")

    def handle(self, *args, year, format, programme, as_of, **options):
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise CommandError(f"Năm {year} nằm ngoài khoảng cho phép ({MIN_YEAR}–{MAX_YEAR}).")
        with translation.override("vi"):
            try:
                day = parse_day(as_of) if as_of else None  # today for the current year, 31/12 for a past one
            except ValueError as exc:
                raise CommandError(str(exc)) from None
            try:
                chosen = programme_get(programme)
            except ProgrammeError as exc:
                raise CommandError(str(exc)) from None
            data = completeness_load(programme=chosen, year=year, as_of=day).as_json()
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
