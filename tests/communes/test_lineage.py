"""Codes as of a date and the lineage (DESIGN §7): GSO reuses codes after 1/7/2025.

A small map built with factories: the old Xã Hang Kia (05212) and Xã Tân Sơn (05215) end on
30/6/2025 and go whole into the new Xã Pà Cò, which reuses 05212; the old Xã Chiềng Đông (05230)
is divided between Pà Cò and Xã Vạn Mai (05300), its primary successor.
"""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import User
from communes.lineage import Lineage, UnitCodeError, predecessor_ids, unit_resolve
from communes.models import Unit, UnitSuccession
from tests import factories

pytestmark = pytest.mark.django_db

D = datetime.date
END, START = D(2025, 6, 30), D(2025, 7, 1)


class Map:
    def __init__(self):
        self.p17 = factories.ProvinceFactory(code=17, valid_to=END)
        self.p25 = factories.ProvinceFactory(code=25, name="Tỉnh Phú Thọ")
        self.p17.successor = self.p25
        self.p17.save()
        self.district = factories.DistrictFactory(province=self.p17, name="Huyện Mai Châu", valid_to=END)
        self.hang_kia = factories.UnitFactory(district=self.district, code=5212, name="Xã Hang Kia", valid_to=END)
        self.tan_son = factories.UnitFactory(district=self.district, code=5215, name="Xã Tân Sơn", valid_to=END)
        self.chieng_dong = factories.UnitFactory(district=self.district, code=5230, name="Xã Chiềng Đông",
                                                 valid_to=END)
        self.pa_co = factories.UnitFactory(district=None, province=self.p25, code=5212, name="Xã Pà Cò",
                                           valid_from=START)
        self.van_mai = factories.UnitFactory(district=None, province=self.p25, code=5300, name="Xã Vạn Mai",
                                             valid_from=START)
        for old in (self.hang_kia, self.tan_son):
            UnitSuccession.objects.create(predecessor=old, successor=self.pa_co, effective_on=START)
        # Divided: the lower-coded part is not the primary one.
        UnitSuccession.objects.create(predecessor=self.chieng_dong, successor=self.pa_co, effective_on=START,
                                      whole=False, primary=False)
        UnitSuccession.objects.create(predecessor=self.chieng_dong, successor=self.van_mai, effective_on=START,
                                      whole=False, primary=True)


@pytest.fixture
def world():
    return Map()


def test_a_reused_code_names_the_old_unit_before_the_reform_and_the_new_one_after(world):
    assert unit_resolve(5212, D(2024, 12, 31)) == world.hang_kia
    assert unit_resolve(5212, END) == world.hang_kia
    assert unit_resolve(5212, START) == world.pa_co
    assert unit_resolve(5212, D(2026, 12, 31)) == world.pa_co


def test_a_code_not_reused_names_its_successor(world):
    assert unit_resolve(5215, D(2024, 12, 31)) == world.tan_son
    with pytest.raises(UnitCodeError) as caught:
        unit_resolve(5215, D(2026, 12, 31))
    message = str(caught.value)
    assert "Xã Tân Sơn" in message and "30/06/2025" in message
    assert "đơn vị kế thừa" in message and "Xã Pà Cò (mã 05212)" in message
    assert caught.value.successors == [world.pa_co]


def test_a_divided_unit_names_all_its_successors_primary_first(world):
    with pytest.raises(UnitCodeError) as caught:
        unit_resolve(5230, D(2026, 12, 31))
    assert caught.value.successors == [world.van_mai, world.pa_co]
    assert "Xã Vạn Mai (mã 05300), Xã Pà Cò (mã 05212)" in str(caught.value)


def test_an_unknown_code(world):
    with pytest.raises(UnitCodeError, match="không có đơn vị nào mã “99999”") as caught:
        unit_resolve(99999, D(2026, 12, 31))
    assert caught.value.successors == []


