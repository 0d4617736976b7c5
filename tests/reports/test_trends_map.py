"""Over the years and the map (issue 12): JSON checked against the report of the same year."""

import datetime
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.loaders import PROGRAMMES_DIR, targets_load
from assessments.models import Level
from communes.models import UnitSuccession
from reports.maps import map_data
from reports.progress import BAND_KEYS, FrameTable, build_report
from reports.trends import trends
from tests import factories
from tests.conftest import record

pytestmark = pytest.mark.django_db
D = datetime.date


def page_json(content: bytes, element_id: str):
    match = re.search(rf'<script id="{element_id}" type="application/json">(.*?)</script>', content.decode(), re.S)
    return json.loads(match.group(1))


@pytest.fixture
def province(criteria_set):
    """Two districts; 2022 and 2024 have verified assessments, 2023 none (a gap), 2025 too."""
    targets_load(PROGRAMMES_DIR / "nq12_commune" / "targets.json")
    p17 = criteria_set.programme.territory_province
    a = factories.DistrictFactory(province=p17, name="Huyện A")
    b = factories.DistrictFactory(province=p17, name="Huyện B")
    units = [factories.UnitFactory(district=a, latitude=20.8 + i / 100, longitude=105.3 + i / 100) for i in range(4)]
    units += [factories.UnitFactory(district=b, latitude=20.5 + i / 100, longitude=105.6) for i in range(3)]
    units.append(factories.UnitFactory(district=b))  # no coordinates
    for y in (2022, 2024, 2025):
        for i, u in enumerate(units):
            record(u, y, (i * 3 + y) % 17)
    factories.RecognitionFactory(unit=units[0], level=Level.COMMUNE, decision_date=D(2024, 5, 1))
    return {"a": a, "b": b, "units": units, "programme": criteria_set.programme}


def test_trends_match_the_report_of_each_year_and_leave_gaps(province):
    data = trends(programme=province["programme"], year=2025)
    assert data["years"] == [2022, 2023, 2024, 2025]
    for i, y in enumerate(data["years"]):
        report = build_report(year=y, programme=province["programme"])
        for key in BAND_KEYS:
            assert data["bands"][key][i] == (None if y == 2023 else report["bands"][key])
        for t, r in zip(data["targets"], report["targets"], strict=True):
            assert t["key"] == r["key"]
            assert t["actual"][i] == (None if y == 2023 else r["cumulative_actual"])
    report = build_report(year=2025, programme=province["programme"])
    assert [t["target"] for t in data["targets"]] == [t["target"] for t in report["targets"]]
    assert [t["cumulative_target"] for t in data["targets"]] == [t["cumulative_target"] for t in report["targets"]]


def test_trends_table_shows_each_tier_its_own_number_with_the_cumulative_one_beside_it(client, province):
    """DESIGN §2: 20, 30, 50, 31 with 50, 100, 131 beside them, labelled as cumulative."""
    client.force_login(factories.province_viewer(province["programme"].territory_province))
    html = client.get(reverse("reports:trends") + "?year=2025").content.decode()
    rows = {key: row for key, row in re.findall(r'<tr data-target-key="([^"]+)">(.*?)</tr>', html, re.S)}

    def cell(key, field):
        return re.search(rf'data-field="{field}">([^<]*)<', rows[key]).group(1)

    assert "Chỉ tiêu cộng dồn" in html
    assert [cell(k, "target") for k in ("2025-band-13", "2025-band-10", "2025-band-9")] == ["30", "50", "31"]
    assert [cell(k, "cumulative_target") for k in ("2025-band-13", "2025-band-10", "2025-band-9")] == [
        "50", "100", "131"]
    assert cell("2025-recognized-district", "target") == "3" and cell("2025-recognized-district", "cumulative_target") == "—"


def test_trends_page_json_and_query_count_at_two_sizes(client, province):
    client.force_login(factories.province_viewer(province["programme"].territory_province))
    url = reverse("reports:trends") + "?year=2025"

    def load():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200
        return response, len(ctx.captured_queries)

    response, small = load()
    assert page_json(response.content, "trends-data") == json.loads(json.dumps(
        trends(programme=province["programme"], year=2025)))
    for i in range(20):
        u = factories.UnitFactory(district=province["a"])
        record(u, 2024, i % 17)
    assert load()[1] == small


def test_map_points_match_the_report(client, province):
    table = FrameTable.load(programme=province["programme"], year=2025)
    data = map_data(table, view="frame")
    report = build_report(year=2025, programme=province["programme"])
    assert {b["key"]: b["count"] for b in data["legend"]} == report["bands"]
    assert len(data["points"]) == 7 and len(data["missing"]) == 1
    bands = {r["id"]: r["band"] for r in table.rows}
    assert all(p["band"] == bands[p["id"]] for p in data["points"])
    assert all(0 <= p["x"] <= data["width"] and 0 <= p["y"] <= data["height"] for p in data["points"])
    # District labels at the mean coordinate of their units: A's units lie north-west of B's.
    labels = {d["name"]: d for d in data["districts"]}
    assert labels["Huyện A"]["y"] < labels["Huyện B"]["y"] and labels["Huyện A"]["x"] < labels["Huyện B"]["x"]
    client.force_login(factories.province_viewer(province["programme"].territory_province))
    page = client.get(reverse("reports:map") + "?year=2025")
    assert page.status_code == 200
    assert page_json(page.content, "map-data") == json.loads(json.dumps(data))
    html = page.content.decode()
    assert html.count("<circle") == 7 and f'href="/reports/units/{province["units"][0].pk}/"' in html
    assert 'aria-label="' + province["units"][0].name in html


