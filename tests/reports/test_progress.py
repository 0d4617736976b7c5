"""The numbers of DESIGN §2 "Reading the targets", computed by hand (see conftest.scenario)."""

import datetime

import pytest

from assessments.models import Band, Level
from reports import progress
from reports.progress import build_report, progress_report
from tests import factories
from tests.conftest import record

from .conftest import EXPECTED_BANDS, EXPECTED_PRELIMINARY, EXPECTED_TARGETS, rec

pytestmark = pytest.mark.django_db


def by_key(report):
    return {t["key"]: t for t in report["targets"]}


def numbers(t):
    return (t["target"], t["actual"], t["cumulative_target"], t["cumulative_actual"], t["met"])


def test_bands_official_and_preliminary(scenario):
    report = progress_report(year=2025)
    assert report["year"] == 2025
    assert report["units_total"] == 17  # ward and the unit ended before the resolution are out of the frame
    assert report["bands"] == EXPECTED_BANDS
    assert report["bands_preliminary"] == EXPECTED_PRELIMINARY


def test_json_keys_are_the_stable_interface(scenario):
    report = progress_report(year=2025)
    assert {"year", "units_total", "bands", "bands_preliminary", "targets", "districts", "criteria"} <= set(report)
    assert list(report["bands"]) == ["recognized", "13+", "10-12", "9", "0-8", "not_assessed"]
    for t in report["targets"]:
        assert {"key", "deadline", "text", "target", "actual", "cumulative_target", "cumulative_actual",
                "met"} <= set(t)
    assert by_key(report)["2025-band-13"]["deadline"] == "2025-12-31"
    d = report["districts"][0]
    assert set(d) >= {"code", "name", "units", "recognized", "bands"}
    assert set(d["recognized"]) == {"commune", "district", "province"}
    assert d["code"] == str(scenario["A"].code)
    assert set(report["criteria"][0]) >= {"number", "title", "met", "assessed"}


@pytest.mark.parametrize("key", list(EXPECTED_TARGETS))
def test_targets_as_computed_by_hand(scenario, key):
    assert numbers(by_key(progress_report(year=2025))[key]) == EXPECTED_TARGETS[key]


def test_band_boundaries_for_single_units(scenario):
    from reports import selectors

    rows = {r["name"]: r["band"] for r in selectors.unit_rows(
        year=2025, programme=progress.programme_get(None))}
    assert rows["Xã a8"] == "0-8"
    assert rows["Xã a9"] == "9"
    assert rows["Xã a10"] == "10-12"
    assert rows["Xã a12"] == "10-12"  # a thị trấn is in scope
    assert rows["Xã a13"] == "13+"
    assert rows["Xã a16"] == "13+"  # 16/16 without a recognition is not "recognized"
    assert rows["Xã uRev"] == "13+"  # revoked before 31/12
    assert rows["Xã uLate"] == "10-12"  # decision dated after the year
    assert rows["Xã uSub"] == rows["Xã uRet"] == rows["Xã uDraft"] == rows["Xã uNone"] == "not_assessed"
    assert {rows[k] for k in ("Xã uC", "Xã uD", "Xã uP", "Xã uRegLate")} == {"recognized"}
    assert "Xã ward" not in rows and "Xã gone" not in rows


def test_districts_count_units_by_highest_level(scenario):
    districts = {d["name"]: d for d in progress_report(year=2025)["districts"]}
    assert set(districts) == {"Huyện A", "Huyện B", "Huyện C"}  # Z has no unit existing in 2025
    a, b, c = districts["Huyện A"], districts["Huyện B"], districts["Huyện C"]
    assert a["units"] == 14 and b["units"] == 2 and c["units"] == 1
    assert a["recognized"] == {"commune": 1, "district": 1, "province": 0}
    assert b["recognized"] == {"commune": 0, "district": 0, "province": 1}
    assert c["recognized"] == {"commune": 1, "district": 0, "province": 0}
    assert a["bands"] == {"recognized": 2, "13+": 3, "10-12": 3, "9": 1, "0-8": 1, "not_assessed": 4}
    assert sum(sum(d["bands"].values()) for d in districts.values()) == 17


