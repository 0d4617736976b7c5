"""The national view (issue 13): the sum of the provinces, for national viewers only, constant queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from assessments.models import Level
from reports.completeness import completeness_load
from reports.national import national_report
from reports.progress import progress_report
from tests import factories
from tests.conftest import record

pytestmark = pytest.mark.django_db
D = datetime.date


def province_with_programme(code: int, name: str, units: int):
    province = factories.ProvinceFactory(code=code, name=name)
    programme = factories.ProgrammeFactory(code=f"p{code}", name=f"Chương trình {name}", territory_province=province,
                                           is_default=code == 17)
    criteria_set = factories.CriteriaSetFactory(programme=programme)
    district = factories.DistrictFactory(province=province)
    made = [factories.UnitFactory(district=district) for _ in range(units)]
    factories.TargetFactory(programme=programme, key="rec", kind="recognized", level=Level.COMMUNE, number=1,
                            deadline=D(2030, 12, 31))
    factories.TargetFactory(programme=programme, key="b13", kind="band", level=None, band="13+", number=2,
                            deadline=D(2025, 12, 31))
    return programme, criteria_set, made


@pytest.fixture
def country():
    a, _set_a, units_a = province_with_programme(17, "Tỉnh A", 5)
    b, _set_b, units_b = province_with_programme(25, "Tỉnh B", 3)
    for i, unit in enumerate(units_a):
        record(unit, 2025, 9 + i)
    record(units_a[4], 2024, 16)
    factories.RecognitionFactory(programme=a, unit=units_a[4], level=Level.COMMUNE, decision_date=D(2025, 1, 5))
    record(units_b[0], 2025, 14, stage="self")
    record(units_b[1], 2025, 15)
    return {"a": (a, units_a), "b": (b, units_b)}


def test_national_figures_are_the_sum_of_the_provinces(country):
    # The fixture's records were made today: read completeness as of today (a past year's default is its
    # last day, when none of them existed yet — see the next test).
    report = national_report(year=2025, as_of=timezone.localdate())
    rows = {r["programme"]["code"]: r for r in report["programmes"]}
    assert set(rows) == {"p17", "p25"}
    for code in rows:
        province = progress_report(year=2025, programme=code)
        row = rows[code]
        assert row["units_total"] == province["units_total"]
        assert row["bands"] == province["bands"]
        assert row["targets_met"] == sum(1 for t in province["targets"] if t["met"])
        assert row["targets_total"] == len(province["targets"])
    # p17: one recognised (met "≥1 recognised"), but 13+ or higher is 1 < 2 (not met).
    assert rows["p17"]["bands"]["recognized"] == 1 and rows["p17"]["targets_met"] == 1
    assert rows["p25"]["bands"]["13+"] == 1 and rows["p25"]["bands"]["not_assessed"] == 2
    # Completeness: holders whose assessment is with the reviewers or verified (a returned one is not).
    assert (rows["p17"]["reported"], rows["p17"]["holders"]) == (5, 5)
    assert (rows["p25"]["reported"], rows["p25"]["verified"], rows["p25"]["holders"]) == (2, 1, 3)
    assert report["totals"]["units_total"] == 8
    assert report["totals"]["bands"]["recognized"] == 1


def test_a_past_year_is_read_as_of_its_last_day(country):
    """DESIGN §2: "as of" defaults to the end of the year for past years — records made later are not seen,
    exactly as on the completeness page."""
    report = national_report(year=2025)
    assert report["completeness_as_of"] == "2025-12-31"
    assert report["totals"]["reported"] == 0
    programme, _units = country["a"]
    page = completeness_load(programme=programme, year=2025)
    assert page.as_of == D(2025, 12, 31) and page.reported == 0


def test_only_national_viewers_and_administrators_reach_it(client, country):
    programme, units = country["a"]
    national_user = factories.UserFactory(role=Role.NATIONAL_VIEWER)
    urls = [reverse("reports:national"), reverse("reports:national_json") + "?year=2025",
            reverse("reports:national_xlsx") + "?year=2025"]
    for user, status in ((factories.province_viewer(programme.territory_province), 403),
                         (factories.reviewer(units[0].district), 403), (factories.officer(units[0]), 403),
                         (national_user, 200), (factories.administrator(), 200)):
        client.force_login(user)
        for url in urls:
            response = client.get(url)
            assert response.status_code == status, (user.role, url)
    client.force_login(national_user)
    page = client.get(reverse("reports:national") + "?year=2025&sort=-units").content.decode()
    assert page.index("Tỉnh A") < page.index("Tỉnh B")  # 5 units before 3
    # Drill-down into a province: read-only.
    assert client.get(reverse("reports:progress") + "?programme=p25").status_code == 200
    assert client.get(reverse("reports:unit", args=[units[0].pk])).status_code == 200
    response = client.post(reverse("assessments:recognition_create"), {
        "unit": units[0].pk, "level": 1, "decision_number": "x", "decision_date": "2025-01-01", "issued_by": "x"})
    assert response.status_code == 403


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_query_count_is_constant_in_units_and_provinces(client, country):
    client.force_login(factories.UserFactory(role=Role.NATIONAL_VIEWER))
    url = reverse("reports:national") + "?year=2025"
    small = _count(client, url)
    for code in (30, 31, 32):
        _programme, _set, units = province_with_programme(code, f"Tỉnh {code}", 12)
        for unit in units:
            record(unit, 2025, 12)
    assert _count(client, url) == small
