from django.core.management.base import BaseCommand, CommandError

from communes.models import Unit, UnitKind
from communes.reform import ReformData, ReformDataError, reform_load, reform_provinces


class Command(BaseCommand):
    help = (
        "Load the 1/7/2025 reform for the loaded old provinces (or one): the new province and its units, "
        "the end of the old ones and the old → new lineage (vietnamadminunits 1.0.4). Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("--province", type=int, help="GSO code of an old province already loaded")

    def handle(self, *args, province=None, **options):
        codes = [province] if province is not None else reform_provinces()
        if not codes:
            raise CommandError("Chưa nạp tỉnh nào: chạy load_divisions trước.")
        try:
            data = ReformData.read()
            for code in codes:
                r = reform_load(province_code=code, data=data)
                kinds = list(Unit.objects.filter(province=r.new_province, valid_from__isnull=False)
                             .values_list("kind", flat=True))
                self.stdout.write(
                    f"{r.old_province.name} ({r.old_province.code}) → {r.new_province.name} ({r.new_province.code}) "
                    f"từ 01/07/2025: {r.old_units} đơn vị cũ, mỗi đơn vị có đơn vị kế thừa, thuộc "
                    f"{len(r.successors)} đơn vị mới; {r.new_province.name} có {r.new_units} đơn vị cấp xã "
                    f"({kinds.count(UnitKind.XA)} xã, {kinds.count(UnitKind.PHUONG)} phường, "
                    f"{kinds.count(UnitKind.DAC_KHU)} đặc khu) — tạo mới {r.created}, cập nhật {r.updated}, "
                    f"không đổi {r.unchanged}."
                )
                for warning in r.warnings:
                    self.stdout.write(self.style.WARNING(f"Cảnh báo: {warning}"))
        except ReformDataError as exc:
            raise CommandError(str(exc)) from None
