from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from communes.models import District, Province, Unit, UnitKind


def load(*args):
    out = StringIO()
    call_command("load_divisions", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_hoa_binh_has_10_districts_and_151_units_by_kind():
    load()
    province = Province.objects.get(code=17)
    assert province.name == "Tỉnh Hoà Bình"
    assert District.objects.filter(province=province).count() == 10
    units = Unit.objects.filter(district__province=province)
    assert units.count() == 151
    assert Counter(units.values_list("kind", flat=True)) == {
        UnitKind.XA: 129, UnitKind.THI_TRAN: 10, UnitKind.PHUONG: 12,
    }
    tan_hoa = Unit.objects.get(name="Phường Tân Hòa")
    assert tan_hoa.kind == UnitKind.PHUONG
    assert tan_hoa.district.name == "Thành phố Hòa Bình"
    assert District.objects.get(code=148).kind == "thanh_pho"


@pytest.mark.django_db
def test_second_run_changes_nothing():
    load()
    before = list(Unit.objects.order_by("code").values_list("id", "code", "name", "kind", "district_id"))
    output = load()
    assert "tạo mới 0, cập nhật 0" in output
    assert list(Unit.objects.order_by("code").values_list("id", "code", "name", "kind", "district_id")) == before


@pytest.mark.django_db
def test_renamed_unit_is_restored_by_gso_code():
    load()
    Unit.objects.filter(code=4789).update(name="Sai tên")
    output = load()
    assert "cập nhật 1" in output
    assert Unit.objects.get(code=4789).name == "Phường Thái Bình"


@pytest.mark.django_db
def test_another_province_loads_the_same_way():
    load("--province", "1")  # Hà Nội
    hanoi = Province.objects.get(code=1)
    assert hanoi.districts.count() == 30
    assert Unit.objects.filter(district__province=hanoi).count() == 526
    assert not Province.objects.filter(code=17).exists()


@pytest.mark.django_db
def test_unknown_province_is_refused_without_writing():
    with pytest.raises(CommandError, match="Không có tỉnh mã 999"):
        load("--province", "999")
    assert Province.objects.count() == 0
