"""Workflow, optimistic locking, evidence files, recognition rules and scope — all enforced by services."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from assessments import services
from assessments.models import (
    Assessment,
    CriterionResult,
    Evidence,
    FrameFact,
    Level,
    Recognition,
    Registration,
    Result,
    Status,
)
from communes.models import UnitSuccession
from notifications.models import Notification
from reports.progress import progress_report
from tests import factories
from tests.assessments import files
from tests.assessments.conftest import all_values
from tests.conftest import record

D = datetime.date
JUNE_FIRST = datetime.date(2025, 6, 1)


# ---------------------------------------------------------------- creation and scope


def test_officer_opens_the_year_once(criteria_set, unit, officer_user):
    first = services.assessment_get_or_create(unit=unit, year=2025, actor=officer_user)
    again = services.assessment_get_or_create(unit=unit, year=2025, actor=officer_user)
    assert first.pk == again.pk
    assert first.status == Status.DRAFT and first.results.count() == 16
    assert first.transitions.get().to_status == Status.DRAFT


def test_officer_cannot_open_another_units_assessment(criteria_set, other_unit, officer_user):
    with pytest.raises(services.DomainError):
        services.assessment_get_or_create(unit=other_unit, year=2025, actor=officer_user)
    assert not Assessment.objects.exists()


def test_reviewer_does_not_start_assessments(criteria_set, unit, reviewer_user):
    with pytest.raises(PermissionDenied):
        services.assessment_get_or_create(unit=unit, year=2025, actor=reviewer_user)


@pytest.mark.parametrize("year", [2014, 2020, 2200])
def test_year_outside_range_is_refused(criteria_set, unit, officer_user, year):
    with pytest.raises(services.DomainError, match="ngoài khoảng"):
        services.assessment_get_or_create(unit=unit, year=year, actor=officer_user)


def test_ward_is_not_in_the_programme(criteria_set, district):
    ward = factories.UnitFactory(district=district, kind="phuong")
    with pytest.raises(services.DomainError, match="không thuộc đối tượng"):
        services.assessment_get_or_create(unit=ward, year=2025, actor=factories.officer(ward))


# ---------------------------------------------------------------- workflow: legal steps


def test_full_workflow_records_every_step(draft, officer_user, reviewer_user, admin_user):
    a = services.assessment_save_self(assessment=draft, actor=officer_user, version=draft.version,
                                      values=all_values(draft))
    assert a.self_met_count == 16
    a = services.assessment_submit(assessment=a, actor=officer_user, version=a.version)
    a = services.assessment_return(assessment=a, actor=reviewer_user, reason="Thiếu minh chứng", version=a.version)
    assert a.status == Status.RETURNED and a.return_reason == "Thiếu minh chứng"
    a = services.assessment_save_self(assessment=a, actor=officer_user, version=a.version,
                                      values=all_values(a, note="Đã bổ sung"))
    a = services.assessment_submit(assessment=a, actor=officer_user, version=a.version)
    a = services.assessment_verify(assessment=a, actor=reviewer_user, version=a.version)
    assert a.status == Status.VERIFIED and a.verified_met_count == 16 and a.verified_by == reviewer_user
    assert a.return_reason == ""
    a = services.assessment_reopen(assessment=a, actor=admin_user, reason="Sai sót số liệu", version=a.version)
    assert a.status == Status.SUBMITTED and a.verified_met_count is None
    steps = [(t.from_status, t.to_status, t.actor, t.reason) for t in a.transitions.order_by("at", "pk")]
    assert steps == [
        ("", "draft", officer_user, ""),
        ("draft", "submitted", officer_user, ""),
        ("submitted", "returned", reviewer_user, "Thiếu minh chứng"),
        ("returned", "submitted", officer_user, ""),
        ("submitted", "verified", reviewer_user, ""),
        ("verified", "submitted", admin_user, "Sai sót số liệu"),
    ]


def test_verify_confirms_untouched_and_keeps_corrections(submitted, reviewer_user):
    corrected = submitted.results.get(criterion__number=3)
    submitted = services.assessment_save_review(
        assessment=submitted, actor=reviewer_user, version=submitted.version,
        values={corrected.criterion_id: {"verified_result": Result.NOT_MET, "reviewer_comment": "Chưa có camera"}},
    )
    a = services.assessment_verify(assessment=submitted, actor=reviewer_user, version=submitted.version)
    assert a.verified_met_count == 15
    corrected.refresh_from_db()
    assert (corrected.verified_result, corrected.reviewer_comment) == (Result.NOT_MET, "Chưa có camera")


def test_history_records_who_changed_a_result(draft, officer_user):
    result = draft.results.get(criterion__number=1)
    services.assessment_save_self(assessment=draft, actor=officer_user, version=draft.version,
                                  values={result.criterion_id: {"self_result": Result.MET, "note": "x"}})
    last = result.history.first()
    assert last.history_user == officer_user and last.self_result == Result.MET


# ---------------------------------------------------------------- workflow: illegal steps


def test_submit_needs_every_criterion(draft, officer_user):
    values = all_values(draft)
    values.pop(next(iter(values)))
    a = services.assessment_save_self(assessment=draft, actor=officer_user, version=draft.version, values=values)
    with pytest.raises(services.DomainError, match="Chưa đánh giá các tiêu chí: 1"):
        services.assessment_submit(assessment=a, actor=officer_user, version=a.version)
    a.refresh_from_db()
    assert a.status == Status.DRAFT


@pytest.mark.parametrize("state", ["submitted", "verified"])
def test_officer_cannot_edit_or_resubmit_after_submitting(request, state, officer_user):
    a = request.getfixturevalue(state)
    with pytest.raises(services.DomainError):
        services.assessment_save_self(assessment=a, actor=officer_user, version=a.version,
                                      values=all_values(a, Result.NOT_MET))
    with pytest.raises(services.DomainError):
        services.assessment_submit(assessment=a, actor=officer_user, version=a.version)
    assert not CriterionResult.objects.filter(self_result=Result.NOT_MET).exists()


@pytest.mark.parametrize("state", ["draft", "verified"])
def test_reviewer_cannot_review_return_or_verify_unless_submitted(request, state, reviewer_user):
    a = request.getfixturevalue(state)
    before = (a.status, a.version)
    with pytest.raises(services.DomainError):
        services.assessment_save_review(assessment=a, actor=reviewer_user, version=a.version, values={})
    with pytest.raises(services.DomainError):
        services.assessment_return(assessment=a, actor=reviewer_user, reason="x", version=a.version)
    with pytest.raises(services.DomainError):
        services.assessment_verify(assessment=a, actor=reviewer_user, version=a.version)
    a.refresh_from_db()
    assert (a.status, a.version) == before


def _reform_year_assessment(criteria_set, status):
    """A 2025 assessment of M, the unit (of the successor province, without a district) holding since 1/7/2025
    the place of a frame unit that ended on 30/6/2025, brought to `status` (draft or returned) by the services."""
    old = factories.UnitFactory(valid_to=D(2025, 6, 30), name="Xã cũ")
    successor_province = factories.ProvinceFactory(code=25, name="Tỉnh kế thừa")
    m = factories.UnitFactory(district=None, province=successor_province, valid_from=D(2025, 7, 1), name="Xã M")
    UnitSuccession.objects.create(predecessor=old, successor=m, effective_on=D(2025, 7, 1))
    officer, reviewer = factories.officer(m), factories.province_reviewer(successor_province)
    a = services.assessment_get_or_create(unit=m, year=2025, actor=officer)
    if status == Status.RETURNED:
        a = services.assessment_save_self(assessment=a, actor=officer, version=a.version, values=all_values(a))
        a = services.assessment_submit(assessment=a, actor=officer, version=a.version)
        a = services.assessment_return(assessment=a, actor=reviewer, reason="Thiếu minh chứng", version=a.version)
    a.refresh_from_db()
    assert a.status == status
    return a, reviewer


def _everything_about(a):
    a.refresh_from_db()
    return (
        (a.status, a.version, a.verified_at, a.verified_by_id, a.verified_met_count, a.return_reason),
        list(a.results.order_by("criterion__number").values_list("self_result", "verified_result")),
        list(a.transitions.order_by("pk").values_list("from_status", "to_status")),
        list(FrameFact.objects.filter(holder=a.unit).order_by("day", "unit_id").values_list("status", "band")),
        Notification.objects.count(),
    )


@pytest.mark.parametrize("status", [Status.RETURNED, Status.DRAFT])
def test_verify_refuses_an_assessment_not_with_the_reviewer(criteria_set, status):
    """The service itself refuses (the page's earlier check is not the only guard): a returned assessment is
    back with the officer and a draft was never sent; verifying either changes nothing, stored figures included."""
    a, reviewer = _reform_year_assessment(criteria_set, status)
    progress_report(year=2025)  # the stored figures of 31/12/2025 exist before the attempt
    before = _everything_about(a)
    assert before[3], "the holder's stored facts were read"
    with pytest.raises(services.DomainError, match="Chỉ xác nhận thẩm định được đánh giá đã gửi lên"):
        services.assessment_verify(assessment=a, actor=reviewer, version=a.version)
    with pytest.raises(services.DomainError, match="Chỉ xác nhận thẩm định được đánh giá đã gửi lên"):
        services.assessment_verify(assessment=a, actor=reviewer)
    assert _everything_about(a) == before
    assert progress_report(year=2025)["bands"]["not_assessed"] == 1


def test_return_needs_a_reason(submitted, reviewer_user):
    with pytest.raises(services.DomainError, match="lý do trả lại"):
        services.assessment_return(assessment=submitted, actor=reviewer_user, reason="  ", version=submitted.version)
    with pytest.raises(services.DomainError, match="lý do trả lại"):
        services.assessment_review_update(assessment=submitted, actor=reviewer_user, version=submitted.version,
                                          values={}, decision="return", reason="")
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED


def test_review_result_must_be_met_or_not_met(submitted, reviewer_user):
    r = submitted.results.first()
    with pytest.raises(services.DomainError):
        services.assessment_save_review(assessment=submitted, actor=reviewer_user, version=submitted.version,
                                        values={r.criterion_id: {"verified_result": Result.NOT_YET}})


def test_unknown_result_value_and_foreign_criterion_change_nothing(draft, officer_user):
    r = draft.results.first()
    with pytest.raises(services.DomainError):
        services.assessment_save_self(assessment=draft, actor=officer_user, version=draft.version,
                                      values={r.criterion_id: {"self_result": "hacked"}})
    foreign = factories.CriteriaSetFactory().criteria.first()
    with pytest.raises(services.DomainError, match="không thuộc bộ tiêu chí"):
        services.assessment_save_self(assessment=draft, actor=officer_user, version=draft.version,
                                      values={foreign.pk: {"self_result": Result.MET}})
    draft.refresh_from_db()
    assert draft.version == 1 and not draft.results.filter(self_result=Result.MET).exists()


def test_roles_are_checked_by_the_services(submitted, draft, officer_user, reviewer_user, province_user):
    with pytest.raises(PermissionDenied):
        services.assessment_verify(assessment=submitted, actor=officer_user)
    with pytest.raises(PermissionDenied):
        services.assessment_return(assessment=submitted, actor=province_user, reason="x")
    with pytest.raises(PermissionDenied):
        services.assessment_save_self(assessment=submitted, actor=reviewer_user, version=1, values={})
    with pytest.raises(PermissionDenied):
        services.assessment_reopen(assessment=submitted, actor=reviewer_user, reason="x")


def test_reviewer_of_another_district_is_refused(submitted, other_district):
    stranger = factories.reviewer(other_district)
    with pytest.raises(services.DomainError, match="không có quyền"):
        services.assessment_verify(assessment=submitted, actor=stranger)
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED


def test_officer_of_another_unit_is_refused(draft, other_unit):
    stranger = factories.officer(other_unit)
    with pytest.raises(services.DomainError, match="không có quyền"):
        services.assessment_save_self(assessment=draft, actor=stranger, version=draft.version, values={})


def test_reopen_only_verified_and_with_reason(submitted, verified, admin_user):
    with pytest.raises(services.DomainError, match="lý do mở lại"):
        services.assessment_reopen(assessment=verified, actor=admin_user, reason="")
    services.assessment_reopen(assessment=verified, actor=admin_user, reason="Sai sót")
    with pytest.raises(services.DomainError, match="Chỉ mở lại"):
        services.assessment_reopen(assessment=verified, actor=admin_user, reason="Lần hai")


# ---------------------------------------------------------------- optimistic locking


def test_two_stale_saves_the_second_is_refused_and_nothing_is_overwritten(draft, officer_user, unit):
    colleague = factories.officer(unit)
    page_version = draft.version  # both opened the page at this version
    first = draft.results.get(criterion__number=1)
    services.assessment_save_self(assessment=draft, actor=officer_user, version=page_version,
                                  values={first.criterion_id: {"self_result": Result.MET, "note": "của A"}})
    with pytest.raises(services.StaleAssessmentError, match="vừa được người khác thay đổi"):
        services.assessment_save_self(assessment=draft, actor=colleague, version=page_version,
                                      values={first.criterion_id: {"self_result": Result.NOT_MET, "note": "của B"}})
    first.refresh_from_db()
    assert (first.self_result, first.note) == (Result.MET, "của A")
    # A third save from the same stale page is still refused.
    with pytest.raises(services.StaleAssessmentError):
        services.assessment_submit(assessment=draft, actor=colleague, version=page_version)


def test_stale_review_is_refused(submitted, reviewer_user, district):
    other = factories.reviewer(district)
    page_version = submitted.version
    services.assessment_save_review(assessment=submitted, actor=reviewer_user, version=page_version, values={})
    with pytest.raises(services.StaleAssessmentError):
        services.assessment_review_update(assessment=submitted, actor=other, version=page_version, values={},
                                          decision="verify")
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED


# ---------------------------------------------------------------- evidence files


@pytest.mark.parametrize("name,content,expected", [
    ("bien-ban.pdf", files.PDF, "application/pdf"),
    ("anh.JPG", files.JPG, "image/jpeg"),
    ("anh.jpeg", files.JPG, "image/jpeg"),
    ("so-do.png", files.PNG, "image/png"),
    ("bao-cao.docx", files.DOCX, services.DOCX),
    ("so-lieu.xlsx", files.XLSX, services.XLSX),
])
def test_accepted_files(name, content, expected):
    assert services.upload_check(files.upload(name, content)) == (name, expected)


@pytest.mark.parametrize("name,content", [
    ("virus.pdf", b"MZ\x90\x00 not a pdf"),
    ("anh.png", files.JPG),
    ("bao-cao.docx", files.XLSX),
    ("bao-cao.docx", files.PLAIN_ZIP),
    ("bao-cao.docx", b"PK\x03\x04 broken zip"),
    ("script.exe", files.PDF),
    ("ghi-chu.txt", b"hello"),
    ("khong-duoi", files.PDF),
    ("rong.pdf", b""),
])
def test_refused_files(name, content):
    with pytest.raises(services.DomainError):
        services.upload_check(files.upload(name, content))


def test_size_limit(settings):
    settings.EVIDENCE_MAX_BYTES = 100
    services.upload_check(files.upload("nho.pdf", files.PDF + b"x" * (100 - len(files.PDF))))
    with pytest.raises(services.DomainError, match="quá lớn"):
        services.upload_check(files.upload("lon.pdf", files.PDF + b"x" * 100))


def test_evidence_add_and_delete(draft, officer_user):
    result = draft.results.first()
    ev = services.evidence_add(result=result, actor=officer_user, upload=files.upload("C:\\tmp\\biên bản.pdf", files.PDF))
    assert ev.original_name == "biên bản.pdf" and ev.content_type == "application/pdf" and ev.size == len(files.PDF)
    assert "biên" not in ev.file.name and ev.file.name.startswith("evidence/2025/")
    services.evidence_delete(evidence=ev, actor=officer_user)
    assert not Evidence.objects.exists()


def test_evidence_refused_when_locked_or_out_of_scope(submitted, officer_user, reviewer_user, other_unit):
    result = submitted.results.first()
    with pytest.raises(services.DomainError, match="không thể sửa"):
        services.evidence_add(result=result, actor=officer_user, upload=files.upload("a.pdf", files.PDF))
    with pytest.raises(PermissionDenied):
        services.evidence_add(result=result, actor=reviewer_user, upload=files.upload("a.pdf", files.PDF))
    with pytest.raises(services.DomainError, match="không có quyền"):
        services.evidence_add(result=result, actor=factories.officer(other_unit),
                              upload=files.upload("a.pdf", files.PDF))
    assert not Evidence.objects.exists()


def test_self_update_is_all_or_nothing(draft, officer_user):
    result = draft.results.first()
    with pytest.raises(services.DomainError):
        services.assessment_self_update(
            assessment=draft, actor=officer_user, version=draft.version, values=all_values(draft),
            evidence={result.criterion_id: [files.upload("ok.pdf", files.PDF), files.upload("bad.pdf", b"nope")]},
        )
    draft.refresh_from_db()
    assert draft.version == 1 and draft.self_met_count == 0 and not Evidence.objects.exists()
    a = services.assessment_self_update(assessment=draft, actor=officer_user, version=draft.version,
                                        values=all_values(draft), submit=True)
    assert a.status == Status.SUBMITTED


# ---------------------------------------------------------------- recognitions


def recognize(unit, actor, level=Level.COMMUNE, day=JUNE_FIRST, number=None, **kw):
    return services.recognition_create(unit=unit, level=level, decision_number=number or f"{level}-{day}/QĐ",
                                       decision_date=day, issued_by="UBND", actor=actor, **kw)


def test_commune_level_needs_a_verified_assessment_meeting_the_threshold(criteria_set, unit, reviewer_user):
    with pytest.raises(services.RecognitionRuleError) as error:
        recognize(unit, reviewer_user)
    assert f"{unit.name} chưa có đánh giá đã thẩm định đạt 16/16 tiêu chí năm 2024 hoặc năm 2025" in str(error.value)
    record(unit, 2025, 15)
    with pytest.raises(services.RecognitionRuleError):
        recognize(unit, reviewer_user)
    assert not Recognition.objects.exists()


def test_self_assessment_does_not_count(criteria_set, unit, reviewer_user):
    record(unit, 2025, 16, stage="self")
    with pytest.raises(services.RecognitionRuleError):
        recognize(unit, reviewer_user)


@pytest.mark.parametrize("year,ok", [(2025, True), (2024, True), (2023, False), (2026, False)])
def test_commune_level_year_of_decision_or_the_one_before(criteria_set, unit, reviewer_user, year, ok):
    record(unit, year, 16)
    if ok:
        assert recognize(unit, reviewer_user).rule_warning == ""
    else:
        with pytest.raises(services.RecognitionRuleError):
            recognize(unit, reviewer_user)


def test_threshold_of_the_set_is_used(unit, reviewer_user):
    factories.CriteriaSetFactory(recognition_threshold=13)
    record(unit, 2025, 13)
    assert recognize(unit, reviewer_user).level == Level.COMMUNE


def test_district_level_needs_earlier_or_same_day_commune_recognition(criteria_set, unit, reviewer_user,
                                                                      province_user):
    record(unit, 2025, 16)
    with pytest.raises(services.RecognitionRuleError, match="chưa được công nhận cấp xã"):
        recognize(unit, province_user, Level.DISTRICT, D(2025, 6, 1))
    recognize(unit, reviewer_user, Level.COMMUNE, D(2025, 6, 1))
    with pytest.raises(services.RecognitionRuleError):
        recognize(unit, province_user, Level.DISTRICT, D(2025, 5, 31))
    assert recognize(unit, province_user, Level.DISTRICT, D(2025, 6, 1)).level == Level.DISTRICT


def test_province_level_needs_district_level(criteria_set, unit, reviewer_user, province_user):
    record(unit, 2025, 16)
    recognize(unit, reviewer_user, Level.COMMUNE, D(2025, 6, 1))
    with pytest.raises(services.RecognitionRuleError, match="cấp huyện"):
        recognize(unit, province_user, Level.PROVINCE, D(2025, 7, 1))
    recognize(unit, province_user, Level.DISTRICT, D(2025, 6, 15))
    assert recognize(unit, province_user, Level.PROVINCE, D(2025, 7, 1)).level == Level.PROVINCE


def test_revoked_recognition_does_not_count(criteria_set, unit, reviewer_user, province_user):
    record(unit, 2025, 16)
    commune = recognize(unit, reviewer_user, Level.COMMUNE, D(2025, 6, 1))
    services.recognition_revoke(recognition=commune, actor=reviewer_user, revoked_on=D(2025, 7, 1), reason="Vi phạm")
    with pytest.raises(services.RecognitionRuleError):
        recognize(unit, province_user, Level.DISTRICT, D(2025, 8, 1))
    # Before the revocation it was in force.
    assert recognize(unit, province_user, Level.DISTRICT, D(2025, 6, 20)).level == Level.DISTRICT


def test_admin_records_a_historical_decision_with_a_warning(criteria_set, unit, admin_user, reviewer_user):
    with pytest.raises(services.RecognitionRuleError):
        recognize(unit, admin_user)
    rec = recognize(unit, admin_user, historical=True)
    assert "chưa có đánh giá đã thẩm định" in rec.rule_warning
    with pytest.raises(PermissionDenied):
        recognize(unit, reviewer_user, number="2/QĐ", historical=True)


def test_levels_by_role_and_scope(criteria_set, unit, other_unit, reviewer_user, province_user, officer_user):
    record(unit, 2025, 16)
    record(other_unit, 2025, 16)
    with pytest.raises(PermissionDenied):
        recognize(unit, reviewer_user, Level.DISTRICT)
    with pytest.raises(PermissionDenied):
        recognize(unit, province_user, Level.COMMUNE)
    with pytest.raises(PermissionDenied):
        recognize(unit, officer_user)
    with pytest.raises(services.DomainError, match="không có quyền"):
        recognize(other_unit, reviewer_user)
    assert not Recognition.objects.exists()


def test_recognition_input_checks(criteria_set, unit, reviewer_user):
    record(unit, 2025, 16)
    with pytest.raises(services.DomainError, match="tương lai"):
        recognize(unit, reviewer_user, day=D(2099, 1, 1))
    with pytest.raises(services.DomainError, match="không hợp lệ"):
        recognize(unit, reviewer_user, scan=files.upload("qd.pdf", b"GIF89a"))
    rec = recognize(unit, reviewer_user, number="5/QĐ", scan=files.upload("quyết định.pdf", files.PDF))
    assert rec.scan_name == "quyết định.pdf" and rec.scan.name.startswith("decisions/2025/")
    with pytest.raises(services.DomainError, match="đã được ghi nhận"):
        recognize(unit, reviewer_user, number="5/QĐ")


def test_revoke_rules(criteria_set, unit, reviewer_user, province_user):
    record(unit, 2025, 16)
    rec = recognize(unit, reviewer_user)
    with pytest.raises(services.DomainError, match="lý do thu hồi"):
        services.recognition_revoke(recognition=rec, actor=reviewer_user, revoked_on=D(2025, 7, 1), reason="")
    with pytest.raises(services.DomainError, match="trước ngày ký"):
        services.recognition_revoke(recognition=rec, actor=reviewer_user, revoked_on=D(2025, 1, 1), reason="x")
    with pytest.raises(services.DomainError, match="tương lai"):
        services.recognition_revoke(recognition=rec, actor=reviewer_user, revoked_on=D(2099, 1, 1), reason="x")
    with pytest.raises(PermissionDenied):
        services.recognition_revoke(recognition=rec, actor=province_user, revoked_on=D(2025, 7, 1), reason="x")
    services.recognition_revoke(recognition=rec, actor=reviewer_user, revoked_on=D(2025, 7, 1), reason="Vi phạm")
    with pytest.raises(services.DomainError, match="đã bị thu hồi"):
        services.recognition_revoke(recognition=rec, actor=reviewer_user, revoked_on=D(2025, 8, 1), reason="x")
    rec.refresh_from_db()
    assert rec.revoked_on == D(2025, 7, 1) and rec.history.first().history_user == reviewer_user


# ---------------------------------------------------------------- registrations


def test_registrations(criteria_set, unit, other_unit, reviewer_user, officer_user):
    reg = services.registration_create(unit=unit, year=2025, actor=reviewer_user)
    with pytest.raises(services.DomainError, match="đã đăng ký"):
        services.registration_create(unit=unit, year=2025, actor=reviewer_user)
    with pytest.raises(services.DomainError, match="không có quyền"):
        services.registration_create(unit=other_unit, year=2025, actor=reviewer_user)
    with pytest.raises(PermissionDenied):
        services.registration_create(unit=unit, year=2024, actor=officer_user)
    with pytest.raises(services.DomainError, match="ngoài khoảng"):
        services.registration_create(unit=unit, year=1999, actor=reviewer_user)
    services.registration_delete(registration=reg, actor=reviewer_user)
    assert not Registration.objects.exists()


def test_next_years_assessment_waits_for_its_window(officer_user, unit, criteria_set, monkeypatch):
    """The 2027 window opens on 16/11/2026: not before (issue 9: next year's assessments were accepted)."""
    import datetime

    from django.utils import timezone

    from assessments.models import Assessment

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: datetime.date(2026, 11, 15))
    with pytest.raises(services.DomainError, match="16/11/2026"):
        services.assessment_get_or_create(unit=unit, year=2027, actor=officer_user)
    assert not Assessment.objects.exists()
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: datetime.date(2026, 11, 16))
    assert services.assessment_get_or_create(unit=unit, year=2027, actor=officer_user).year == 2027
