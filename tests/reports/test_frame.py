"""The frame reading of DESIGN §7, computed by hand for 2026 (after the 1/7/2025 reform).

Frame (xã/thị trấn of province 17 in force on 27/6/2022): a, b, c, d (district H1), e, f, g (H2).
  a, b, c → M whole (M: verified 16/16 in 2025, recognised at commune level on 1/3/2026, verified 14 in 2026)
  d → N (primary part) and O (part);  e → O whole
  f ended on 30/6/2025 with no successor; it holds a commune-level decision of 2023 itself
  g is still in force (verified 10 in 2026)
  N: verified 13 in 2026;  O: submitted self-assessment 9 in 2026 (preliminary only)
Out of the frame: a phường, and a xã created after the resolution date.

Official 2026 bands by hand: recognized a, b, c (through M) + f = 4 · 13+ d (through N) = 1 ·
10-12 g = 1 · not_assessed e (O has no verified assessment) = 1.  Preliminary: e → 9.
"""

import datetime

import pytest

from assessments import services
from assessments.models import Level
from assessments.programmes import units_in_programmes
from communes.models import UnitKind, UnitSuccession
from reports import selectors
from reports.progress import FrameTable, build_report, progress_report
from tests import factories
from tests.conftest import record

pytestmark = pytest.mark.django_db
D = datetime.date
END, START = D(2025, 6, 30), D(2025, 7, 1)


@pytest.fixture
def frame(criteria_set):
    p17 = criteria_set.programme.territory_province
    h1 = factories.DistrictFactory(province=p17, name="Huyện H1")
    h2 = factories.DistrictFactory(province=p17, name="Huyện H2")
    u = {}
    for key, district in (("a", h1), ("b", h1), ("c", h1), ("d", h1), ("e", h2), ("f", h2), ("g", h2)):
        u[key] = factories.UnitFactory(district=district, name=f"Xã {key}")
    factories.UnitFactory(district=h1, kind=UnitKind.PHUONG, name="Phường w")
    factories.UnitFactory(district=h1, name="Xã mới 2023", valid_from=D(2023, 1, 1))
    factories.RecognitionFactory(unit=u["f"], level=Level.COMMUNE, decision_date=D(2023, 5, 1))
    for key in "abcdef":
        u[key].valid_to = END
        u[key].save()
    for key in ("M", "N", "O"):
        u[key] = factories.UnitFactory(district=None, province=p17, name=f"Xã {key}", valid_from=START)
    for old, new, whole, primary in (("a", "M", True, True), ("b", "M", True, True), ("c", "M", True, True),
                                     ("d", "N", False, True), ("d", "O", False, False), ("e", "O", True, True)):
        UnitSuccession.objects.create(predecessor=u[old], successor=u[new], effective_on=START, whole=whole,
                                      primary=primary)
    record(u["M"], 2025, 16)
    factories.RecognitionFactory(unit=u["M"], level=Level.COMMUNE, decision_date=D(2026, 3, 1))
    record(u["M"], 2026, 14)
    record(u["N"], 2026, 13)
    record(u["O"], 2026, 9, stage="self")
    record(u["g"], 2026, 10)
    u["H1"], u["H2"], u["programme"] = h1, h2, criteria_set.programme
    return u


def test_2026_bands_read_through_the_holders(frame):
    report = progress_report(year=2026)
    assert report["units_total"] == 7
    assert report["bands"] == {"recognized": 4, "13+": 1, "10-12": 1, "9": 0, "0-8": 0, "not_assessed": 1}
    assert report["bands_preliminary"] == {"recognized": 4, "13+": 1, "10-12": 1, "9": 1, "0-8": 0,
                                           "not_assessed": 0}


def test_a_merged_commune_counts_once_for_each_frame_unit_it_holds(frame):
    districts = {d["name"]: d for d in progress_report(year=2026)["districts"]}
    assert districts["Huyện H1"]["units"] == 4 and districts["Huyện H2"]["units"] == 3
    assert districts["Huyện H1"]["recognized"] == {"commune": 3, "district": 0, "province": 0}
    assert districts["Huyện H2"]["recognized"] == {"commune": 1, "district": 0, "province": 0}  # f's own decision


def test_the_current_map_lists_each_holder_with_the_frame_units_it_carries(frame):
    holders = {h["name"]: h for h in progress_report(year=2026)["holders"]}
    assert set(holders) == {"Xã M", "Xã N", "Xã O", "Xã g"}  # f is held by nobody
    assert sorted(u["name"] for u in holders["Xã M"]["frame_units"]) == ["Xã a", "Xã b", "Xã c"]
    assert [u["name"] for u in holders["Xã N"]["frame_units"]] == ["Xã d"]  # d's primary successor
    assert [u["name"] for u in holders["Xã O"]["frame_units"]] == ["Xã e"]
    # Holders' own results, not multiplied.
    assert holders["Xã M"]["band"] == "recognized" and holders["Xã M"]["held_level"] == "commune"
    assert holders["Xã N"]["band"] == "13+" and holders["Xã O"]["band"] == "not_assessed"
    rows = {r["name"]: r for r in selectors.unit_rows(year=2026, programme=frame["programme"])}
    assert rows["Xã a"]["holder_name"] == "Xã M" and rows["Xã a"]["held_by_other"]
    assert rows["Xã g"]["holder_name"] == "Xã g" and not rows["Xã g"]["held_by_other"]


