"""load_reference_data [--province CODE]: every loader of reference data, in order, idempotently (DESIGN §5).

The map before 1/7/2025 (load_divisions), the reform (load_reform_2025), every programme with its criteria
set and calendar (load_criteria — the calendars are part of each programme's programme.json, there is no
separate loader), their targets (load_targets) and the self-management model types (load_model_types).
`make demo` and the README's Deploying section run this one command; running it again changes nothing.
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand

LOADERS = ("load_divisions", "load_reform_2025", "load_criteria", "load_targets", "load_model_types")


class Command(BaseCommand):
    help = ("Nạp toàn bộ dữ liệu tham chiếu: đơn vị hành chính trước 1/7/2025, sắp xếp 2025, các chương trình "
            "(bộ tiêu chí, lịch), mục tiêu, loại mô hình tự quản. Chạy lại nhiều lần không thay đổi gì thêm.")

    def add_arguments(self, parser):
        parser.add_argument("--province", type=int,
                            help="Mã GSO của một tỉnh (mặc định: các tỉnh mà chương trình nêu là địa bàn).")

    def handle(self, *args, province=None, **options):
        for name in LOADERS:
            self.stdout.write(f"== {name}")
            extra = {"province": province} if province is not None and name in ("load_divisions",
                                                                                "load_reform_2025") else {}
            call_command(name, stdout=self.stdout, stderr=self.stderr, **extra)
