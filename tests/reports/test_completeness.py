"""Completeness and timeliness (reports/completeness.py): counts by hand on days around each deadline."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments import facts, services
from assessments.models import Assessment, ProgrammeYear, Status, Transition
from communes.models import Unit
from reports.completeness import STATES, completeness_load
from tests import factories
from tests.conftest import record

from .completeness_fixtures import EXPECTED, EXPECTED_STATES, Y, at, build, counts, merged_unit, walk

pytestmark = pytest.mark.django_db
D = datetime.date
DAYS = list(EXPECTED)


@pytest.fixture
def units(criteria_set):
    return build(criteria_set)


@pytest.mark.parametrize("as_of", DAYS, ids=[d.isoformat() for d in DAYS])
def test_counts_around_the_deadlines(units, criteria_set, as_of):
    c = completeness_load(programme=criteria_set.programme, year=Y, as_of=as_of)
    assert c.units_total == 9
    assert c.counts() == EXPECTED[as_of]
    states = {u.unit.name: u.state for u in c.units}
    for key, expected in EXPECTED_STATES.items():
        assert states[f"Xã {key.upper()}"] == expected[DAYS.index(as_of)], (key, as_of)


def test_dates_are_those_seen_as_of_the_day(units, criteria_set):
    before = {u.unit.name: u for u in completeness_load(programme=criteria_set.programme, year=Y,
                                                          as_of=D(Y, 12, 1)).units}
    after = {u.unit.name: u for u in completeness_load(programme=criteria_set.programme, year=Y,
                                                         as_of=D(Y, 12, 16)).units}
    # b1 was submitted on 20/11, returned on 28/11, submitted again on 2/12.
    assert before["Xã B1"].submitted_on == D(Y, 11, 20) and after["Xã B1"].submitted_on == D(Y, 12, 2)
    # a5 was submitted at 00:15 on 1/12 local time (still 30/11 in UTC): late.
    assert after["Xã A5"].submitted_on == D(Y, 12, 1) and after["Xã A5"].verified_on == D(Y, 12, 15)
    assert before["Xã A3"].verified_on is None and after["Xã A3"].verified_on == D(Y, 12, 10)
    # An import recorded as verified counts as submitted and verified that day.
    assert after["Xã B4"].submitted_on == after["Xã B4"].verified_on == D(Y, 12, 14)


def test_days_late(units, criteria_set):
    c = completeness_load(programme=criteria_set.programme, year=Y, as_of=D(Y, 12, 16))
    late = {u.unit.name: u.days_late for u in c.units}
    assert late["Xã A1"] == 16 and late["Xã A2"] == 16  # past the commune deadline, still missing
    assert late["Xã B1"] == 1  # waiting for the district one day past its deadline
    assert late["Xã A3"] == 0


def test_per_district(units, criteria_set):
    c = completeness_load(programme=criteria_set.programme, year=Y, as_of=D(Y, 12, 16))
    districts = c.districts()
    assert [d["name"] for d in districts] == ["Huyện A", "Huyện B"]
    assert districts[0]["code"] == str(units["A"].code) and districts[0]["units_total"] == 5
    assert districts[0]["counts"] == counts(not_started=1, draft=1, verified_on_time=2, verified_late=1)
    assert districts[1]["counts"] == counts(draft=1, submitted_late=1, verified_on_time=2)


def test_missing_list_and_sorting(units, criteria_set):
    c = completeness_load(programme=criteria_set.programme, year=Y, as_of=D(Y, 11, 29))
    missing = c.missing()
    assert {u.unit.name for u in missing} == {"Xã A1", "Xã A2", "Xã A4", "Xã A5", "Xã B1", "Xã B3", "Xã B4"}
    assert [u.unit.name for u in c.missing("name")][:2] == ["Xã A1", "Xã A2"]
    assert [u.unit.name for u in c.missing("-name")][0] == "Xã B4"
    by_state = [u.state for u in c.missing("state")]
    assert by_state == sorted(by_state, key=STATES.index)
    assert [u.unit.name for u in c.missing("bogus")] == [u.unit.name for u in c.missing("district")]


def test_a_year_calendar_changes_timeliness(units, criteria_set):
    ProgrammeYear.objects.create(programme=criteria_set.programme, year=Y, window_start=D(Y - 1, 11, 16),
                                 window_end=D(Y, 11, 15), commune_deadline=D(Y, 12, 3),
                                 district_deadline=D(Y, 12, 20))
    c = completeness_load(programme=criteria_set.programme, year=Y, as_of=D(Y, 12, 16))
    states = {u.unit.name: u.state for u in c.units}
    assert states["Xã A5"] == "verified_on_time" and states["Xã A4"] == "verified_on_time"
    assert states["Xã B1"] == "submitted_on_time"  # resubmitted 2/12, before the extended 3/12


def test_a_reopened_assessment_waits_again_with_its_first_submission_date(criteria_set):
    unit = factories.UnitFactory()
    admin = factories.administrator()
    a = walk(unit, ("start", at(D(Y, 11, 1))), ("submit", at(D(Y, 11, 20))), ("verify", at(D(Y, 11, 25))))
    a.refresh_from_db()
    services.assessment_reopen(assessment=a, actor=admin, reason="Sai số liệu")
    Transition.objects.filter(pk=a.transitions.order_by("-pk").first().pk).update(at=at(D(Y, 12, 2)))
    facts.assessment_changed(a)
    states = {d: completeness_load(programme=criteria_set.programme, year=Y, as_of=d).units[0]
              for d in (D(Y, 12, 1), D(Y, 12, 3))}
    assert states[D(Y, 12, 1)].state == "verified_on_time"
    assert states[D(Y, 12, 3)].state == "submitted_on_time"
    assert states[D(Y, 12, 3)].submitted_on == D(Y, 11, 20) and states[D(Y, 12, 3)].verified_on is None


def test_an_assessment_without_history_is_read_from_its_dates(criteria_set):
    unit = factories.UnitFactory()
    a = record(unit, Y, 12, stage="self")
    a.transitions.all().delete()
    Assessment.objects.filter(pk=a.pk).update(created_at=at(D(Y, 11, 2)), submitted_at=at(D(Y, 12, 4)))
    facts.assessment_changed(a)
    read = {d: completeness_load(programme=criteria_set.programme, year=Y, as_of=d).units[0].state
            for d in (D(Y, 11, 1), D(Y, 11, 29), D(Y, 12, 5))}
    assert read == {D(Y, 11, 1): "not_started", D(Y, 11, 29): "draft", D(Y, 12, 5): "submitted_late"}


def test_today_agrees_with_the_row_status(criteria_set):
    """When nothing happened after as_of, the row's status is what counts (the status table's view)."""
    unit = factories.UnitFactory()
    a = walk(unit, ("start", at(D(Y, 11, 1))), ("submit", at(D(Y, 11, 20))))
    Assessment.objects.filter(pk=a.pk).update(status=Status.RETURNED)
    facts.assessment_changed(a)
    assert completeness_load(programme=criteria_set.programme, year=Y, as_of=D(Y, 12, 1)).units[0].state == "returned"


def test_units_are_the_holders_grouped_under_their_province_without_a_district(criteria_set):
    old, new = merged_unit(criteria_set)
    walk(new, ("start", at(D(Y, 11, 1))), ("submit", at(D(Y, 11, 20))))
    c = completeness_load(programme=criteria_set.programme, year=Y, as_of=D(Y, 12, 1))
    assert [u.unit for u in c.units] == [new]
    assert c.districts() == [{"code": "25", "name": "Tỉnh Phú Thọ (các đơn vị không thuộc huyện)", "units_total": 1,
                              "counts": counts(submitted_on_time=1)}]
    # In 2024 the frame unit held its own place.
    assert [u.unit for u in completeness_load(programme=criteria_set.programme, year=2024,
                                              as_of=D(2024, 12, 1)).units] == [old]


def test_scope_narrows_the_units(units, criteria_set):
    c = completeness_load(programme=criteria_set.programme, year=Y, as_of=D(Y, 12, 16),
                          scope=Unit.objects.filter(district=units["B"]))
    assert c.units_total == 4 and {d["name"] for d in c.districts()} == {"Huyện B"}


def test_a_year_outside_the_programme_has_no_units(units, criteria_set):
    programme = criteria_set.programme
    programme.first_year, programme.last_year = 2022, 2025
    programme.save()
    assert completeness_load(programme=programme, year=Y, as_of=D(Y, 12, 16)).units_total == 0


def test_json_shape(units, criteria_set):
    data = completeness_load(programme=criteria_set.programme, year=Y, as_of=D(Y, 12, 15)).as_json()
    assert list(data) == ["year", "as_of", "units_total", "reported", "counts", "districts", "units"]
    assert data["year"] == Y and data["as_of"] == "2026-12-15" and data["units_total"] == 9
    # Reported = submitted (on time or late) or verified; a returned one is back with the officer.
    assert data["reported"] == sum(n for state, n in data["counts"].items()
                                   if state.startswith(("submitted_", "verified_")))
    assert list(data["districts"][0]) == ["code", "name", "units_total", "counts"]
    first = data["units"][0]
    assert list(first) == ["code", "name", "state", "submitted_at", "verified_at"]
    assert first["code"] == str(units["a1"].code) and not first["code"].startswith("0")
    a3 = next(u for u in data["units"] if u["name"] == "Xã A3")
    assert (a3["submitted_at"], a3["verified_at"]) == ("2026-11-25", "2026-12-10")


def _grow(n, criteria_set):
    district = factories.DistrictFactory()
    for i in range(n):
        unit = factories.UnitFactory(district=district)
        if i % 3 == 0:
            walk(unit, ("start", at(D(Y, 11, 1))), ("submit", at(D(Y, 11, 20 + i % 10))))
        elif i % 3 == 1:
            walk(unit, ("record", at(D(Y, 12, 1))))


def _queries(programme):
    # Steady state: the first read of a year stores its figures (a constant handful of queries too).
    completeness_load(programme=programme, year=Y, as_of=D(Y, 12, 1))
    with CaptureQueriesContext(connection) as ctx:
        completeness_load(programme=programme, year=Y, as_of=D(Y, 12, 1)).as_json()
    return len(ctx.captured_queries)


def test_query_count_is_constant(criteria_set):
    _grow(4, criteria_set)
    small = _queries(criteria_set.programme)
    _grow(30, criteria_set)
    large = _queries(criteria_set.programme)
    assert small == large <= 6
