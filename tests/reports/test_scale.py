"""Pages cost their user's scope, not the country (issue 17): every page an officer, a reviewer, provincial staff
and a national viewer use runs the same number of queries with one province and with several (each with its
programme, units, assessments and users), once its figures are stored (the steady state; the first read of a
year stores them, itself a constant handful of queries)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments import services
from tests import factories
from tests.conftest import record
from tests.reports.test_national import province_with_programme

pytestmark = pytest.mark.django_db
YEAR = 2026


def _province(code: int, units: int = 6):
    programme, _set, made = province_with_programme(code, f"Tỉnh {code}", units)
    for i, unit in enumerate(made[1:]):
        record(unit, YEAR, 9 + i, stage="self" if i % 2 else "verified")
    officer = factories.officer(made[0])
    draft = services.assessment_get_or_create(unit=made[0], year=YEAR, actor=officer)
    district = made[0].district
    return {"programme": programme, "officer": officer, "draft": draft, "district": district,
            "reviewer": factories.reviewer(district), "viewer": factories.province_viewer(programme.territory_province)}


def _pages(p, national):
    q = f"year={YEAR}&programme={p['programme'].code}"
    return [
        (p["officer"], "/assessments/"), (p["officer"], f"/assessments/{p['draft'].pk}/"),
        (p["reviewer"], f"/assessments/review/?year={YEAR}"),
        (p["viewer"], f"/reports/?{q}"), (p["viewer"], f"/reports/criteria/?{q}"),
        (p["viewer"], f"/reports/districts/{p['district'].code}/?{q}"), (p["viewer"], f"/reports/current/?{q}"),
        (p["viewer"], f"/reports/trends/?{q}"), (p["viewer"], f"/reports/map/?{q}"),
        (p["viewer"], f"/reports/completeness/?{q}"), (p["viewer"], f"/reports/completeness.json?{q}"),
        (p["viewer"], f"/reports/progress.json?{q}"), (national, f"/reports/national/?year={YEAR}"),
    ]


def _counts(client, pages) -> dict[str, int]:
    out = {}
    for user, path in pages:
        client.force_login(user)
        assert client.get(path).status_code == 200, path  # stores the year's figures if needed
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200, path
        out[path] = len(queries)
    return out


def _autosave_count(client, p) -> int:
    draft = p["draft"]
    draft.refresh_from_db()
    client.force_login(p["officer"])
    criterion = draft.results.first().criterion_id
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.post(f"/assessments/{draft.pk}/criterion/", {
            "version": draft.version, "criterion": criterion, "self_result": "met", "note": "x"})
    assert response.status_code == 200
    return len(queries)


def test_every_page_costs_the_same_with_one_province_and_with_several(client):
    national = factories.UserFactory(role="national_viewer")
    first = _province(17)
    # The officer has typed an answer before each measurement: the pages are read in the same state.
    _autosave_count(client, first)  # the first answer of a criterion also records where it started from
    small_autosave = _autosave_count(client, first)
    small = _counts(client, _pages(first, national))
    for code in (25, 30, 31):
        _province(code, units=9)
    assert _autosave_count(client, first) == small_autosave
    assert _counts(client, _pages(first, national)) == small