def test_the_reform_year_read_on_the_first_day_of_the_successions(frame):
    """On 1/7/2025 the successors already hold the places: M may be recognised that very day (its programme is
    read on the decision date), the frame read that day is held by them, and the 2025 report counts it."""
    programme = frame["programme"]
    assert units_in_programmes({frame["M"].id}, 2025, on=START) == {frame["M"].id: [programme]}
    services.recognition_create(unit=frame["M"], level=Level.COMMUNE, decision_number="15/QĐ-UBND",
                                decision_date=START, issued_by="Ủy ban nhân dân", actor=factories.administrator())
    first_day = {r["name"]: r["holder_name"] for r in FrameTable.load(programme=programme, year=2025, day=START).rows}
    assert first_day == {"Xã a": "Xã M", "Xã b": "Xã M", "Xã c": "Xã M", "Xã d": "Xã N", "Xã e": "Xã O",
                         "Xã f": None, "Xã g": "Xã g"}
    last_day = {r["name"]: r["holder_name"] for r in FrameTable.load(programme=programme, year=2025, day=END).rows}
    assert last_day == {f"Xã {k}": f"Xã {k}" for k in "abcdefg"}
    report = progress_report(year=2025)
    assert report["bands"]["recognized"] == 4  # a, b, c through M's decision of 1/7/2025, and f's own
    assert {h["name"] for h in report["holders"]} == {"Xã M", "Xã N", "Xã O", "Xã g"}


def test_2024_reads_the_frame_units_themselves(frame):
    report = progress_report(year=2024)
    assert report["units_total"] == 7
    assert report["bands"]["recognized"] == 1  # f's 2023 decision; M did not exist yet
    assert {h["name"] for h in report["holders"]} == {f"Xã {k}" for k in "abcdefg"}


def test_criteria_count_the_holders_assessments(frame):
    criteria = {c["number"]: c for c in progress_report(year=2026)["criteria"]}
    assert criteria[1]["assessed"] == 3  # M, N and g (verified); O is not verified
    assert criteria[14]["met"] == 1  # only M has ≥ 14
    preliminary = {c["number"]: c for c in build_report(year=2026, figures="preliminary")["criteria"]}
    assert preliminary[1]["assessed"] == 4


def test_targets_through_holders_and_frame_districts(frame):
    programme = frame["programme"]
    factories.TargetFactory(programme=programme, key="rec", kind="recognized", level=Level.COMMUNE, number=4,
                            deadline=D(2030, 12, 31))
    factories.TargetFactory(programme=programme, key="each", kind="per_district", level=Level.DISTRICT, number=1,
                            deadline=D(2030, 12, 31))
    t = {x["key"]: x for x in progress_report(year=2026)["targets"]}
    assert (t["rec"]["actual"], t["rec"]["met"]) == (4, True)
    # The frame's districts (2) are counted even though both ended on 30/6/2025.
    assert (t["each"]["actual"], t["each"]["target"], t["each"]["met"]) == (0, 2, False)


def test_a_frame_without_districts_never_meets_a_per_district_target(criteria_set):
    """Recording that districts ended must not make "every district" vacuously met (0/0)."""
    programme = criteria_set.programme
    factories.UnitFactory(district=None, province=programme.territory_province, name="Xã không huyện")
    factories.TargetFactory(programme=programme, key="each", kind="per_district", level=Level.DISTRICT, number=1,
                            deadline=D(2030, 12, 31))
    t = progress_report(year=2026)["targets"][0]
    assert (t["actual"], t["target"], t["met"]) == (0, 0, False)


def test_the_ward_programme_reads_its_own_frame(frame):
    ward = factories.ProgrammeFactory(code="nq12_ward", unit_kinds=[UnitKind.PHUONG],
                                      territory_district=frame["H1"])
    factories.CriteriaSetFactory(programme=ward, criteria=15)
    factories.TargetFactory(programme=ward, key="ward-1", kind="recognized", level=Level.COMMUNE, number=1)
    report = progress_report(year=2026, programme=ward)
    assert report["units_total"] == 1  # Phường w only
    assert report["programme"]["code"] == "nq12_ward"
    assert [t["target"] for t in report["targets"]] == [1]
    assert report["targets"][0]["met"] is False
