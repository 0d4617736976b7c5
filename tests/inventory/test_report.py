"""The inventory on the frame, computed by hand ("139/139", DESIGN §2; holders, §7)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from communes.models import UnitSuccession
from inventory.models import CountStatus
from reports.progress import build_report, progress_report
from tests import factories

from .conftest import put

pytestmark = pytest.mark.django_db
D = datetime.date


def by_code(report):
    return {m["code"]: m for m in report["models"]}


def test_a_full_frame_and_one_unit_lacking_it(model_types, criteria_set, district):
    """Five frame units: all have a radio system and a plan (5/5); four have Zalo mailboxes (2+3+1+5 = 11),
    the fifth entered 0 (4/5); cameras were only self-declared (official 0/5, preliminary 2/5 with 6)."""
    units = [factories.UnitFactory(district=district) for _ in range(5)]
    for u in units:
        put(u, 2025, "radio_loudspeaker", 1)
        put(u, 2025, "disaster_plan", 1)
    for u, n in zip(units, (2, 3, 1, 5, 0), strict=True):
        put(u, 2025, "zalo_mailbox", n)
    put(units[0], 2025, "security_camera", 4, status=CountStatus.SELF)
    put(units[1], 2025, "security_camera", 2, status=CountStatus.SELF)
    put(units[2], 2024, "security_camera", 9)  # another year
    report = progress_report(year=2025, programme=criteria_set.programme)
    got = {code: (m["units_with"], m["units_total"], m["count"]) for code, m in by_code(report).items()}
    assert got == {"zalo_mailbox": (4, 5, 11), "security_camera": (0, 5, 0), "radio_loudspeaker": (5, 5, 5),
                   "disaster_plan": (5, 5, 5)}
    assert [m["code"] for m in report["models"]] == ["zalo_mailbox", "security_camera", "radio_loudspeaker",
                                                     "disaster_plan"]
    assert by_code(report)["zalo_mailbox"]["name"] == "Hòm thư Zalo 4.0"
    assert by_code(report)["zalo_mailbox"]["districts"] == [
        {"code": str(district.code), "name": district.name, "units_with": 4, "units_total": 5}]
    preliminary = build_report(year=2025, programme=criteria_set.programme, figures="preliminary")
    assert (by_code(preliminary)["security_camera"]["units_with"], by_code(preliminary)["security_camera"]["count"]) \
        == (2, 6)


def test_a_merged_holder_counts_for_each_frame_unit_it_holds(model_types, criteria_set):
    """Frame a, b, c (H1) → M on 1/7/2025; d (H2) stays. 2026: M has 7 cameras, d has 2; M has a plan, d not.
    Cameras: 4/4 frame units (a, b, c through M, and d), 7 + 2 = 9 cameras (M once). Plans: 3/4, count 1."""
    p17 = criteria_set.programme.territory_province
    h1 = factories.DistrictFactory(province=p17, name="Huyện H1")
    h2 = factories.DistrictFactory(province=p17, name="Huyện H2")
    old = [factories.UnitFactory(district=h1, valid_to=D(2025, 6, 30)) for _ in range(3)]
    d = factories.UnitFactory(district=h2)
    m = factories.UnitFactory(district=None, province=p17, name="Xã M", valid_from=D(2025, 7, 1))
    for u in old:
        UnitSuccession.objects.create(predecessor=u, successor=m, effective_on=D(2025, 7, 1))
    put(m, 2026, "security_camera", 7)
    put(d, 2026, "security_camera", 2)
    put(m, 2026, "disaster_plan", 1)
    put(d, 2026, "disaster_plan", 0)
    put(old[0], 2026, "zalo_mailbox", 3)  # an ended unit is no holder in 2026: never counted
    report = progress_report(year=2026, programme=criteria_set.programme)
    got = {code: (x["units_with"], x["units_total"], x["count"]) for code, x in by_code(report).items()}
    assert got["security_camera"] == (4, 4, 9)
    assert got["disaster_plan"] == (3, 4, 1)
    assert got["zalo_mailbox"] == (0, 4, 0)
    assert by_code(report)["disaster_plan"]["districts"] == [
        {"code": str(h1.code), "name": "Huyện H1", "units_with": 3, "units_total": 3},
        {"code": str(h2.code), "name": "Huyện H2", "units_with": 0, "units_total": 1},
    ]


def test_the_inventory_adds_one_query_whatever_the_number_of_units(model_types, criteria_set, district):
    def queries():
        with CaptureQueriesContext(connection) as ctx:
            progress_report(year=2025, programme=criteria_set.programme)
        return len(ctx.captured_queries)

    def grow(n):
        for _ in range(n):
            u = factories.UnitFactory(district=district)
            put(u, 2025, "zalo_mailbox", 2)
            put(u, 2025, "radio_loudspeaker", 1)

    grow(3)
    small = queries()
    grow(40)
    assert queries() == small
