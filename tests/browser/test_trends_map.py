"""The map and the charts over the years on a 375 px phone, under the CSP, with no console error."""

import datetime

import pytest

from assessments.loaders import PROGRAMMES_DIR, targets_load
from assessments.models import Level
from tests import factories
from tests.conftest import record

from .test_journeys import no_horizontal_overflow, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def viewer(transactional_db):
    criteria_set = factories.CriteriaSetFactory()
    targets_load(PROGRAMMES_DIR / "nq12_commune" / "targets.json")
    p17 = criteria_set.programme.territory_province
    for d, (lat, lon) in enumerate(((20.85, 105.35), (20.45, 105.65), (20.6, 105.1))):
        district = factories.DistrictFactory(province=p17, name=f"Huyện {'ABC'[d]}")
        for i in range(6):
            u = factories.UnitFactory(district=district, latitude=lat + i * 0.03, longitude=lon + (i % 3) * 0.04)
            for y in (2022, 2024, 2025):
                record(u, y, (i * 3 + d + y) % 17)
            if i == 0:
                factories.RecognitionFactory(unit=u, level=Level.COMMUNE, decision_date=datetime.date(2024, 3, 1))
    return factories.province_viewer(p17, username="tinh_xem")


def test_map_and_trend_charts_at_375px(new_page, shot, viewer):
    page = new_page(375, 800)
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    sign_in(page, viewer)
    page.goto("/reports/trends/?year=2025")
    page.locator("canvas[data-kind=trend-bands]").wait_for()
    drawn = page.evaluate("() => [...document.querySelectorAll('canvas[data-kind^=trend-]')]"
                          ".map(c => { const ch = window.Chart.getChart(c); return ch ? ch.data.datasets.length : 0; })")
    assert drawn[0] >= 6 and drawn[1] >= 2, drawn  # six bands (+ target lines); targets + the 100 % line
    gap = page.evaluate("() => window.Chart.getChart(document.querySelector('canvas[data-kind=trend-bands]'))"
                        ".data.datasets[0].data")
    assert gap[1] is None  # 2023 has no data: a gap, not a zero
    assert no_horizontal_overflow(page)
    shot(page, "issue12-trends-375")
    page.goto("/reports/map/?year=2025")
    svg = page.locator("svg[data-testid=unit-map]")
    box = svg.bounding_box()
    assert box["width"] <= 375 and box["height"] > 100
    assert page.locator("svg[data-testid=unit-map] circle").count() == 18
    page.locator("svg[data-testid=unit-map] a").first.focus()
    focused = page.evaluate("() => document.activeElement.getAttribute('aria-label')")
    assert focused and ":" in focused
    assert no_horizontal_overflow(page)
    # Every unit is a touch target of at least 24 × 24 px, and no two overlap.
    boxes = page.evaluate("""() => [...document.querySelectorAll('svg[data-testid=unit-map] a.map-unit')]
        .map(a => { const r = a.getBoundingClientRect(); return [r.left, r.top, r.width, r.height]; })""")
    assert len(boxes) == 18 and min(min(b[2], b[3]) for b in boxes) >= 24, boxes
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert a[0] + a[2] <= b[0] + 0.5 or b[0] + b[2] <= a[0] + 0.5 or a[1] + a[3] <= b[1] + 0.5 \
                or b[1] + b[3] <= a[1] + 0.5, (a, b)
    # A first tap shows the unit's name and band under the map; a second one opens its page.
    unit = page.locator("svg[data-testid=unit-map] a.map-unit").nth(3)
    name, band = unit.get_attribute("data-name"), unit.get_attribute("data-band-label")
    unit.click()
    info = page.locator("[data-testid=map-info]")
    assert name in info.inner_text() and band in info.inner_text() and "/reports/map/" in page.url
    shot(page, "issue21-map-375-tapped")
    unit.click()
    page.wait_for_url("**/reports/units/**")
    page.go_back()
    page.wait_for_url("**/reports/map/**")
    # The keyboard reaches each unit in turn and hears the same.
    page.locator("svg[data-testid=unit-map] a.map-unit").nth(5).focus()
    assert page.locator("svg[data-testid=unit-map] a.map-unit").nth(5).get_attribute("data-name") in info.inner_text()
    shot(page, "issue12-map-375")
    page.goto("/reports/map/?year=2025&view=current")
    assert page.locator("svg[data-testid=unit-map] circle").count() == 18
    assert not errors, errors