def test_criteria_use_verified_assessments_of_the_year(scenario):
    criteria = {c["number"]: c for c in progress_report(year=2025)["criteria"]}
    assert len(criteria) == 16
    # 13 verified assessments in scope: record() marks criteria 1..met as met.
    assert {c["assessed"] for c in criteria.values()} == {13}
    assert criteria[1]["met"] == 12  # all but b0 (0 met)
    assert criteria[9]["met"] == 11  # all with ≥ 9
    assert criteria[11]["met"] == 9  # ≥ 11: a12, a13, a16, uC, uD, uRev, uLate, uP, uRegLate
    assert criteria[16]["met"] == 6
    assert criteria[1]["title"] == "Tiêu chí 1"


def test_preliminary_report_uses_self_assessments_for_targets(scenario):
    report = build_report(year=2025, figures="preliminary")
    t = by_key(report)
    assert t["2025-band-13"]["actual"] == 4  # + uSub
    assert t["2025-band-9"]["cumulative_actual"] == 13  # + uSub + uRet; the draft never counts
    assert report["bands"] == EXPECTED_BANDS  # "bands" stays official
    criteria = {c["number"]: c for c in report["criteria"]}
    assert criteria[1]["assessed"] == 15  # 13 verified + submitted + returned


def test_evaluation_as_of_min_year_and_deadline(scenario):
    """In a 2026 report the 2025 targets still read 2025; the 2030 ones read 2026."""
    a8 = scenario["a8"]
    record(a8, 2026, 16)
    report = progress_report(year=2026)
    t = by_key(report)
    assert t["2025-band-13"]["as_of"] == "2025-12-31"
    assert numbers(t["2025-band-13"]) == EXPECTED_TARGETS["2025-band-13"]
    assert t["2025-recognized-commune"]["actual"] == 4  # uLate's 2026 decision does not count for 2025
    assert t["2030-recognized-province"]["as_of"] == "2026-12-31"
    assert t["2022-pilot-commune"]["as_of"] == "2022-12-31"
    assert t["2022-pilot-commune"]["deadline_state"] == "past"
    assert t["2030-each-district"]["deadline_state"] == "future"
    # The year's own bands: uLate is now recognised, a8 verified 16/16, the others not assessed.
    assert report["bands"]["recognized"] == 5
    assert report["bands"]["13+"] == 1


def test_pilot_target_counts_registered_units_only(scenario):
    # Evaluated as of 2022: uC (registered 2022) and uP (2021); uD recognised but unregistered;
    # uRegLate registered but recognised only in 2023.
    t = by_key(progress_report(year=2022))["2022-pilot-commune"]
    assert (t["actual"], t["met"]) == (2, False)
    factories.RegistrationFactory(unit=scenario["uD"], year=2022)
    t = by_key(progress_report(year=2025))["2022-pilot-commune"]
    assert (t["actual"], t["met"]) == (3, True)


def test_registration_after_the_deadline_does_not_count(scenario):
    factories.RegistrationFactory(unit=scenario["uD"], year=2023)
    assert by_key(progress_report(year=2025))["2022-pilot-commune"]["actual"] == 2


def test_per_district_target_met_when_the_missing_district_gets_one(scenario):
    t = by_key(progress_report(year=2025))["2030-each-district"]
    assert (t["actual"], t["target"], t["met"]) == (2, 3, False)  # Huyện C has only a commune-level one
    rec(scenario["uRegLate"], Level.DISTRICT, datetime.date(2025, 1, 10))
    t = by_key(progress_report(year=2025))["2030-each-district"]
    assert (t["actual"], t["target"], t["met"]) == (3, 3, True)


