"""Form flows through the pages: what officers and reviewers rely on, and bad input that must change nothing."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments import selectors, services
from assessments.models import Assessment, CriterionResult, Evidence, Recognition, Registration, Result, Status
from tests import factories
from tests.assessments import files
from tests.conftest import record


def detail(a):
    return reverse("assessments:assessment_detail", args=[a.pk])


def review(a):
    return reverse("assessments:assessment_review", args=[a.pk])


def self_form(a, result=Result.MET, action="save", **extra):
    data = {"version": a.version, "action": action}
    for r in a.results.all():
        data[f"c{r.criterion_id}_result"] = result
        data[f"c{r.criterion_id}_note"] = f"ghi chú {r.criterion.number}"
    data.update(extra)
    return data


def snapshot(a):
    a.refresh_from_db()
    return (a.status, a.version, a.self_met_count, list(a.results.values_list("self_result", "note")),
            Evidence.objects.count())


# ---------------------------------------------------------------- officer


def test_officer_home_shows_unit_deadline_and_start(client, officer_user, criteria_set, unit):
    client.force_login(officer_user)
    year = datetime.date.today().year
    page = client.get(reverse("assessments:officer_home")).content.decode()
    assert unit.name in page and f"30/11/{year}" in page and "Chưa bắt đầu" in page
    assert 'data-testid="days-left"' in page and ("ngày" in page or "đã quá hạn" in page)
    response = client.post(reverse("assessments:assessment_start"), {"year": year})
    a = Assessment.objects.get(unit=unit, year=year)
    assert response.status_code == 302 and response["Location"] == detail(a)
    record(unit, 2023, 12)
    page = client.get(reverse("assessments:officer_home")).content.decode()
    assert "2023" in page and "Đang soạn" in page and "Mở và tiếp tục đánh giá" in page


@pytest.mark.parametrize("year", ["abc", "", "1999", "2200", "-1"])
def test_bad_year_on_start_changes_nothing(client, officer_user, criteria_set, year):
    client.force_login(officer_user)
    response = client.post(reverse("assessments:assessment_start"), {"year": year}, follow=True)
    assert response.status_code == 200
    assert not Assessment.objects.exists()
    assert "không hợp lệ" in response.content.decode() or "ngoài khoảng" in response.content.decode()


def test_assessment_page_lists_every_criterion(client, officer_user, draft):
    client.force_login(officer_user)
    page = client.get(detail(draft)).content.decode()
    for n in (1, 9, 16):
        assert f"Tiêu chí {n}. Tiêu chí {n}" in page and f"Nội dung tiêu chí {n}" in page
    assert page.count("<details") >= 16 and "Minh chứng cho tiêu chí 16" in page
    assert page.count('type="radio"') == 16 * 3
    assert "Lưu nháp" in page and "Gửi lên cấp trên" in page and 'data-confirm="Gửi đánh giá' in page
    assert 'enctype="multipart/form-data"' in page


def test_save_draft_with_evidence_then_submit(client, officer_user, draft):
    client.force_login(officer_user)
    first = draft.results.get(criterion__number=1)
    data = self_form(draft, Result.NOT_MET)
    data[f"c{first.criterion_id}_files"] = [files.upload("biên bản.pdf", files.PDF), files.upload("ảnh.png", files.PNG)]
    response = client.post(detail(draft), data)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT and draft.version == 2
    assert sorted(first.evidence.values_list("original_name", flat=True)) == ["biên bản.pdf", "ảnh.png"]
    page = client.get(detail(draft)).content.decode()
    assert "Đã lưu nháp" in page and "biên bản.pdf" in page and "ghi chú 1" in page

    response = client.post(detail(draft), self_form(draft, Result.MET, action="submit"))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Status.SUBMITTED and draft.self_met_count == 16
    page = client.get(detail(draft)).content.decode()
    assert "Lưu nháp" not in page and 'type="radio"' not in page


def test_submit_with_unanswered_criteria_keeps_input_and_saves_nothing(client, officer_user, draft):
    client.force_login(officer_user)
    before = snapshot(draft)
    data = self_form(draft, Result.MET, action="submit")
    second = draft.results.get(criterion__number=2)
    data[f"c{second.criterion_id}_result"] = Result.NOT_YET
    response = client.post(detail(draft), data)
    assert response.status_code == 400
    assert "Chưa đánh giá các tiêu chí: 2" in response.content.decode()
    assert "ghi chú 5" in response.content.decode()  # what they typed is still there
    assert snapshot(draft) == before


@pytest.mark.parametrize("tamper", ["version_text", "version_missing", "foreign_criterion", "bad_result", "bad_action"])
def test_tampered_forms_change_nothing(client, officer_user, draft, tamper):
    client.force_login(officer_user)
    before = snapshot(draft)
    data = self_form(draft)
    if tamper == "version_text":
        data["version"] = "abc"
    elif tamper == "version_missing":
        del data["version"]
    elif tamper == "foreign_criterion":
        foreign = factories.CriteriaSetFactory().criteria.first()
        data[f"c{foreign.pk}_result"] = Result.MET
    elif tamper == "bad_result":
        data[f"c{draft.results.first().criterion_id}_result"] = "hacked"
    else:
        data["action"] = "verify"
    response = client.post(detail(draft), data)
    assert response.status_code == 400
    if tamper == "foreign_criterion":
        assert "không thuộc bộ tiêu chí" in response.content.decode()
    assert snapshot(draft) == before


@pytest.mark.parametrize("name", ["assessment_detail", "assessment_review", "evidence_download"])
def test_wrong_ids_are_404(client, admin_user, name):
    client.force_login(admin_user)
    assert client.get(reverse(f"assessments:{name}", args=[999999])).status_code == 404


def test_stale_form_is_refused_and_keeps_what_was_typed(client, officer_user, draft, unit):
    colleague = factories.officer(unit)
    first = draft.results.get(criterion__number=1)
    stale = self_form(draft, Result.NOT_MET)
    stale[f"c{first.criterion_id}_note"] = "điều tôi vừa gõ"
    services.assessment_save_self(assessment=draft, actor=colleague, version=draft.version,
                                  values={first.criterion_id: {"self_result": Result.MET, "note": "của đồng nghiệp"}})
    before = snapshot(draft)
    client.force_login(officer_user)
    response = client.post(detail(draft), stale)
    page = response.content.decode()
    assert response.status_code == 409
    assert "vừa được người khác thay đổi" in page and "điều tôi vừa gõ" in page
    assert "Bản đã lưu mới nhất" in page and "của đồng nghiệp" in page
    assert f'name="version" value="{draft.version}"' in page
    assert snapshot(draft) == before


def test_locked_assessment_refuses_a_post(client, officer_user, verified):
    client.force_login(officer_user)
    before = snapshot(verified)
    response = client.post(detail(verified), self_form(verified, Result.NOT_MET), follow=True)
    assert "không thể sửa" in response.content.decode()
    assert snapshot(verified) == before


# ---------------------------------------------------------------- uploads


@pytest.mark.parametrize("name,content", [("gia.pdf", b"MZ not a pdf"), ("anh.png", files.JPG),
                                          ("bang.xlsx", files.DOCX), ("chay.exe", files.PDF)])
def test_bad_upload_is_refused_with_a_message(client, officer_user, draft, name, content):
    client.force_login(officer_user)
    before = snapshot(draft)
    data = self_form(draft)
    data[f"c{draft.results.first().criterion_id}_files"] = files.upload(name, content, "application/pdf")
    response = client.post(detail(draft), data)
    assert response.status_code == 400
    assert "chỉ nhận PDF, JPG, PNG, DOCX, XLSX" in response.content.decode()
    assert snapshot(draft) == before


def test_too_large_upload_is_refused(client, officer_user, draft, settings):
    settings.EVIDENCE_MAX_BYTES = 1024
    client.force_login(officer_user)
    data = self_form(draft)
    data[f"c{draft.results.first().criterion_id}_files"] = files.upload("lon.pdf", files.PDF + b"0" * 2000)
    response = client.post(detail(draft), data)
    assert response.status_code == 400 and "quá lớn" in response.content.decode()
    assert not Evidence.objects.exists()


def test_download_is_an_attachment_in_scope_only(client, officer_user, reviewer_user, draft, other_district, unit):
    ev = services.evidence_add(result=draft.results.first(), actor=officer_user,
                               upload=files.upload("báo cáo.docx", files.DOCX))
    client.force_login(reviewer_user)
    response = client.get(reverse("assessments:evidence_download", args=[ev.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == services.DOCX
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''b%C3%A1o%20c%C3%A1o.docx" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == files.DOCX
    client.force_login(factories.reviewer(other_district))
    assert client.get(reverse("assessments:evidence_download", args=[ev.pk])).status_code == 404
    # The stored name is private and no public media URL exists.
    assert "báo" not in ev.file.name
    assert client.get("/media/" + ev.file.name).status_code == 404


def test_delete_evidence(client, officer_user, draft):
    ev = services.evidence_add(result=draft.results.first(), actor=officer_user,
                               upload=files.upload("a.pdf", files.PDF))
    client.force_login(officer_user)
    page = client.get(detail(draft)).content.decode()
    assert f'id="delete-evidence-{ev.pk}"' in page and "data-confirm=" in page
    client.post(reverse("assessments:evidence_delete", args=[ev.pk]))
    assert not Evidence.objects.exists()


# ---------------------------------------------------------------- reviewer


def review_form(a, action="save", reason="", **values):
    data = {"version": a.version, "action": action, "reason": reason}
    data.update(values)
    return data


def test_inbox_and_district_table(client, reviewer_user, submitted, district, other_unit):
    factories.UnitFactory(district=district, name="Xã Chưa Làm")
    client.force_login(reviewer_user)
    page = client.get(reverse("assessments:reviewer_inbox") + "?year=2025").content.decode()
    assert review(submitted) in page and submitted.unit.name in page and "Xã Chưa Làm" in page
    assert other_unit.name not in page


@pytest.mark.parametrize("year", ["abc", "1900", "99999999999999999999"])
def test_inbox_bad_year_falls_back(client, reviewer_user, year):
    client.force_login(reviewer_user)
    response = client.get(reverse("assessments:reviewer_inbox"), {"year": year})
    assert response.status_code == 200 and "không hợp lệ" in response.content.decode()


def test_return_needs_reason_then_officer_sees_it(client, reviewer_user, officer_user, submitted):
    client.force_login(reviewer_user)
    response = client.post(review(submitted), review_form(submitted, "return", "  "))
    assert response.status_code == 400 and "Cần ghi lý do trả lại" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED
    r = submitted.results.get(criterion__number=4)
    response = client.post(review(submitted), review_form(
        submitted, "return", "Thiếu biên bản họp", **{f"c{r.criterion_id}_verified": Result.NOT_MET,
                                                      f"c{r.criterion_id}_comment": "Chưa có biên bản"}))
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == Status.RETURNED
    client.force_login(officer_user)
    page = client.get(detail(submitted)).content.decode()
    assert 'returned-reason' in page and "Thiếu biên bản họp" in page and "Chưa có biên bản" in page
    page = client.get(reverse("assessments:officer_home")).content.decode()
    assert "Thiếu biên bản họp" in page


def test_verify_locks_and_timeline_tells_the_story(client, reviewer_user, officer_user, submitted):
    client.force_login(reviewer_user)
    r = submitted.results.get(criterion__number=2)
    response = client.post(review(submitted), review_form(
        submitted, "verify", **{f"c{r.criterion_id}_verified": Result.NOT_MET}))
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == Status.VERIFIED and submitted.verified_met_count == 15
    # A second verify from the same page is refused and changes nothing.
    response = client.post(review(submitted), review_form(submitted, "verify"))
    assert response.status_code == 400 and "Chỉ thẩm định được" in response.content.decode()
    client.force_login(officer_user)
    page = client.get(detail(submitted)).content.decode()
    assert "Chuyển trạng thái: Đã gửi → Đã thẩm định" in page
    assert "Tiêu chí 2 – Kết quả thẩm định: — → Chưa đạt" in page
    assert "Tiêu chí 1 – Tự đánh giá: Chưa đánh giá → Đạt" in page
    assert reviewer_user.username in page and officer_user.username in page


def test_stale_review_is_409(client, reviewer_user, submitted, district):
    stale = review_form(submitted, "verify")
    services.assessment_save_review(assessment=submitted, actor=factories.reviewer(district),
                                    version=submitted.version, values={})
    client.force_login(reviewer_user)
    response = client.post(review(submitted), stale)
    assert response.status_code == 409 and "vừa được người khác thay đổi" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED


def test_review_with_foreign_criterion_changes_nothing(client, reviewer_user, submitted):
    foreign = factories.CriteriaSetFactory().criteria.first()
    client.force_login(reviewer_user)
    version = submitted.version
    response = client.post(review(submitted), review_form(submitted, "verify", **{f"c{foreign.pk}_verified": "met"}))
    assert response.status_code == 400
    submitted.refresh_from_db()
    assert (submitted.status, submitted.version) == (Status.SUBMITTED, version)


def test_admin_reopens_with_reason(client, admin_user, verified):
    client.force_login(admin_user)
    url = reverse("assessments:assessment_reopen", args=[verified.pk])
    client.post(url, {"version": verified.version, "reason": ""})
    verified.refresh_from_db()
    assert verified.status == Status.VERIFIED
    page = client.get(detail(verified)).content.decode()
    assert "Mở lại" in page and "data-confirm" in page
    client.post(url, {"version": verified.version, "reason": "Sai số liệu tiêu chí 5"})
    verified.refresh_from_db()
    assert verified.status == Status.SUBMITTED
    assert "Sai số liệu tiêu chí 5" in client.get(detail(verified)).content.decode()


# ---------------------------------------------------------------- recognitions and registrations


def recognition_data(unit, **kw):
    data = {"unit": unit.pk, "level": 1, "decision_number": "12/QĐ-UBND", "decision_date": "2025-06-01",
            "issued_by": "UBND huyện"}
    data.update(kw)
    return data


def test_recognition_rule_is_a_form_error(client, reviewer_user, criteria_set, unit):
    client.force_login(reviewer_user)
    response = client.post(reverse("assessments:recognition_create"), recognition_data(unit))
    assert response.status_code == 400
    assert f"{unit.name} chưa có đánh giá đã thẩm định đạt 16/16 tiêu chí" in response.content.decode()
    assert not Recognition.objects.exists()


def test_record_with_scan_and_revoke(client, reviewer_user, criteria_set, unit):
    record(unit, 2025, 16)
    client.force_login(reviewer_user)
    bad = client.post(reverse("assessments:recognition_create"),
                      recognition_data(unit, scan=files.upload("qd.pdf", b"not a pdf")))
    assert bad.status_code == 400 and not Recognition.objects.exists()
    response = client.post(reverse("assessments:recognition_create"),
                           recognition_data(unit, scan=files.upload("qđ.pdf", files.PDF)))
    assert response.status_code == 302
    rec = Recognition.objects.get()
    page = client.get(reverse("assessments:recognition_list")).content.decode()
    assert "12/QĐ-UBND" in page and reverse("assessments:recognition_scan", args=[rec.pk]) in page
    scan = client.get(reverse("assessments:recognition_scan", args=[rec.pk]))
    assert scan["Content-Disposition"].startswith("attachment;") and scan["Content-Type"] == "application/pdf"
    client.post(reverse("assessments:recognition_revoke", args=[rec.pk]), {"revoked_on": "2025-07-01", "reason": ""})
    rec.refresh_from_db()
    assert rec.revoked_on is None
    client.post(reverse("assessments:recognition_revoke", args=[rec.pk]),
                {"revoked_on": "2025-07-01", "reason": "Vi phạm"})
    rec.refresh_from_db()
    assert rec.revoked_on == datetime.date(2025, 7, 1) and rec.revoke_reason == "Vi phạm"


@pytest.mark.parametrize("tamper", [{"level": 3}, {"level": "x"}, {"unit": 999999}, {"decision_date": "31/02/2025"},
                                    {"decision_date": "abc"}])
def test_recognition_bad_input(client, reviewer_user, criteria_set, unit, tamper):
    record(unit, 2025, 16)
    client.force_login(reviewer_user)
    data = recognition_data(unit)
    data.update(tamper)
    response = client.post(reverse("assessments:recognition_create"), data)
    assert response.status_code == 400 and not Recognition.objects.exists()


def test_province_sees_district_levels_and_admin_historical_flag(client, province_user, admin_user, criteria_set):
    client.force_login(province_user)
    page = client.get(reverse("assessments:recognition_list")).content.decode()
    assert "Cấp huyện" in page and "Cấp tỉnh" in page and 'value="1"' not in page.split('name="level"')[1][:300]
    assert "historical" not in page
    client.force_login(admin_user)
    assert 'name="historical"' in client.get(reverse("assessments:recognition_list")).content.decode()


def test_admin_historical_recognition_warns(client, admin_user, criteria_set, unit):
    client.force_login(admin_user)
    response = client.post(reverse("assessments:recognition_create"), recognition_data(unit, historical="on"),
                           follow=True)
    assert "Cảnh báo" in response.content.decode()
    assert Recognition.objects.get().rule_warning


def test_registrations_flow(client, reviewer_user, criteria_set, unit, other_unit):
    client.force_login(reviewer_user)
    url = reverse("assessments:registration_create")
    assert client.post(url, {"unit": unit.pk, "year": 2025, "note": "Điểm"}).status_code == 302
    duplicate = client.post(url, {"unit": unit.pk, "year": 2025})
    assert duplicate.status_code == 400 and "đã đăng ký xây dựng điểm năm 2025" in duplicate.content.decode()
    assert client.post(url, {"unit": other_unit.pk, "year": 2025}).status_code == 400
    assert client.post(url, {"unit": unit.pk, "year": 1990}).status_code == 400
    reg = Registration.objects.get()
    page = client.get(reverse("assessments:registration_list")).content.decode()
    assert unit.name in page and "data-confirm" in page
    client.post(reverse("assessments:registration_delete", args=[reg.pk]))
    assert not Registration.objects.exists()


# ---------------------------------------------------------------- query counts at two sizes


def populate(district, n, officer):
    for _ in range(n):
        u = factories.UnitFactory(district=district)
        record(u, 2025, 10, stage="self")


@pytest.mark.parametrize("extra_units", [2, 20])
def test_reviewer_inbox_queries_do_not_grow(client, reviewer_user, criteria_set, district, officer_user,
                                            extra_units, django_assert_max_num_queries):
    populate(district, extra_units, officer_user)
    client.force_login(reviewer_user)
    # 13: one calendar read for the inbox's years and one for the table's year (whether each came late).
    with django_assert_max_num_queries(13):
        response = client.get(reverse("assessments:reviewer_inbox") + "?year=2025")
    assert response.content.decode().count('href="/assessments/') >= 2 * extra_units


@pytest.mark.parametrize("extra_units", [2, 20])
def test_admin_district_table_queries_do_not_grow(client, admin_user, criteria_set, district, other_district,
                                                  officer_user, extra_units, django_assert_max_num_queries):
    populate(district, extra_units, officer_user)
    populate(other_district, extra_units, officer_user)
    client.force_login(admin_user)
    with django_assert_max_num_queries(12):
        client.get(reverse("assessments:reviewer_inbox") + "?year=2025")


@pytest.mark.parametrize("size", [1, 4])
def test_officer_pages_queries_do_not_grow(client, officer_user, draft, district, unit, size,
                                           django_assert_max_num_queries):
    populate(district, size * 3, officer_user)
    for year in range(2021, 2021 + size):
        record(unit, year, 12)
    for r in list(draft.results.all())[: size * 2]:
        services.evidence_add(result=r, actor=officer_user, upload=files.upload("a.pdf", files.PDF))
        services.assessment_save_self(assessment=draft, actor=officer_user, version=Assessment.objects.get(
            pk=draft.pk).version, values={r.criterion_id: {"self_result": Result.MET, "note": f"n{size}"}})
    client.force_login(officer_user)
    # 9 for the page, + the year's calendar and the unread-notifications badge.
    with django_assert_max_num_queries(11):
        client.get(reverse("assessments:officer_home"))
    with django_assert_max_num_queries(16):
        page = client.get(detail(draft)).content.decode()
    assert page.count(">a.pdf</a>") == size * 2


def test_pages_are_translated_to_english(client, officer_user, draft):
    client.force_login(officer_user)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(detail(draft)).content.decode()
    assert "Save draft" in page and "Submit to the district" in page and "Evidence guidance" in page
    assert "Lưu nháp" not in page


def test_adding_and_removing_evidence_is_in_the_timeline(client, officer_user, draft):
    first = draft.results.get(criterion__number=3)
    evidence = services.evidence_add(result=first, actor=officer_user, upload=files.upload("bien-ban.pdf", files.PDF))
    services.evidence_delete(evidence=evidence, actor=officer_user)
    client.force_login(officer_user)
    page = client.get(detail(draft)).content.decode()
    assert "Thêm minh chứng “bien-ban.pdf” – tiêu chí 3" in page
    assert "Xóa minh chứng “bien-ban.pdf” – tiêu chí 3" in page


def test_recognition_history_is_shown_to_those_in_scope(client, reviewer_user, criteria_set, unit):
    from assessments.models import Level

    record(unit, 2023, 16)
    recognition = services.recognition_create(unit=unit, level=Level.COMMUNE, decision_number="5/QĐ",
                                              decision_date=datetime.date(2024, 1, 10), issued_by="UBND huyện",
                                              actor=reviewer_user)
    services.recognition_revoke(recognition=recognition, actor=reviewer_user, revoked_on=datetime.date(2025, 2, 1),
                                reason="Vi phạm an ninh trật tự")
    client.force_login(reviewer_user)
    page = client.get(reverse("assessments:recognition_list")).content.decode()
    assert 'data-testid="recognition-history"' in page
    assert "Ngày thu hồi: — → 01/02/2025" in page and "Vi phạm an ninh trật tự" in page


def test_the_timeline_shows_every_step_and_a_bounded_list_of_edits(client, officer_user, draft):
    """~160 autosaves made the page grow without bound (issue 17): the latest edits only, the rest on request."""
    criterion = draft.results.first().criterion_id
    for n in range(selectors.TIMELINE_EDITS + 15):
        version = Assessment.objects.get(pk=draft.pk).version
        services.assessment_save_criterion(assessment=draft, actor=officer_user, version=version,
                                           criterion_id=criterion, self_result="met", note=f"ghi chú số {n}")
    # Autosaves come seconds apart (edits of one person within a second are one entry).
    start = timezone.now() - datetime.timedelta(hours=2)
    for i, pk in enumerate(CriterionResult.history.filter(assessment_id=draft.pk).order_by("history_id")
                           .values_list("history_id", flat=True)):
        CriterionResult.history.filter(history_id=pk).update(history_date=start + datetime.timedelta(minutes=i))
    client.force_login(officer_user)
    page = client.get(detail(draft)).content.decode()
    assert page.count("timeline-entry") == selectors.TIMELINE_EDITS + 1  # + the creation step
    assert "15 lần sửa kết quả cũ hơn không hiển thị" in page
    assert f"ghi chú số {selectors.TIMELINE_EDITS + 14}" in page and "ghi chú số 0<" not in page
    everything = client.get(detail(draft) + "?timeline=all").content.decode()
    assert everything.count("timeline-entry") == selectors.TIMELINE_EDITS + 16
    assert "ghi chú số 0" in everything and "không hiển thị" not in everything
