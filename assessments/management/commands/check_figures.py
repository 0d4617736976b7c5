"""check_figures [--programme CODE] [--year Y]: recompute every stored figure from the records (DESIGN §5)."""

from django.core.management.base import BaseCommand, CommandError

from assessments.facts.check import check
from assessments.programmes import ProgrammeError, programme_get


class Command(BaseCommand):
    help = ("Tính lại mọi số liệu đã lưu từ dữ liệu gốc (DESIGN §2, §7) và in từng chỗ sai khác; "
            "mã thoát khác 0 khi có sai khác.")

    def add_arguments(self, parser):
        parser.add_argument("--programme", default=None, help="Mã chương trình (mặc định: mọi chương trình).")
        parser.add_argument("--year", type=int, default=None, help="Chỉ kiểm tra các ngày số liệu của năm này.")

    def handle(self, *args, programme=None, year=None, **options):
        chosen = None
        if programme:
            try:
                chosen = programme_get(programme)
            except ProgrammeError as exc:
                raise CommandError(str(exc)) from None
        days, differences = check(programme=chosen, year=year)
        for difference in differences:
            self.stdout.write(str(difference))
        summary = f"{days} ngày số liệu đã kiểm tra, {len(differences)} sai khác."
        if differences:
            raise CommandError(summary)
        self.stdout.write(summary)
