from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from inventory.demo import demo_counts_exist, seed_demo_counts


class Command(BaseCommand):
    help = "Demo self-management model counts for the demo dataset (after seed_demo). Refuses on production."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Run even with DEBUG off (never on real data).")

    def handle(self, *args, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError("seed_demo_models từ chối chạy khi DEBUG tắt (cấu hình production).")
        if demo_counts_exist():
            self.stdout.write("Đã có số lượng mô hình; không tạo dữ liệu minh họa.")
            return
        self.stdout.write(f"Đã tạo {seed_demo_counts()} số lượng mô hình minh họa (DEMO).")
