"""The importer applies the services' rules (issue 21), in the reform year above all.

On 1/7/2025 Hòa Bình (17) and its districts end; its Xã Hang Kia (05212) and Xã Tân Sơn (05215)
go into the new Xã Pà Cò of Phú Thọ (25), which reuses the code 05212 and has no district. Phú Thọ
also has Xã Hùng Lô, in no programme's frame. The programme (nq12_commune) covers Hòa Bình's xã as
of 27/6/2022, so Pà Cò is in it from 1/7/2025 as their holder, and Hùng Lô never is.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.models import Assessment, Level, Recognition, Registration, Status
from assessments.services import criteria_set_copy
from communes.models import UnitSuccession
from data_exchange import services
from data_exchange.services import data_import
from inventory.models import ModelCount
from inventory.services import model_types_load
from tests import factories
from tests.conftest import record

from .conftest import assessment_row, csv_bytes, problems_of

pytestmark = pytest.mark.django_db

D = datetime.date
END, START = D(2025, 6, 30), D(2025, 7, 1)
REC = ["commune_code", "level", "decision_number", "decision_date", "issued_by"]
HEADERS = {
    "assessments": None,  # conftest's HEADER
    "registrations": ["commune_code", "year"],
    "models": ["commune_code", "year", "model_code", "count"],
}


class Reform:
    def __init__(self):
        self.criteria_set = factories.CriteriaSetFactory()  # nq12_commune: Hòa Bình's xã as of 27/6/2022
        self.p17 = self.criteria_set.programme.territory_province
        self.p25 = factories.ProvinceFactory(code=25, name="Tỉnh Phú Thọ")
        self.p17.valid_to, self.p17.successor = END, self.p25
        self.p17.save()
        self.district = factories.DistrictFactory(province=self.p17, name="Huyện Mai Châu", valid_to=END)
        self.hang_kia = factories.UnitFactory(district=self.district, code=5212, name="Xã Hang Kia", valid_to=END)
        self.tan_son = factories.UnitFactory(district=self.district, code=5215, name="Xã Tân Sơn", valid_to=END)
        self.pa_co = factories.UnitFactory(district=None, province=self.p25, code=5212, name="Xã Pà Cò",
                                           valid_from=START)
        self.hung_lo = factories.UnitFactory(district=None, province=self.p25, code=7900, name="Xã Hùng Lô")
        UnitSuccession.objects.create(predecessor=self.hang_kia, successor=self.pa_co, effective_on=START, primary=True)
        UnitSuccession.objects.create(predecessor=self.tan_son, successor=self.pa_co, effective_on=START)


@pytest.fixture
def reform():
    return Reform()


@pytest.fixture
def model_types(db):
    model_types_load()


def rows_of(kind, code, year):
    """One good row of `kind` for the unit code `code` and `year`."""
    if kind == "assessments":
        return csv_bytes([[str(code), str(year), "verified"] + ["1"] * 16])
    if kind == "registrations":
        return csv_bytes([[code, year]], header=HEADERS[kind])
    return csv_bytes([[code, year, "zalo_mailbox", 2]], header=HEADERS[kind])


def written(kind):
    model = {"assessments": Assessment, "registrations": Registration, "models": ModelCount}[kind]
    return list(model.objects.values_list("unit__name", "year"))


# ---------------------------------------------------------------- codes as of 31/12 of the row's year


@pytest.mark.parametrize("kind", ["assessments", "registrations", "models"])
def test_a_2025_row_of_a_reused_code_is_the_unit_in_force_on_31_12(reform, model_types, kind):
    """05212 was Hang Kia until 30/6/2025 and is Pà Cò since: a 2025 row is Pà Cò's (resolved on 1/1, it
    would be Hang Kia's, which holds no frame place on 31/12/2025)."""
    data_import(kind=kind, name="f.csv", data=rows_of(kind, 5212, 2025))
    assert written(kind) == [("Xã Pà Cò", 2025)]