def test_the_holder_of_an_old_unit(world):
    lineage = Lineage.following([world.hang_kia, world.tan_son, world.chieng_dong])
    assert lineage.holder(world.hang_kia, D(2024, 12, 31)) == world.hang_kia
    assert lineage.holder(world.hang_kia, D(2026, 12, 31)) == world.pa_co
    assert lineage.holder(world.tan_son, D(2026, 12, 31)) == world.pa_co
    # A divided unit's place is held by its primary successor, not by the lower code.
    assert lineage.holder(world.chieng_dong, D(2026, 12, 31)) == world.van_mai
    assert lineage.holder(world.chieng_dong, END) == world.chieng_dong


def test_the_place_passes_on_the_first_day_of_the_succession(world):
    """30/6/2025 is the old units' last day, 1/7/2025 the successors' first: no day is held by nobody."""
    lineage = Lineage.following([world.hang_kia, world.tan_son, world.chieng_dong])
    holders = {day: [lineage.holder(u, day) for u in (world.hang_kia, world.tan_son, world.chieng_dong)]
               for day in (END, START, D(2025, 12, 31))}
    assert holders[END] == [world.hang_kia, world.tan_son, world.chieng_dong]
    assert holders[START] == [world.pa_co, world.pa_co, world.van_mai]
    assert holders[D(2025, 12, 31)] == [world.pa_co, world.pa_co, world.van_mai]


def test_a_new_unit_is_held_by_nobody_before_it_exists(world):
    assert Lineage.following([world.pa_co]).holder(world.pa_co, D(2024, 12, 31)) is None


def test_predecessors_of_a_new_unit(world):
    assert predecessor_ids([world.pa_co.id]) == {world.hang_kia.id, world.tan_son.id, world.chieng_dong.id}
    assert predecessor_ids([world.van_mai.id]) == {world.chieng_dong.id}
    assert predecessor_ids([world.hang_kia.id]) == set()


def add_user(monkeypatch, *args):
    monkeypatch.setenv("PORTAL_PASSWORD", "Mat-khau-dai-2026")
    out = StringIO()
    call_command("add_user", *args, stdout=out)
    return out.getvalue()


def test_add_user_resolves_the_unit_code_as_of_today(world, monkeypatch):
    assert timezone.localdate() >= START  # the suite runs after the reform
    output = add_user(monkeypatch, "x", "--role", "commune_officer", "--unit", "5212")
    assert "Đã tạo tài khoản x" in output
    assert User.objects.get(username="x").unit == world.pa_co


def test_add_user_resolves_the_unit_code_as_of_a_given_day(world, monkeypatch):
    add_user(monkeypatch, "x", "--role", "commune_officer", "--unit", "5212", "--on", "2024-06-01")
    assert User.objects.get(username="x").unit == world.hang_kia
    # The same account re-pointed to today's holder of the code.
    add_user(monkeypatch, "x", "--role", "commune_officer", "--unit", "5212")
    assert User.objects.get(username="x").unit == world.pa_co


def test_real_data_codes_over_time():
    call_command("load_divisions", stdout=StringIO())
    call_command("load_reform_2025", stdout=StringIO())
    for code, before, after in ((5212, "Xã Hang Kia", "Xã Pà Cò"), (5353, "Thị trấn Hàng Trạm", "Xã Yên Thủy")):
        old, new = unit_resolve(code, D(2024, 12, 31)), unit_resolve(code, D(2026, 12, 31))
        assert (old.name, old.province.code, old.valid_to) == (before, 17, END)
        assert (new.name, new.province.code, new.valid_from, new.district) == (after, 25, START, None)
    # An old code that no new unit reuses: the error names where the unit went.
    new_codes = set(Unit.objects.filter(valid_from=START).values_list("code", flat=True))
    gone = Unit.objects.filter(province__code=17).exclude(code__in=new_codes).order_by("code").first()
    with pytest.raises(UnitCodeError, match="đơn vị kế thừa") as caught:
        unit_resolve(gone.code, D(2026, 12, 31))
    primary = UnitSuccession.objects.get(predecessor=gone, primary=True).successor
    assert caught.value.successors[0] == primary
    assert primary.name in str(caught.value)
    assert Lineage.following([gone]).holder(gone, D(2026, 12, 31)) == primary
    assert gone.id in predecessor_ids([primary.id])
