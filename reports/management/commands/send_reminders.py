"""send_reminders [--as-of DATE] [--dry-run] (DESIGN §5): one line per message, `to <email>: <subject>`.

Run it once a day from cron (README); running it again the same day sends nothing twice.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from reports.completeness import parse_day
from reports.reminders import send_reminders


class Command(BaseCommand):
    help = ("Gửi e-mail nhắc hạn: cán bộ Công an xã chưa gửi tự đánh giá (7, 3, 1 ngày trước hạn nộp và khi quá "
            "hạn), cán bộ thẩm định còn đánh giá đang chờ (trước hạn thẩm định và khi quá hạn). Mỗi người nhận "
            "tối đa một thư cho mỗi loại nhắc trong một ngày.")

    def add_arguments(self, parser):
        parser.add_argument("--as-of", dest="as_of", default=None,
                            help="Ngày nhắc, YYYY-MM-DD (mặc định: hôm nay).")
        parser.add_argument("--dry-run", action="store_true",
                            help="Chỉ in danh sách thư sẽ gửi; không gửi, không ghi gì.")

    def handle(self, *args, as_of, dry_run, **options):
        try:
            day = parse_day(as_of) if as_of else timezone.localdate()
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        outcome = send_reminders(day=day, dry_run=dry_run)
        for line in outcome.lines:
            self.stdout.write(line)
        for line in outcome.errors:
            self.stderr.write(line)
        self.stderr.write(
            ("Chạy thử, không gửi gì. " if dry_run else "")
            + f"Ngày {day:%d/%m/%Y}: {outcome.sent} thư"
            + (f" (và {outcome.queued} thư đã giao cho tác vụ nền gửi)" if outcome.queued else "")
            + f", {outcome.portal_only} chỉ thông báo trong cổng "
            f"(chưa có e-mail hoặc không gửi được đến địa chỉ), {outcome.switched_off} người đã tắt nhắc hạn, {outcome.already} đã gửi trước đó."
        )
        if outcome.errors:
            raise CommandError(f"{len(outcome.errors)} thư không gửi được; chạy lại lệnh để gửi tiếp.")
