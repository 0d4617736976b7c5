"""The figures through the API are the report JSON's: the same functions, defaults and cache, checked on
hand-computed datasets (tests/reports/conftest.py and completeness_fixtures.py count them by hand)."""

from __future__ import annotations

import datetime
import json

import pytest
from django.urls import reverse

from api import services as api_services
from reports.trends import trends
from tests import factories
from tests.api.conftest import bearer
from tests.reports.completeness_fixtures import EXPECTED, Y, build
from tests.reports.conftest import EXPECTED_BANDS, EXPECTED_PRELIMINARY, EXPECTED_TARGETS, scenario  # noqa: F401

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def viewer(db):
    return factories.province_viewer()


def api_get(client, user, url):
    response = client.get(url, **bearer(api_services.api_token_create(user=user, name="t")[1]))
    assert response.status_code == 200, response.content
    return response.json()


def page_json(client, user, url):
    client.force_login(user)
    response = client.get(url)
    client.logout()
    assert response.status_code == 200, response.content
    return json.loads(response.content)


def test_progress_is_the_report_json_and_the_hand_count(client, scenario, viewer):  # noqa: F811
    api = api_get(client, viewer, "/api/v1/reports/progress/?year=2025")
    assert api == page_json(client, viewer, reverse("reports:progress_json") + "?year=2025")
    assert api["units_total"] == 17
    assert api["bands"] == EXPECTED_BANDS and api["bands_preliminary"] == EXPECTED_PRELIMINARY
    assert {t["key"]: (t["target"], t["actual"], t["cumulative_target"], t["cumulative_actual"], t["met"])
            for t in api["targets"]} == EXPECTED_TARGETS
    assert sum(d["units"] for d in api["districts"]) == 17


def test_progress_defaults_to_the_latest_year_with_figures_like_the_page(client, scenario, viewer):  # noqa: F811
    assert api_get(client, viewer, "/api/v1/reports/progress/")["year"] == 2025


def test_preliminary_figures(client, scenario, viewer):  # noqa: F811
    api = api_get(client, viewer, "/api/v1/reports/progress/?year=2025&figures=preliminary")
    assert api["figures"] == "preliminary" and api["bands_preliminary"] == EXPECTED_PRELIMINARY
    assert sum(d["bands"]["13+"] for d in api["districts"]) == EXPECTED_PRELIMINARY["13+"]


@pytest.mark.parametrize("day", sorted(EXPECTED))
def test_completeness_is_the_report_json_and_the_hand_count(client, criteria_set, viewer, day):
    build(criteria_set)
    query = f"?year={Y}&as_of={day.isoformat()}"
    api = api_get(client, viewer, "/api/v1/reports/completeness/" + query)
    assert api == page_json(client, viewer, reverse("reports:completeness_json") + query)
    assert api["counts"] == EXPECTED[day] and api["units_total"] == 9


def test_a_reviewer_sees_the_completeness_of_their_units_only(client, criteria_set):
    units = build(criteria_set)
    reviewer = factories.reviewer(units["A"])
    api = api_get(client, reviewer, f"/api/v1/reports/completeness/?year={Y}&as_of=2026-12-16")
    assert api["units_total"] == 5 and {u["name"] for u in api["units"]} == {"Xã A1", "Xã A2", "Xã A3", "Xã A4",
                                                                             "Xã A5"}


def test_national_is_the_report_json_and_the_hand_count(client, scenario):  # noqa: F811
    national = factories.UserFactory(role="national_viewer")
    api = api_get(client, national, "/api/v1/reports/national/?year=2025")
    assert api == page_json(client, national, reverse("reports:national_json") + "?year=2025")
    (row,) = api["programmes"]
    assert row["units_total"] == 17 and row["bands"] == EXPECTED_BANDS
    assert row["targets_met"] == sum(1 for *_rest, met in EXPECTED_TARGETS.values() if met) == 1


def test_trends_are_the_functions_and_end_on_the_hand_count(client, scenario, viewer):  # noqa: F811
    from assessments.programmes import programme_get

    api = api_get(client, viewer, "/api/v1/reports/trends/?year=2025")
    assert api == json.loads(json.dumps(trends(programme=programme_get(), year=2025)))
    assert api["years"] == [2022, 2023, 2024, 2025]
    assert {band: values[-1] for band, values in api["bands"].items()} == EXPECTED_BANDS


@pytest.mark.parametrize("url,status", [
    ("/api/v1/reports/progress/?year=2025", 403),
    ("/api/v1/reports/trends/?year=2025", 403),
    ("/api/v1/reports/national/?year=2025", 403),
    ("/api/v1/reports/completeness/?year=2025", 403),
])
def test_an_officer_gets_no_figures(client, scenario, url, status):  # noqa: F811
    officer = factories.officer(scenario["a8"])
    response = client.get(url, **bearer(api_services.api_token_create(user=officer, name="t")[1]))
    assert response.status_code == status


@pytest.mark.parametrize("query", ["year=abc", "year=1999", "year=2101", "year=2025.0", "figures=all",
                                   "programme=a%20b", "as_of=2025-02-30"])
def test_bad_parameters_are_400(client, scenario, viewer, query):  # noqa: F811
    for url in ("/api/v1/reports/progress/", "/api/v1/reports/completeness/", "/api/v1/reports/trends/"):
        if "as_of" in query and "completeness" not in url or "figures" in query and "completeness" in url:
            continue
        response = client.get(f"{url}?{query}", **bearer(api_services.api_token_create(user=viewer, name="t")[1]))
        assert response.status_code == 400, (url, query)
        assert response.json()["code"] == "invalid"


def test_a_programme_of_another_province_is_404(client, scenario, viewer):  # noqa: F811
    other = factories.ProvinceFactory(code=25, name="Tỉnh Phú Thọ")
    factories.ProgrammeFactory(code="khac", territory_province=other, is_default=False)
    response = client.get("/api/v1/reports/progress/?programme=khac",
                          **bearer(api_services.api_token_create(user=viewer, name="t")[1]))
    assert response.status_code == 404


def test_the_api_reads_the_figures_the_page_cached(client, scenario, viewer, monkeypatch):  # noqa: F811
    """The figures endpoints call the pages' functions, so they share the report cache: the API's request after
    the page's computes nothing (the spy counts the computations)."""
    from django.core.cache import cache

    from reports import progress

    computed, build = [], progress._build_report
    monkeypatch.setattr(progress, "_build_report", lambda *a: computed.append(a) or build(*a))
    headers = bearer(api_services.api_token_create(user=viewer, name="t")[1])
    url = "/api/v1/reports/progress/?year=2025"
    cache.clear()
    page_json(client, viewer, reverse("reports:progress_json") + "?year=2025")
    assert len(computed) == 1
    response = client.get(url, **headers)
    assert response.status_code == 200 and response.json()["bands"] == EXPECTED_BANDS
    assert len(computed) == 1  # served from the cache the page filled
