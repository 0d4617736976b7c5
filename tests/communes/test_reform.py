"""load_reform_2025 (DESIGN §7): Hòa Bình (17) → Phú Thọ (25) on 1/7/2025, with the old → new lineage.

Each full load (load_divisions + load_reform_2025) takes seconds: only two tests do it.
"""

import datetime
from collections import defaultdict
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from communes.models import District, Province, Unit, UnitSuccession
from communes.reform import PLAUSIBLE_KM, ReformData, _km, plausible_coordinates

pytestmark = pytest.mark.django_db

END, START = datetime.date(2025, 6, 30), datetime.date(2025, 7, 1)


def run(name, *args):
    out = StringIO()
    call_command(name, *args, stdout=out)
    return out.getvalue()


def counts():
    return Unit.objects.count(), UnitSuccession.objects.count(), Province.objects.count()


def test_hoa_binh_ends_and_its_151_units_go_into_46_of_phu_tho_148():
    run("load_divisions")
    output = run("load_reform_2025")

    hoa_binh, phu_tho = Province.objects.get(code=17), Province.objects.get(code=25)
    assert hoa_binh.valid_to == END and hoa_binh.successor == phu_tho
    assert phu_tho.valid_to is None and phu_tho.successor is None

    new_units = Unit.objects.filter(province=phu_tho)
    assert new_units.count() == 148
    assert set(new_units.values_list("valid_from", flat=True)) == {START}
    assert not new_units.filter(district__isnull=False).exists()
    assert not new_units.filter(valid_to__isnull=False).exists()

    old_units = list(Unit.objects.filter(province=hoa_binh))
    assert len(old_units) == 151
    assert {u.valid_to for u in old_units} == {END}
    assert {u.valid_from for u in old_units} == {None}

    links = defaultdict(list)
    for s in UnitSuccession.objects.filter(predecessor__province=hoa_binh).select_related("successor"):
        links[s.predecessor_id].append(s)
    assert set(links) == {u.id for u in old_units}  # every old unit has at least one successor
    assert all(s.effective_on == START for rows in links.values() for s in rows)
    assert all(s.successor.province_id == phu_tho.id for rows in links.values() for s in rows)
    assert len({s.successor_id for rows in links.values() for s in rows}) == 46
    assert all(sum(s.primary for s in rows) == 1 for rows in links.values())  # exactly one primary each
    divided = [rows for rows in links.values() if len(rows) > 1]
    assert divided  # the dataset divides some units; each part is marked as a part
    assert all(not s.whole for rows in divided for s in rows)

    districts = District.objects.filter(province=hoa_binh)
    assert districts.count() == 10
    assert set(districts.values_list("valid_to", flat=True)) == {END}

    line = next(line for line in output.splitlines() if "Phú Thọ" in line)
    assert "151" in line and "46" in line and "148" in line

    # Every new unit lies near the old units it was formed from (the map draws it inside its province):
    # the dataset's misplaced coordinates are corrected, and the load says which.
    for successor, predecessors in near_predecessors(hoa_binh).items():
        assert min(_km((successor.latitude, successor.longitude), p) for p in predecessors) <= PLAUSIBLE_KM, successor
    assert "Cảnh báo:" in output and "cách mọi đơn vị cũ hợp thành" in output


def near_predecessors(old_province) -> dict:
    out = defaultdict(list)
    for s in UnitSuccession.objects.filter(predecessor__province=old_province).select_related("successor",
                                                                                             "predecessor"):
        out[s.successor].append((s.predecessor.latitude, s.predecessor.longitude))
    return out


def test_a_new_unit_placed_far_from_what_it_was_formed_from_takes_their_mean_position():
    legacy = {"p_d_a": {"wardLat": 20.80, "wardLon": 105.50}, "p_d_b": {"wardLat": 20.90, "wardLon": 105.60}}
    new_units = {"np": {
        "n1": {"ward": "Xã Một", "wardCode": "1", "wardLat": 21.60, "wardLon": 104.90},  # 100 km north: misplaced
        "n2": {"ward": "Xã Hai", "wardCode": "2", "wardLat": 20.85, "wardLon": 105.55},
        "n3": {"ward": "Xã Ba", "wardCode": "3", "wardLat": 10.0, "wardLon": 106.0},  # formed from nothing known
    }}
    data = ReformData(legacy, {}, new_units, {}, {}, {"np": {"n1": ["p_d_a", "p_d_b"]}},
                      {"np": {"p_d_a": [{"newWardKey": "n2", "isDefaultNewWard": 1}]}})
    coordinates, warnings = plausible_coordinates(data, "np")
    assert coordinates == {"n1": (20.85, 105.55), "n2": (20.85, 105.55), "n3": (10.0, 106.0)}
    assert len(warnings) == 1 and warnings[0].startswith("Xã Một (1)")


def test_second_run_creates_nothing():
    run("load_divisions")
    run("load_reform_2025")
    before = counts()
    primaries = set(UnitSuccession.objects.filter(primary=True).values_list("predecessor_id", "successor_id"))
    output = run("load_reform_2025")
    assert counts() == before
    assert set(UnitSuccession.objects.filter(primary=True).values_list("predecessor_id", "successor_id")) == primaries
    assert "tạo mới 0" in output


def test_unloaded_province_says_to_run_load_divisions():
    with pytest.raises(CommandError, match="load_divisions"):
        run("load_reform_2025", "--province", "99999")
    assert not Province.objects.exists()


def test_before_load_divisions_says_to_run_it():
    with pytest.raises(CommandError, match="load_divisions"):
        run("load_reform_2025")
    assert counts() == (0, 0, 0)
