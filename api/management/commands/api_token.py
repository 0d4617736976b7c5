"""`manage.py api_token USERNAME [--write] [--days N] [--name NAME]`: print a new personal access token."""

from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from api import services


class Command(BaseCommand):
    help = "Tạo một mã truy cập API cho người dùng và in ra (chỉ một lần; cổng chỉ lưu bản băm)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--write", action="store_true", help="Cho phép ghi dữ liệu (mặc định: chỉ đọc).")
        parser.add_argument("--days", type=int, default=services.DEFAULT_DAYS,
                            help=f"Thời hạn, số ngày (1–{services.MAX_DAYS}, mặc định {services.DEFAULT_DAYS}).")
        parser.add_argument("--name", default="manage.py api_token", help="Tên gợi nhớ của mã.")

    def handle(self, *args, username, write, days, name, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Không có người dùng “{username}”.")
        try:
            _token, raw = services.api_token_create(user=user, name=name, days=days, can_write=write)
        except services.TokenError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(raw)
