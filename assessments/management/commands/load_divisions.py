from django.core.management.base import BaseCommand, CommandError

from assessments.loaders import programme_province_codes
from communes.models import UnitKind
from communes.services import UnknownProvinceError, divisions_load, province_codes


class Command(BaseCommand):
    help = "Load a province, its districts and commune-level units (vietnam-provinces 0.6.0, GSO codes)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--province", type=int,
            help="GSO province code (default: the provinces that the programmes' data files name as territory)",
        )

    def handle(self, *args, province=None, **options):
        codes = [province] if province is not None else programme_province_codes()
        if not codes:
            raise CommandError("Không có tỉnh nào: dùng --province MÃ.")
        for code in codes:
            self._load(code)

    def _load(self, province):
        try:
            result = divisions_load(province_code=province)
        except UnknownProvinceError:
            raise CommandError(
                f"Không có tỉnh mã {province} trong dữ liệu. Các mã hợp lệ: {', '.join(map(str, province_codes()))}"
            ) from None
        p = result.province
        units = list(p.units.filter(valid_from__isnull=True).values_list("kind", flat=True))
        self.stdout.write(
            f"{p.name} ({p.code}): {p.districts.count()} huyện, {len(units)} đơn vị cấp xã "
            f"({units.count(UnitKind.XA)} xã, {units.count(UnitKind.THI_TRAN)} thị trấn, "
            f"{units.count(UnitKind.PHUONG)} phường) — tạo mới {result.created}, cập nhật {result.updated}, "
            f"không đổi {result.unchanged}."
        )
