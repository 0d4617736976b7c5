"""The workflow's table (assessments/services/transitions.py) is the single source of the allowed steps: every
(status, action) pair outside it is refused by the service itself with the action's message and changes
nothing; every pair in it moves the assessment to the row's status."""

import pytest
from simple_history.utils import get_history_model_for_model

from assessments import services
from assessments.models import Assessment, CriterionResult, Status, Transition
from assessments.services.transitions import STEPS
from notifications.models import Notification
from tests.assessments.conftest import all_values

REASON = "Lý do ghi trong biểu mẫu"

# The public services the pages, the API and the import call — one per action of the table.
SERVICES = {
    "submit": lambda a, actor: services.assessment_submit(assessment=a, actor=actor, version=a.version),
    "return": lambda a, actor: services.assessment_return(assessment=a, actor=actor, reason=REASON, version=a.version),
    "verify": lambda a, actor: services.assessment_verify(assessment=a, actor=actor, version=a.version),
    "reopen": lambda a, actor: services.assessment_reopen(assessment=a, actor=actor, reason=REASON, version=a.version),
    "recall": lambda a, actor: services.assessment_recall(assessment=a, actor=actor, reason=REASON, version=a.version),
}
ALLOWED = sorted((status, action) for action, step in STEPS.items() for status in step.sources)
REFUSED = sorted((status, action) for action in STEPS for status in Status.values if status not in STEPS[action].sources)


def test_the_table_is_the_documented_workflow():
    """draft → submitted → (returned → submitted)* → verified; recall submitted → draft; reopen verified →
    submitted. Written out here so that a changed row of the table fails (and so does its complement)."""
    assert set(SERVICES) == set(STEPS)
    assert {(status, action, STEPS[action].target) for status, action in ALLOWED} == {
        ("draft", "submit", "submitted"), ("returned", "submit", "submitted"),
        ("submitted", "return", "returned"), ("submitted", "verify", "verified"),
        ("submitted", "recall", "draft"), ("verified", "reopen", "submitted"),
    }
    assert {action: STEPS[action].capability for action in STEPS} == {
        "submit": "assessment.edit", "recall": "assessment.edit", "return": "assessment.review",
        "verify": "assessment.review", "reopen": "assessment.reopen"}
    assert ("returned", "verify") in REFUSED


@pytest.fixture
def in_status(criteria_set, unit, officer_user, reviewer_user):
    """An assessment brought to `status` by the services, every criterion answered (so that only the status
    can be the reason of a refusal)."""

    def make(status: str) -> Assessment:
        a = services.assessment_get_or_create(unit=unit, year=2025, actor=officer_user)
        a = services.assessment_save_self(assessment=a, actor=officer_user, version=a.version, values=all_values(a))
        if status != Status.DRAFT:
            a = services.assessment_submit(assessment=a, actor=officer_user, version=a.version)
        if status == Status.RETURNED:
            a = services.assessment_return(assessment=a, actor=reviewer_user, reason="Thiếu minh chứng",
                                           version=a.version)
        if status == Status.VERIFIED:
            a = services.assessment_verify(assessment=a, actor=reviewer_user, version=a.version)
        assert a.status == status
        return Assessment.objects.get(pk=a.pk)

    return make


@pytest.fixture
def actor_for(officer_user, reviewer_user, admin_user):
    """Someone who holds the step's capability, in the unit's scope: only the status can refuse."""
    by_capability = {"assessment.edit": officer_user, "assessment.review": reviewer_user,
                     "assessment.reopen": admin_user}
    return lambda action: by_capability[STEPS[action].capability]


def _snapshot(a: Assessment):
    row = {f.attname: getattr(Assessment.objects.get(pk=a.pk), f.attname) for f in Assessment._meta.concrete_fields}
    results = list(CriterionResult.objects.filter(assessment=a).order_by("pk").values())
    return (row, results, Transition.objects.filter(assessment=a).count(),
            get_history_model_for_model(Assessment).objects.filter(id=a.pk).count(),
            get_history_model_for_model(CriterionResult).objects.filter(assessment_id=a.pk).count(),
            Notification.objects.count())


@pytest.mark.parametrize(("status", "action"), REFUSED, ids=[f"{a}-from-{s}" for s, a in REFUSED])
def test_a_step_outside_the_table_is_refused_and_changes_nothing(in_status, actor_for, status, action):
    """Verifying a returned assessment among them: the service refuses it, not only the page."""
    a = in_status(status)
    before = _snapshot(a)
    with pytest.raises(services.DomainError) as refused:
        SERVICES[action](a, actor_for(action))
    assert str(refused.value) == str(STEPS[action].refused)
    assert _snapshot(a) == before


@pytest.mark.parametrize(("status", "action"), ALLOWED, ids=[f"{a}-from-{s}" for s, a in ALLOWED])
def test_a_step_in_the_table_moves_to_its_status_and_records_it(in_status, actor_for, status, action):
    a = in_status(status)
    actor = actor_for(action)
    moved = SERVICES[action](a, actor)
    moved.refresh_from_db()
    assert moved.status == STEPS[action].target
    assert moved.version == a.version + 1
    step = Transition.objects.filter(assessment=a).order_by("pk").last()
    assert (step.from_status, step.to_status, step.actor) == (status, STEPS[action].target, actor)
    assert step.reason == (REASON if STEPS[action].reason_missing is not None else "")
