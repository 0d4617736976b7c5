import pytest

from assessments import services
from assessments.models import Result


def all_values(assessment, result=Result.MET, note=""):
    return {r.criterion_id: {"self_result": result, "note": note} for r in assessment.results.all()}


@pytest.fixture
def draft(criteria_set, unit, officer_user):
    return services.assessment_get_or_create(unit=unit, year=2025, actor=officer_user)


@pytest.fixture
def submitted(draft, officer_user):
    services.assessment_save_self(assessment=draft, actor=officer_user, version=draft.version,
                                  values=all_values(draft))
    draft.refresh_from_db()
    return services.assessment_submit(assessment=draft, actor=officer_user, version=draft.version)


@pytest.fixture
def verified(submitted, reviewer_user):
    return services.assessment_verify(assessment=submitted, actor=reviewer_user, version=submitted.version)
