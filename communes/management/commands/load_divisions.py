from django.core.management.base import BaseCommand, CommandError

from communes.models import UnitKind
from communes.services import UnknownProvinceError, divisions_load, province_codes


class Command(BaseCommand):
    help = "Load a province, its districts and commune-level units (vietnam-provinces 0.6.0, GSO codes)."

    def add_arguments(self, parser):
        parser.add_argument("--province", type=int, default=17, help="GSO province code (default 17, Hòa Bình)")

    def handle(self, *args, province, **options):
        try:
            result = divisions_load(province_code=province)
        except UnknownProvinceError:
            raise CommandError(
                f"Không có tỉnh mã {province} trong dữ liệu. Các mã hợp lệ: {', '.join(map(str, province_codes()))}"
            ) from None
        p = result.province
        units = [u.kind for d in p.districts.all() for u in d.units.all()]
        self.stdout.write(
            f"{p.name} ({p.code}): {p.districts.count()} huyện, {len(units)} đơn vị cấp xã "
            f"({units.count(UnitKind.XA)} xã, {units.count(UnitKind.THI_TRAN)} thị trấn, "
            f"{units.count(UnitKind.PHUONG)} phường) — tạo mới {result.created}, cập nhật {result.updated}, "
            f"không đổi {result.unchanged}."
        )
