import datetime

import pytest
from django.db import IntegrityError, transaction

from accounts.models import Role, User
from assessments.models import Assessment, Criterion, Level, Recognition, Registration
from communes.models import UnitSuccession
from tests.factories import CriteriaSetFactory, RecognitionFactory, UnitFactory


@pytest.fixture
def setup(db):
    return CriteriaSetFactory(), UnitFactory()


def refused(fn):
    with pytest.raises(IntegrityError), transaction.atomic():
        fn()


def test_one_assessment_per_unit_set_and_year(setup):
    criteria_set, unit = setup
    Assessment.objects.create(unit=unit, criteria_set=criteria_set, year=2024)
    refused(lambda: Assessment.objects.create(unit=unit, criteria_set=criteria_set, year=2024))
    Assessment.objects.create(unit=unit, criteria_set=criteria_set, year=2025)


@pytest.mark.parametrize("year", [1999, 2101])
def test_assessment_year_must_be_sane(setup, year):
    criteria_set, unit = setup
    refused(lambda: Assessment.objects.create(unit=unit, criteria_set=criteria_set, year=year))


def test_verified_assessment_must_carry_its_met_count(setup):
    criteria_set, unit = setup
    refused(lambda: Assessment.objects.create(unit=unit, criteria_set=criteria_set, year=2024, status="verified"))


def test_criterion_numbers_unique_within_a_set(setup):
    criteria_set, _unit = setup
    refused(lambda: Criterion.objects.create(criteria_set=criteria_set, number=3, title="x", wording="x"))
    Criterion.objects.create(criteria_set=CriteriaSetFactory(criteria=0), number=3, title="x", wording="x")


def test_registration_unique_per_unit_and_year(setup):
    criteria_set, unit = setup
    programme = criteria_set.programme
    Registration.objects.create(programme=programme, unit=unit, year=2022)
    refused(lambda: Registration.objects.create(programme=programme, unit=unit, year=2022))


def test_recognition_cannot_be_revoked_before_it_was_decided(setup):
    _set, unit = setup
    recognition = RecognitionFactory(unit=unit, level=Level.COMMUNE)
    recognition.revoked_on = recognition.decision_date.replace(year=recognition.decision_date.year - 1)
    refused(recognition.save)
    Recognition.objects.filter(pk=recognition.pk).update(revoked_on=recognition.decision_date)


def test_user_scope_must_match_role(setup):
    _set, unit = setup
    refused(lambda: User.objects.create(username="a", role=Role.COMMUNE_OFFICER))
    refused(lambda: User.objects.create(username="b", role=Role.PROVINCE_VIEWER, unit=unit))
    refused(lambda: User.objects.create(username="c", role=Role.DISTRICT_REVIEWER, unit=unit))
    User.objects.create(username="d", role=Role.COMMUNE_OFFICER, unit=unit)


def test_unit_cannot_succeed_itself(setup):
    _set, unit = setup
    refused(lambda: UnitSuccession.objects.create(predecessor=unit, successor=unit, effective_on=datetime.date(2025, 7, 1)))


def test_a_code_names_one_unit_in_force(setup):
    """GSO reuses codes: two units may share one only if their lives do not both run today."""
    _set, unit = setup
    refused(lambda: UnitFactory(code=unit.code))
    unit.valid_to = datetime.date(2025, 6, 30)
    unit.save()
    UnitFactory(code=unit.code, valid_from=datetime.date(2025, 7, 1))  # the reuse of 1/7/2025 is allowed


def test_a_unit_has_one_primary_successor(setup):
    _set, unit = setup
    a, b = UnitFactory(), UnitFactory()
    day = datetime.date(2025, 7, 1)
    UnitSuccession.objects.create(predecessor=unit, successor=a, effective_on=day, whole=False, primary=True)
    refused(lambda: UnitSuccession.objects.create(predecessor=unit, successor=b, effective_on=day, whole=False,
                                                  primary=True))
