"""prune_jobs [--days N]: delete finished jobs older than N days (JOBS_KEEP_DAYS) and their files; mark
jobs whose worker died as failed. Run daily beside send_reminders (README, Deploying)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from jobs.services import jobs_prune, jobs_reap_stale


class Command(BaseCommand):
    help = "Xóa tác vụ nền đã kết thúc quá N ngày (mặc định JOBS_KEEP_DAYS) cùng tệp kết quả."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="Giữ tác vụ trong số ngày này.")

    def handle(self, *args, days=None, **options):
        days = settings.JOBS_KEEP_DAYS if days is None else days
        reaped = jobs_reap_stale()
        pruned = jobs_prune(days=days)
        self.stdout.write(f"{pruned} tác vụ đã xóa (quá {days} ngày), {reaped} tác vụ bị gián đoạn đánh dấu lỗi.")
