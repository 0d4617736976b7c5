"""A reason longer than 100 characters (the forms take 5000) is kept whole where people read it, and the
history's change reason — a 100-character column — gets a shortened copy. On PostgreSQL the whole text
there was a 500 ("value too long for type character varying(100)"), found by the API fuzzer."""

import datetime

import pytest

from assessments import services
from assessments.models import Assessment, Level, Recognition, Transition

pytestmark = pytest.mark.django_db
REASON = "Thiếu minh chứng " + "x" * 300


def test_a_long_return_reason(submitted, reviewer_user):
    services.assessment_return(assessment=submitted, actor=reviewer_user, reason=REASON, version=submitted.version)
    assert Transition.objects.get(assessment=submitted, to_status="returned").reason == REASON
    assert Assessment.objects.get(pk=submitted.pk).return_reason == REASON
    recorded = submitted.history.order_by("-history_id").first().history_change_reason
    assert len(recorded) <= 100 and recorded.startswith("Thiếu minh chứng xxx") and recorded.endswith("…")


def test_a_long_revoke_reason(verified, admin_user):
    recognition = services.recognition_create(
        unit=verified.unit, level=Level.COMMUNE, decision_number="1/QĐ", decision_date=datetime.date(2025, 12, 1),
        issued_by="UBND huyện", actor=admin_user)
    services.recognition_revoke(recognition=recognition, actor=admin_user, revoked_on=datetime.date(2025, 12, 2),
                                reason=REASON)
    assert Recognition.objects.get(pk=recognition.pk).revoke_reason == REASON
    assert len(recognition.history.order_by("-history_id").first().history_change_reason) <= 100