@pytest.mark.parametrize("kind", ["assessments", "registrations", "models"])
def test_a_unit_that_ends_within_the_year_has_no_row_of_that_year(reform, model_types, kind):
    lines = problems_of(kind, rows_of(kind, 5215, 2025))
    assert lines == ["row 2, column commune_code: mã 05215 là Xã Tân Sơn, đã hết hiệu lực từ ngày 30/06/2025; "
                     "đơn vị kế thừa: Xã Pà Cò (mã 05212)."]
    # … and the year before is its own.
    data_import(kind=kind, name="f.csv", data=rows_of(kind, 5215, 2024))
    assert written(kind) == [("Xã Tân Sơn", 2024)]


@pytest.mark.parametrize("kind", ["assessments", "registrations", "models"])
def test_a_unit_outside_every_frame_is_refused(reform, model_types, kind):
    lines = problems_of(kind, rows_of(kind, 7900, 2025))
    assert lines == ["row 2, column commune_code: Xã Hùng Lô (mã 07900) không thuộc đối tượng của chương trình "
                     "nào năm 2025."]
    assert written(kind) == []


# ---------------------------------------------------------------- recognitions: the decision date


def recognitions(*rows):
    return csv_bytes([list(r) for r in rows], header=REC)


def test_a_decision_of_a_unit_before_it_ends_in_the_reform_year_is_its_own(reform):
    """Tân Sơn holds its own frame place until 30/6/2025: a decision of 15/6/2025 is recorded (holders read
    on 31/12/2025 — Pà Cò — refused it)."""
    record(reform.tan_son, 2024, 16)
    data_import(kind="recognitions", name="r.csv",
                data=recognitions((5215, "commune", "3/QĐ-UBND", "15/06/2025", "UBND huyện Mai Châu")))
    recognition = Recognition.objects.get()
    assert (recognition.unit, recognition.level, recognition.decision_date) == (reform.tan_son, Level.COMMUNE,
                                                                                D(2025, 6, 15))


def test_a_reused_code_in_a_decision_is_the_unit_in_force_on_its_date(reform):
    record(reform.hang_kia, 2024, 16)
    record(reform.pa_co, 2025, 16)
    data_import(kind="recognitions", name="r.csv", data=recognitions(
        (5212, "commune", "1/QĐ", "2025-03-01", "UBND huyện Mai Châu"),
        (5212, "commune", "2/QĐ", "2025-09-01", "UBND tỉnh Phú Thọ"),
    ))
    assert sorted(Recognition.objects.values_list("decision_number", "unit__name")) == [
        ("1/QĐ", "Xã Hang Kia"), ("2/QĐ", "Xã Pà Cò")]


def test_a_unit_outside_every_frame_gets_no_recognition(reform):
    record(reform.hang_kia, 2024, 16)
    lines = problems_of("recognitions", recognitions((7900, "commune", "5/QĐ", "2025-09-01", "UBND tỉnh")))
    assert lines == ["row 2, column commune_code: Xã Hùng Lô (mã 07900) không thuộc đối tượng của chương trình "
                     "nào năm 2025."]
    assert not Recognition.objects.exists()


def test_the_chain_after_the_reform_is_the_services_own(reform):
    """No district-level decision once the district has ended; without a district the chain is
    commune → province, and a province decision may rest on a commune decision of the same file."""
    record(reform.pa_co, 2025, 16)
    lines = problems_of("recognitions", recognitions(
        (5212, "commune", "1/QĐ", "2025-09-01", "UBND tỉnh"),
        (5212, "district", "2/QĐ", "2025-10-01", "UBND huyện"),
    ))
    assert lines == ["row 3, column level: Xã Pà Cò không thuộc huyện nào nên không thể được công nhận cấp huyện."]
    data_import(kind="recognitions", name="r.csv", data=recognitions(
        (5212, "province", "9/QĐ", "2025-12-01", "UBND tỉnh Phú Thọ"),
        (5212, "commune", "1/QĐ", "2025-09-01", "UBND tỉnh Phú Thọ"),
    ))
    assert sorted(Recognition.objects.values_list("level", flat=True)) == [Level.COMMUNE, Level.PROVINCE]


def test_a_district_decision_after_the_district_ended_is_refused(reform):
    record(reform.hang_kia, 2024, 16)
    lines = problems_of("recognitions", recognitions(
        (5212, "commune", "1/QĐ", "2025-01-10", "UBND huyện"),
        (5215, "district", "2/QĐ", "2025-05-10", "UBND huyện"),  # Tân Sơn: no commune-level decision
    ))
    assert lines == ["row 3, column level: Xã Tân Sơn chưa được công nhận cấp xã vào hoặc trước ngày 10/05/2025."]


