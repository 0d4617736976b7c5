from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from assessments.demo import DEMO_PASSWORD, NEW_YEARS, OLD_YEARS, DemoError, demo_exists, demo_users, seed_demo


class Command(BaseCommand):
    help = "Build the clearly labelled demo dataset (2022–2026, across the 2025 reform) and demo logins. Refuses on production."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Run even with DEBUG off (never on real data).")

    def handle(self, *args, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo từ chối chạy khi DEBUG tắt (cấu hình production). Dùng --force nếu chắc chắn "
                "đây không phải cơ sở dữ liệu thật."
            )
        if demo_exists():
            self.stdout.write("Dữ liệu minh họa đã có; không tạo lại.")
        else:
            try:
                seed_demo()
            except DemoError as exc:
                raise CommandError(str(exc)) from None
            self.stdout.write(
                f"Đã tạo dữ liệu minh họa (DEMO): {OLD_YEARS[0]}–{OLD_YEARS[-1]} trên các đơn vị trước sắp xếp, "
                f"{NEW_YEARS[0]}–{NEW_YEARS[-1]} trên các đơn vị kế thừa từ 01/07/2025."
            )
        self.stdout.write(f"Tài khoản minh họa — mật khẩu của tất cả: {DEMO_PASSWORD}")
        for user in demo_users():
            self.stdout.write(f"  {user.username:<22} {user.role_label} · {user.scope_label}")
        if settings.PORTAL_2FA_DEMO_EXEMPT:
            self.stdout.write("Xác thực hai lớp: không bắt buộc ở chế độ minh họa (PORTAL_DEMO); ai muốn thử thì bật "
                              "trong “Tài khoản của tôi”.")
        else:
            self.stdout.write("Xác thực hai lớp: quản trị, Ban Chỉ đạo tỉnh và theo dõi toàn quốc sẽ phải bật ở lần "
                              "đăng nhập đầu (PORTAL_2FA_REQUIRED).")
