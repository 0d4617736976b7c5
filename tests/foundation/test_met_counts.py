"""verified_met_count and self_met_count are kept by the services, whatever path writes results."""

import pytest

from assessments import services
from assessments.models import Result, Status
from tests.conftest import record
from tests.factories import administrator, officer, reviewer


@pytest.fixture
def people(unit, criteria_set):
    return officer(unit), reviewer(unit.district), administrator()


def answers(assessment, met_numbers, field="self_result"):
    return {
        r.criterion_id: {field: Result.MET if r.criterion.number in met_numbers else Result.NOT_MET}
        for r in assessment.results.select_related("criterion")
    }


def test_counts_follow_the_workflow(unit, people):
    commune, district, admin = people
    assessment = services.assessment_get_or_create(unit=unit, year=2025, actor=commune)
    assert (assessment.self_met_count, assessment.verified_met_count) == (0, None)

    services.assessment_save_self(assessment=assessment, actor=commune, version=assessment.version,
                                  values=answers(assessment, range(1, 15)))
    assessment.refresh_from_db()
    assert (assessment.self_met_count, assessment.verified_met_count) == (14, None)

    assessment = services.assessment_submit(assessment=assessment, actor=commune, version=assessment.version)
    # The district corrects two criteria to "not met".
    services.assessment_save_review(assessment=assessment, actor=district, version=assessment.version,
                                    values=answers(assessment, range(1, 13), "verified_result"))
    assessment.refresh_from_db()
    assert assessment.verified_met_count is None  # not official until verified
    services.assessment_verify(assessment=assessment, actor=district, version=assessment.version)
    assessment.refresh_from_db()
    assert (assessment.status, assessment.self_met_count, assessment.verified_met_count) == (
        Status.VERIFIED, 14, 12)

    services.assessment_reopen(assessment=assessment, actor=admin, reason="Sai sót số liệu")
    assessment.refresh_from_db()
    assert (assessment.status, assessment.verified_met_count) == (Status.SUBMITTED, None)


def test_recorded_results_set_both_counts(unit, criteria_set):
    assessment = record(unit, 2024, 9)
    assert (assessment.status, assessment.self_met_count, assessment.verified_met_count) == (Status.VERIFIED, 9, 9)
    submitted = record(unit, 2025, 11, stage="self")
    assert (submitted.status, submitted.self_met_count, submitted.verified_met_count) == (Status.SUBMITTED, 11, None)


def test_verify_without_review_confirms_the_self_assessment(unit, people):
    commune, district, _admin = people
    assessment = services.assessment_get_or_create(unit=unit, year=2025, actor=commune)
    services.assessment_save_self(assessment=assessment, actor=commune, version=assessment.version,
                                  values=answers(assessment, range(1, 11)))
    assessment.refresh_from_db()
    services.assessment_submit(assessment=assessment, actor=commune, version=assessment.version)
    assessment.refresh_from_db()
    services.assessment_verify(assessment=assessment, actor=district, version=assessment.version)
    assessment.refresh_from_db()
    assert assessment.verified_met_count == 10