def test_tier_met_exactly_at_the_cumulative_target(scenario):
    from assessments.models import Target

    Target.objects.all().delete()
    day = datetime.date(2025, 12, 31)
    factories.TargetFactory(key="r", deadline=day, kind="recognized", level=Level.COMMUNE, number=4, sort_order=1)
    factories.TargetFactory(key="b13", deadline=day, kind="band", level=None, band=Band.B13, number=3, sort_order=2)
    factories.TargetFactory(key="b10", deadline=day, kind="band", level=None, band=Band.B10, number=4, sort_order=3)
    # A district-level target with the same deadline is not a tier.
    factories.TargetFactory(key="d", deadline=day, kind="recognized", level=Level.DISTRICT, number=2, sort_order=4)
    t = by_key(progress_report(year=2025))
    assert numbers(t["r"]) == (4, 4, 4, 4, True)
    assert numbers(t["b13"]) == (3, 3, 7, 7, True)
    assert numbers(t["b10"]) == (4, 3, 11, 10, False)
    assert numbers(t["d"]) == (2, 2, 2, 2, True)
    assert t["r"]["tier"] and t["b13"]["tier"] and not t["d"]["tier"]


def test_real_targets_tiers_add_up_to_131(scenario):
    t = by_key(progress_report(year=2025))
    assert t["2025-band-9"]["cumulative_target"] == 131
    assert [t[k]["cumulative_target"] for k in ("2025-recognized-commune", "2025-band-13", "2025-band-10")] == [
        20, 50, 100]


def test_empty_year_and_other_province(scenario):
    report = progress_report(year=2019)
    assert report["units_total"] == 17  # the frame is fixed on the resolution date, whatever the year
    assert report["bands"]["not_assessed"] == 17  # no assessment, no recognition yet
    elsewhere = factories.ProgrammeFactory(code="other", territory_province=factories.ProvinceFactory(code=99))
    factories.TargetFactory(programme=elsewhere, key="x", number=1)
    report = progress_report(year=2025, programme=elsewhere)
    assert report["units_total"] == 0
    assert report["targets"][0]["met"] is False  # an empty frame is never "met"


def test_band_for_matches_the_sql_bands():
    assert [progress.band_for(None, n) for n in (0, 8, 9, 10, 12, 13, 16)] == [
        "0-8", "0-8", "9", "10-12", "10-12", "13+", "13+"]
    assert progress.band_for(None, None) == "not_assessed"
    assert progress.band_for(1, 3) == "recognized"


def test_unit_history_bands_agree_with_the_district_table(scenario):
    from reports import selectors

    programme = progress.programme_get()
    rows = {r["id"]: r["band"] for r in selectors.unit_rows(year=2025, programme=programme)}
    for key in ("a8", "a9", "a12", "a16", "uC", "uRev", "uLate", "uSub"):
        unit = scenario[key]
        years = {y["year"]: y for y in selectors.unit_history(unit=unit, programme=programme).years}
        assert years[2025]["band"] == rows[unit.id], key


def test_a_deadline_inside_the_year_is_read_on_that_day(scenario):
    """A target due on 30/6/2025 counts the decisions held on 30/6/2025, not on 31/12/2025."""
    from assessments.models import Target

    Target.objects.all().delete()
    factories.TargetFactory(key="mid", deadline=datetime.date(2025, 6, 30), kind="recognized", level=Level.COMMUNE,
                            number=4)
    rec(scenario["a16"], Level.COMMUNE, datetime.date(2025, 7, 1))  # one day late
    t = by_key(progress_report(year=2025))["mid"]
    assert t["as_of"] == "2025-06-30"
    # uC, uD, uP, uRegLate were recognised by then; uRev's was revoked on 1/6/2025; a16's came a day late.
    assert (t["actual"], t["met"]) == (4, True)
    t = by_key(progress_report(year=2024))["mid"]
    assert t["as_of"] == "2024-12-31"


def test_revocation_on_the_last_day_of_the_year_counts_as_revoked(scenario):
    """held_on(day) excludes a decision revoked on that very day: revoked on 31/12/Y is not held for Y."""
    rec(scenario["a13"], Level.COMMUNE, datetime.date(2024, 3, 1), revoked_on=datetime.date(2025, 12, 31))
    assert progress_report(year=2025)["bands"]["recognized"] == 4  # unchanged: a13 stays 13+
    assert progress_report(year=2024)["bands"]["recognized"] >= 1


def test_report_years_are_few_distinct_years(scenario):
    from reports import selectors

    programme = progress.programme_get(None)
    assert selectors.report_years(programme=programme) == [2025]
