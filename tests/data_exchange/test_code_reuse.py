"""Import rows resolve commune_code as of 31/12 of the row's year (DESIGN §5, §7): GSO reuses codes.

The frame of nq12_commune (province 17, resolution 27/6/2022) holds the old Xã Hang Kia (05212)
and Xã Tân Sơn (05215); both end on 30/6/2025 and go into the new Xã Pà Cò, which reuses 05212.
"""

import datetime

import pytest

from assessments.models import Assessment, Status
from communes.models import UnitSuccession
from data_exchange.services import data_import
from tests import factories

from .conftest import assessment_row, csv_bytes, problems_of

pytestmark = pytest.mark.django_db

END, START = datetime.date(2025, 6, 30), datetime.date(2025, 7, 1)


class Frame:
    def __init__(self):
        self.criteria_set = factories.CriteriaSetFactory()  # programme nq12_commune, territory province 17
        province = self.criteria_set.programme.territory_province
        district = factories.DistrictFactory(province=province, name="Huyện Mai Châu", valid_to=END)
        self.hang_kia = factories.UnitFactory(district=district, code=5212, name="Xã Hang Kia", valid_to=END)
        self.tan_son = factories.UnitFactory(district=district, code=5215, name="Xã Tân Sơn", valid_to=END)
        self.pa_co = factories.UnitFactory(district=None, province=province, code=5212, name="Xã Pà Cò",
                                           valid_from=START)
        for old in (self.hang_kia, self.tan_son):
            UnitSuccession.objects.create(predecessor=old, successor=self.pa_co, effective_on=START)


@pytest.fixture
def frame():
    return Frame()


def test_a_reused_code_before_the_reform_is_the_old_unit(frame):
    data_import(kind="assessments", name="a.csv", data=csv_bytes([assessment_row(frame.hang_kia, 2024, met=14)]))
    assessment = Assessment.objects.get()
    assert (assessment.unit, assessment.year, assessment.status) == (frame.hang_kia, 2024, Status.VERIFIED)
    assert assessment.verified_met_count == 14


def test_a_reused_code_after_the_reform_is_the_new_unit(frame):
    data_import(kind="assessments", name="a.csv",
                data=csv_bytes([assessment_row(frame.pa_co, 2026, "self", met=11)]))
    assessment = Assessment.objects.get()
    assert (assessment.unit, assessment.year, assessment.status) == (frame.pa_co, 2026, Status.SUBMITTED)
    assert assessment.self_met_count == 11


def test_both_years_of_one_code_in_one_file(frame):
    data = csv_bytes([assessment_row(frame.hang_kia, 2024), assessment_row(frame.pa_co, 2026, "self")])
    plan = data_import(kind="assessments", name="a.csv", data=data)
    assert plan.totals()["created"] == 2
    assert set(Assessment.objects.values_list("unit__name", "year")) == {("Xã Hang Kia", 2024), ("Xã Pà Cò", 2026)}


def test_an_ended_code_after_the_reform_names_its_successor_and_nothing_is_written(frame):
    before = Assessment.objects.count()
    data = csv_bytes([assessment_row(frame.pa_co, 2026, "self"), assessment_row(frame.tan_son, 2026, "self")])
    lines = problems_of("assessments", data)
    assert lines == ["row 3, column commune_code: mã 05215 là Xã Tân Sơn, đã hết hiệu lực từ ngày 30/06/2025; "
                     "đơn vị kế thừa: Xã Pà Cò (mã 05212)."]
    assert Assessment.objects.count() == before


def test_the_ended_code_is_still_good_for_its_own_years(frame):
    data_import(kind="assessments", name="a.csv", data=csv_bytes([assessment_row(frame.tan_son, 2024, "self")]))
    assert Assessment.objects.get().unit == frame.tan_son