def test_current_map_draws_holders_once(client, province):
    p17 = province["programme"].territory_province
    m = factories.UnitFactory(district=None, province=p17, name="Xã M", valid_from=D(2025, 7, 1), latitude=20.7,
                              longitude=105.4)
    for u in province["units"][:3]:
        u.valid_to = D(2025, 6, 30)
        u.save()
        UnitSuccession.objects.create(predecessor=u, successor=m, effective_on=D(2025, 7, 1))
    record(m, 2026, 16)
    table = FrameTable.load(programme=province["programme"], year=2026)
    current = map_data(table, view="current")
    frame = map_data(table, view="frame")
    assert sorted(p["id"] for p in current["points"]) == sorted(
        i for i in table.holders if i != province["units"][-1].id)
    assert len(frame["points"]) == 7
    m_band = table.holders[m.id]["band"]
    # units[0] holds its own 2024 decision (recognised); units[1] and [2] take M's band.
    assert [p["band"] for p in frame["points"] if p["id"] in {u.id for u in province["units"][1:3]}] == [m_band] * 2
    client.force_login(factories.province_viewer(p17))
    assert client.get(reverse("reports:map") + "?year=2026&view=current").status_code == 200


def test_trends_and_map_need_the_province_view(client, province, officer_user):
    client.force_login(officer_user)
    assert client.get(reverse("reports:trends")).status_code == 403
    assert client.get(reverse("reports:map")).status_code == 403


def test_unit_page_chart_leaves_a_gap_for_a_year_without_assessment(client, criteria_set, unit):
    record(unit, 2022, 9)
    record(unit, 2024, 12)
    client.force_login(factories.province_viewer(unit.province))
    chart = page_json(client.get(reverse("reports:unit", args=[unit.pk])).content, "history-data")
    assert chart["labels"] == ["2022", "2023", "2024"]
    assert chart["verified"] == [9, None, 12]


@pytest.mark.parametrize("url", ["/reports/map/?year=2025", "/reports/map/?year=2025&view=current",
                                 "/reports/progress.docx?year=2025"])
def test_map_and_docx_query_counts_do_not_grow_with_the_units(client, province, url):
    client.force_login(factories.province_viewer(province["programme"].territory_province))

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    small = queries()
    for i in range(25):
        u = factories.UnitFactory(district=province["b"], latitude=20.4, longitude=105.5 + i / 100)
        record(u, 2025, i % 17)
    assert queries() == small


# ---------------------------------------------------------------- the map on a phone (issue 21)


def crowded_province(criteria_set, n_districts=6, per_district=24):
    """Many units packed close together, as in a real province: dots at their true places would overlap."""
    p17 = criteria_set.programme.territory_province
    for d in range(n_districts):
        district = factories.DistrictFactory(province=p17, name=f"Huyện {d}")
        for i in range(per_district):
            factories.UnitFactory(district=district, latitude=20.5 + (d // 3) * 0.2 + (i % 5) * 0.012,
                                  longitude=105.0 + (d % 3) * 0.2 + (i // 5) * 0.012)
    return FrameTable.load(programme=criteria_set.programme, year=2025)


def test_every_unit_has_its_own_cell_wide_enough_to_tap_on_a_phone(criteria_set):
    data = map_data(crowded_province(criteria_set), view="frame")
    assert len(data["points"]) == 144 and not data["missing"]
    cells = [(p["col"], p["row"]) for p in data["points"]]
    assert len(set(cells)) == len(cells)  # no two units on one spot
    # The SVG is drawn 343 px wide at 375 px (16 px margins): a cell must stay a 24 px touch target.
    assert data["cell"] * 343 / data["width"] >= 24
    assert all(0 < p["x"] < data["width"] and 0 < p["y"] < data["height"] for p in data["points"])
    # District numbers take cells of their own, never a unit's.
    assert not {(d["col"], d["row"]) for d in data["districts"]} & set(cells)
    assert [d["number"] for d in data["districts"]] == list(range(1, 7)) and data["borders"].startswith("M")


def test_the_cells_keep_the_units_geography(criteria_set):
    """A district in the south-west of the province stays south-west of one in the north-east."""
    data = map_data(crowded_province(criteria_set), view="frame")
    by_district = {}
    for p in data["points"]:
        by_district.setdefault(p["district_name"], []).append((p["x"], p["y"]))

    def middle(name):
        pts = by_district[name]
        return sum(x for x, _y in pts) / len(pts), sum(y for _x, y in pts) / len(pts)

    sw, ne = middle("Huyện 0"), middle("Huyện 5")  # 20.5 N 105.0 E vs 20.7 N 105.4 E
    assert sw[0] < ne[0] and sw[1] > ne[1]  # west of it, and south (further down the drawing)
    markers = {d["name"]: d for d in data["districts"]}
    assert markers["Huyện 0"]["x"] < markers["Huyện 2"]["x"]


def test_the_map_page_has_a_table_of_every_unit_and_the_district_key(client, criteria_set):
    table = crowded_province(criteria_set, n_districts=2, per_district=5)
    client.force_login(factories.province_viewer(criteria_set.programme.territory_province))
    html = client.get(reverse("reports:map") + "?year=2025").content.decode()
    assert html.count('class="map-unit"') == 10 and html.count("<tr><td><a href=") == 10
    assert '<li value="1">Huyện 0</li>' in html and '<li value="2">Huyện 1</li>' in html
    assert 'role="region"' in html and 'href="#map-after"' in html
    assert len(table.rows) == 10
