"""The API's writes go through the services the pages use: the same rules, the same version check, the
same codes (400 bad input or a broken rule, 403 role, 404 scope, 409 stale), and a refusal changes nothing."""

from __future__ import annotations

import datetime

import pytest

from api import services as api_services
from assessments import services
from assessments.models import Assessment, Level, Recognition, Result, Status
from tests import factories
from tests.api.conftest import bearer
from tests.conftest import record

pytestmark = pytest.mark.django_db


def token(user) -> dict:
    return bearer(api_services.api_token_create(user=user, name="t", can_write=True)[1])


def post(client, url, data, user, **extra):
    return client.post(url, data, content_type="application/json", **token(user), **extra)


@pytest.fixture
def draft(criteria_set, unit, officer_user):
    return services.assessment_get_or_create(unit=unit, year=2025, actor=officer_user)


def first_criterion(assessment) -> int:
    return assessment.results.order_by("criterion__number").first().criterion_id


def test_the_officer_saves_a_criterion(client, draft, officer_user):
    criterion = first_criterion(draft)
    response = post(client, f"/api/v1/assessments/{draft.pk}/results/",
                    {"version": draft.version, "criterion": criterion, "self_result": "met", "note": "  Có biên bản  "},
                    officer_user)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["version"] == draft.version + 1 and body["answered"] == 1 and body["total"] == 16
    assert body["saved"] == {"criterion": criterion, "number": 1, "self_result": "met", "note": "Có biên bản"}
    saved = draft.results.get(criterion_id=criterion)
    assert (saved.self_result, saved.note) == (Result.MET, "Có biên bản")


def test_a_stale_write_answers_409_with_the_saved_value_and_changes_nothing(client, draft, officer_user):
    criterion = first_criterion(draft)
    services.assessment_save_criterion(assessment=draft, actor=officer_user, version=1, criterion_id=criterion,
                                       self_result=Result.NOT_MET, note="Bản của máy khác")
    draft.refresh_from_db()
    before = (draft.version, list(draft.results.values_list("criterion_id", "self_result", "note")))
    response = post(client, f"/api/v1/assessments/{draft.pk}/results/",
                    {"version": 1, "criterion": criterion, "self_result": "met", "note": "Bản cũ"}, officer_user)
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "conflict" and body["version"] == 2
    assert body["server"] == {"criterion": criterion, "number": 1, "self_result": "not_met", "note": "Bản của máy khác"}
    assert body["yours"] == {"self_result": "met", "note": "Bản cũ"}
    draft.refresh_from_db()
    assert (draft.version, list(draft.results.values_list("criterion_id", "self_result", "note"))) == before


def test_a_criterion_of_another_set_is_bad_input(client, draft, officer_user):
    response = post(client, f"/api/v1/assessments/{draft.pk}/results/",
                    {"version": 1, "criterion": 999999, "self_result": "met"}, officer_user)
    assert response.status_code == 400 and response.json()["code"] == "rule"
    draft.refresh_from_db()
    assert draft.version == 1


@pytest.mark.parametrize("data,field", [
    ({"criterion": 1, "self_result": "met"}, "version"),
    ({"version": "1", "criterion": 1, "self_result": "met"}, "version"),
    ({"version": 1.5, "criterion": 1, "self_result": "met"}, "version"),
    ({"version": True, "criterion": 1, "self_result": "met"}, "version"),
    ({"version": 1, "criterion": 1, "self_result": "đạt"}, "self_result"),
    ({"version": 1, "criterion": 1, "self_result": "met", "note": 5}, "note"),
    ({"version": 1, "criterion": 1, "self_result": "met", "note": "x" * 5001}, "note"),
])
def test_invalid_bodies_are_400_with_the_field(client, draft, officer_user, data, field):
    response = post(client, f"/api/v1/assessments/{draft.pk}/results/", data, officer_user)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid" and field in response.json()["errors"]
    draft.refresh_from_db()
    assert draft.version == 1


def test_a_body_that_is_not_json_is_400(client, draft, officer_user):
    response = client.post(f"/api/v1/assessments/{draft.pk}/results/", "{nope", content_type="application/json",
                           **token(officer_user))
    assert response.status_code == 400 and response.json()["code"] == "parse_error"


def answer_all(assessment, actor, result=Result.MET):
    values = {r.criterion_id: {"self_result": result, "note": ""} for r in assessment.results.all()}
    return services.assessment_save_self(assessment=assessment, actor=actor, version=assessment.version,
                                         values=values)


def test_submit_needs_every_criterion_then_the_reviewer_returns_and_verifies(client, draft, officer_user,
                                                                             reviewer_user):
    url = f"/api/v1/assessments/{draft.pk}"
    response = post(client, f"{url}/submit/", {"version": 1}, officer_user)
    assert response.status_code == 400 and "Chưa đánh giá các tiêu chí: 1, 2" in response.json()["detail"]
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT and draft.version == 1

    answer_all(draft, officer_user)
    draft.refresh_from_db()
    response = post(client, f"{url}/submit/", {"version": draft.version}, officer_user)
    assert response.status_code == 200 and response.json()["status"] == "submitted"

    version = response.json()["version"]
    assert post(client, f"{url}/return/", {"version": version}, reviewer_user).status_code == 400
    assert post(client, f"{url}/return/", {"version": version, "reason": "   "}, reviewer_user).status_code == 400
    assert post(client, f"{url}/return/", {"version": version, "reason": "x"}, officer_user).status_code == 403
    draft.refresh_from_db()
    assert draft.status == Status.SUBMITTED
    response = post(client, f"{url}/return/", {"version": version, "reason": "Thiếu biên bản họp"}, reviewer_user)
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "returned" and body["return_reason"] == "Thiếu biên bản họp"
    assert [(t["from_status"], t["to_status"], t["reason"]) for t in body["transitions"]] == [
        (None, "draft", ""), ("draft", "submitted", ""), ("submitted", "returned", "Thiếu biên bản họp")]

    response = post(client, f"{url}/submit/", {"version": body["version"]}, officer_user)
    response = post(client, f"{url}/verify/", {"version": response.json()["version"]}, reviewer_user)
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "verified" and body["verified_met_count"] == 16 and body["verified_by"]
    assert {r["verified_result"] for r in body["results"]} == {"met"}


