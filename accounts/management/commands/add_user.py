import datetime
import getpass
import os

from django.core.management.base import BaseCommand, CommandError

from accounts.models import Role
from accounts.services import UserSetupError, user_create_or_update


class Command(BaseCommand):
    help = "Create a portal user with a role and scope. Password from PORTAL_PASSWORD or a prompt."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--unit", type=int, help="GSO code of the unit (commune officers)")
        parser.add_argument("--district", type=int, help="GSO code of the district (district reviewers)")
        parser.add_argument(
            "--province", type=int,
            help="GSO code of the province (provincial viewers; reviewers of units without a district)",
        )
        parser.add_argument(
            "--on", type=datetime.date.fromisoformat, default=None,
            help="Resolve --unit as of this date, YYYY-MM-DD (default today: GSO reuses codes)",
        )
        parser.add_argument("--name", default="", help="Full name")

    def handle(self, *args, username, role, unit, district, province, on, name, **options):
        password = os.environ.get("PORTAL_PASSWORD")
        if not password:
            if not os.isatty(0):
                raise CommandError("Đặt mật khẩu qua biến môi trường PORTAL_PASSWORD.")
            password = getpass.getpass("Mật khẩu: ")
            if password != getpass.getpass("Nhập lại mật khẩu: "):
                raise CommandError("Hai lần nhập mật khẩu không khớp.")
        try:
            user, created = user_create_or_update(
                username=username, role=role, password=password, unit_code=unit, district_code=district,
                province_code=province, on=on, full_name=name,
            )
        except UserSetupError as exc:
            raise CommandError(str(exc)) from None
        verb = "Đã tạo" if created else "Đã cập nhật"
        self.stdout.write(f"{verb} tài khoản {user.username} ({user.role_label}, {user.scope_label}).")