def test_a_revoked_lower_decision_does_not_carry_a_higher_one(reform):
    """The decisions of the file are read like stored ones: one revoked before the higher decision is not held."""
    record(reform.hang_kia, 2024, 16)
    lines = problems_of("recognitions", csv_bytes([
        [5212, "commune", "1/QĐ", "2025-01-10", "UBND huyện", "2025-02-01"],
        [5212, "district", "2/QĐ", "2025-03-10", "UBND huyện", ""],
    ], header=REC + ["revoked_on"]))
    assert lines == ["row 3, column level: Xã Hang Kia chưa được công nhận cấp xã vào hoặc trước ngày 10/03/2025."]


# ---------------------------------------------------------------- the criteria set: the published one


def test_a_draft_copy_of_the_criteria_set_is_left_alone(criteria_set, unit):
    draft = criteria_set_copy(criteria_set=criteria_set, actor=factories.administrator())
    assert not draft.published and draft.version > criteria_set.version
    data_import(kind="assessments", name="a.csv", data=csv_bytes([assessment_row(unit, 2024, met=12)]))
    assert Assessment.objects.get().criteria_set == criteria_set
    assert not draft.assessments.exists()


# ---------------------------------------------------------------- queries: constant in the rows


def queries_of(kind, data) -> int:
    with CaptureQueriesContext(connection) as queries:
        data_import(kind=kind, name="f.csv", data=data)
    return len(queries)


def test_recognitions_take_the_same_queries_for_5_and_40_rows(criteria_set, district):
    units = factories.UnitFactory.create_batch(40, district=district)
    for unit in units:
        record(unit, 2024, 16)

    def rows(n):
        return recognitions(*[(u.code, "commune", f"{n}/QĐ-{u.code}", "2025-01-15", "UBND huyện") for u in units[:n]])

    five = queries_of("recognitions", rows(5))
    forty = queries_of("recognitions", rows(40))
    assert Recognition.objects.count() == 45
    # + 4 for the stored figures: the programmes' locks, whether any of their days is stored, one savepoint.
    assert five == forty <= 24


def test_registrations_take_the_same_queries_for_5_and_40_rows(criteria_set, district):
    units = factories.UnitFactory.create_batch(40, district=district)
    header = HEADERS["registrations"]
    five = queries_of("registrations", csv_bytes([[u.code, 2024] for u in units[:5]], header=header))
    forty = queries_of("registrations", csv_bytes([[u.code, 2025] for u in units], header=header))
    assert Registration.objects.count() == 45 and five == forty


def test_assessments_meeting_stored_ones_take_the_same_queries(criteria_set, district):
    """Rows over existing assessments (unchanged or updated) compare their results a batch at a time."""
    units = factories.UnitFactory.create_batch(40, district=district)
    for unit in units:
        record(unit, 2024, 10, stage="self")

    def rows(n, met):
        return csv_bytes([assessment_row(u, 2024, "self", met=met) for u in units[:n]])

    assert queries_of("assessments", rows(5, 10)) == queries_of("assessments", rows(40, 10))  # unchanged
    assert set(Assessment.objects.values_list("status", flat=True)) == {Status.SUBMITTED}


# ---------------------------------------------------------------- the figures hook


def test_the_figures_of_what_was_written_are_refreshed_once(reform, monkeypatch):
    calls = []
    monkeypatch.setattr(services, "figures_after_import", lambda **kw: calls.append(kw))
    data_import(kind="assessments", name="a.csv", data=csv_bytes([
        assessment_row(reform.hang_kia, 2024), [str(5212), "2025", "self"] + ["1"] * 16]))
    programme = reform.criteria_set.programme.id
    assert calls == [{"kind": "assessments", "touched": {(programme, 2024), (programme, 2025)}}]
    calls.clear()
    data_import(kind="recognitions", name="r.csv", data=csv_bytes(
        [[5212, "commune", "1/QĐ", "2024-12-20", "UBND huyện", "2026-02-01"]], header=REC + ["revoked_on"]))
    assert calls == [{"kind": "recognitions", "touched": {(programme, 2024), (programme, 2026)}}]