def test_a_stale_workflow_step_is_409_and_changes_nothing(client, draft, officer_user):
    answer_all(draft, officer_user)
    response = post(client, f"/api/v1/assessments/{draft.pk}/submit/", {"version": 1}, officer_user)
    assert response.status_code == 409 and response.json()["code"] == "conflict"
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_a_reviewer_of_another_district_does_not_find_it(client, draft, officer_user, other_district):
    answer_all(draft, officer_user)
    draft.refresh_from_db()
    services.assessment_submit(assessment=draft, actor=officer_user, version=draft.version)
    draft.refresh_from_db()
    stranger = factories.reviewer(other_district)
    response = post(client, f"/api/v1/assessments/{draft.pk}/verify/", {"version": draft.version}, stranger)
    assert response.status_code == 404
    draft.refresh_from_db()
    assert draft.status == Status.SUBMITTED


def test_the_officer_starts_the_years_assessment_once(client, criteria_set, unit, officer_user):
    first = post(client, "/api/v1/assessments/", {"year": 2025}, officer_user)
    second = post(client, "/api/v1/assessments/", {"year": 2025}, officer_user)
    assert first.status_code == second.status_code == 200
    assert first.json()["id"] == second.json()["id"] and first.json()["status"] == "draft"
    assert Assessment.objects.filter(unit=unit, year=2025).count() == 1


def test_errors_follow_accept_language(client, criteria_set, unit, officer_user):
    verified = record(unit, 2024, 16)
    url = f"/api/v1/assessments/{verified.pk}/submit/"
    vi = post(client, url, {"version": verified.version}, officer_user)
    en = post(client, url, {"version": verified.version}, officer_user, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert vi.status_code == en.status_code == 400
    assert vi.json()["detail"] == "Chỉ gửi được đánh giá đang soạn hoặc bị trả lại." and vi["Content-Language"] == "vi"
    assert en.json()["detail"] == "Only a draft or returned assessment can be submitted."
    assert en["Content-Language"] == "en" and "Accept-Language" in en["Vary"]
    fr = post(client, url, {"version": verified.version}, officer_user, HTTP_ACCEPT_LANGUAGE="fr")
    assert fr["Content-Language"] == "vi"


def test_recognitions_are_recorded_and_revoked_by_the_rules(client, criteria_set, unit, other_unit, reviewer_user):
    record(unit, 2024, 16)
    record(other_unit, 2024, 16)
    data = {"unit": unit.pk, "level": "commune", "decision_number": "12/QĐ-UBND", "decision_date": "2025-03-01",
            "issued_by": "UBND huyện"}
    response = post(client, "/api/v1/recognitions/", data, reviewer_user)
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["level"], body["unit"]["id"], body["revoked_on"]) == ("commune", unit.pk, None)
    recognition = Recognition.objects.get(pk=body["id"])
    assert recognition.recorded_by == reviewer_user

    again = post(client, "/api/v1/recognitions/", data, reviewer_user)
    assert again.status_code == 400 and again.json()["code"] == "rule"
    district = post(client, "/api/v1/recognitions/", {**data, "level": "district", "decision_number": "2"},
                    reviewer_user)
    assert district.status_code == 403
    outside = post(client, "/api/v1/recognitions/", {**data, "unit": other_unit.pk, "decision_number": "3"},
                   reviewer_user)
    assert outside.status_code == 400 and "unit" in outside.json()["errors"]
    assert Recognition.objects.count() == 1

    url = f"/api/v1/recognitions/{recognition.pk}/revoke/"
    assert post(client, url, {"revoked_on": "2025-06-01"}, reviewer_user).status_code == 400
    response = post(client, url, {"revoked_on": "2025-06-01", "reason": "Vi phạm"}, reviewer_user)
    assert response.status_code == 200 and response.json()["revoked_on"] == "2025-06-01"
    twice = post(client, url, {"revoked_on": "2025-06-02", "reason": "Lần nữa"}, reviewer_user)
    assert twice.status_code == 400
    recognition.refresh_from_db()
    assert recognition.revoked_on == datetime.date(2025, 6, 1) and recognition.revoke_reason == "Vi phạm"


def test_a_broken_recognition_rule_is_told(client, criteria_set, unit, reviewer_user):
    record(unit, 2024, 10)
    response = post(client, "/api/v1/recognitions/", {
        "unit": unit.pk, "level": "commune", "decision_number": "1", "decision_date": "2025-03-01",
        "issued_by": "UBND huyện"}, reviewer_user)
    assert response.status_code == 400 and "chưa có đánh giá đã thẩm định đạt 16/16" in response.json()["detail"]
    assert not Recognition.objects.filter(level=Level.COMMUNE).exists()
