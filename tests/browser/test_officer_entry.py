"""The officer's form on a weak connection: autosave per criterion, edits kept through a lost connection
and a reload, one-by-one evidence uploads, deletes that lose nothing, conflicts, and the error summary."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.offline import offline_key
from assessments import services
from assessments.models import Evidence, Result
from tests import factories
from tests.assessments import files

from .test_journeys import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SAVED = re.compile(r"Đã lưu lúc \d\d:\d\d")
# Saves wait for a short pause in typing; on a busy test machine give each state change the same time as actions.
expect.set_options(timeout=15_000)


@pytest.fixture
def draft_page(transactional_db):
    factories.CriteriaSetFactory()
    unit = factories.UnitFactory(name="Xã Tân Lập")
    officer = factories.officer(unit, username="canbo_xa")
    draft = services.assessment_get_or_create(unit=unit, year=timezone.localdate().year, actor=officer)
    return draft, officer


def card(page, number):
    return page.locator(f"#criterion-{number}")


def state(page, number):
    return card(page, number).locator("[data-save-state]")


def result(draft, number):
    return draft.results.get(criterion__number=number)


def open_form(new_page, draft, officer, width=1280):
    page = new_page(width, 900)
    sign_in(page, officer)
    page.goto(f"/assessments/{draft.pk}/")
    return page


def test_edits_survive_a_lost_connection_and_a_reload(new_page, shot, draft_page):
    draft, officer = draft_page
    page = open_form(new_page, draft, officer, 375)
    # The form's service worker keeps a copy of the page and its files for a reload without a connection.
    assert page.evaluate("navigator.serviceWorker.ready.then(r => !!r.active)")
    page.reload()
    page.wait_for_function("() => !!navigator.serviceWorker.controller")
    card(page, 1).locator("input[value=met]").check()
    card(page, 1).locator("textarea").fill("Chi bộ họp định kỳ hằng tháng")
    expect(state(page, 1)).to_have_text(SAVED)
    expect(page.get_by_test_id("answered-count")).to_have_text("Đã đánh giá 1/16 tiêu chí")
    assert result(draft, 1).note == "Chi bộ họp định kỳ hằng tháng"

    # The connection drops: typing goes on, kept on the phone, clearly not saved yet.
    page.context.set_offline(True)
    card(page, 2).locator("input[value=not_met]").check()
    card(page, 2).locator("textarea").fill("Thiếu loa ở thôn Mới")
    card(page, 1).locator("textarea").fill("Chi bộ họp định kỳ hằng tháng, có biên bản")
    expect(state(page, 2)).to_have_text("Chưa lưu")
    expect(state(page, 1)).to_have_text("Chưa lưu")
    expect(page.locator("[data-offline-banner]")).to_contain_text("Mất kết nối mạng")
    stored = page.evaluate("Object.keys(localStorage).filter(k => k.includes(':unsaved:'))")
    assert stored == [f"criteria-portal:{offline_key(officer)}:unsaved:{draft.pk}"]
    shot(page, "20-phone-offline-unsaved", full=False)
    assert result(draft, 2).self_result == Result.NOT_YET

    # Reload with no connection at all: the phone's copy of the page comes back with every edit.
    page.reload()
    expect(page.locator("[data-offline-banner]")).to_contain_text("Đã khôi phục 2 thay đổi")
    expect(card(page, 2).locator("textarea")).to_have_value("Thiếu loa ở thôn Mới")
    expect(card(page, 2).locator("input[value=not_met]")).to_be_checked()
    expect(card(page, 1).locator("textarea")).to_have_value("Chi bộ họp định kỳ hằng tháng, có biên bản")
    expect(state(page, 2)).to_have_text("Chưa lưu")
    shot(page, "21-phone-restored-after-offline-reload", full=False)
    # The whole form is not posted from the kept copy (its other answers may be old).
    page.get_by_role("button", name="Lưu nháp").click()
    expect(page.locator("[data-offline-banner]")).to_contain_text("bản trang lưu trên máy")

    # The connection is back: everything reaches the server, then the page reloads from it.
    page.context.set_offline(False)
    with page.expect_navigation():
        page.evaluate("window.dispatchEvent(new Event('online'))")
    page.wait_for_load_state()
    expect(card(page, 2).locator("textarea")).to_have_value("Thiếu loa ở thôn Mới")
    expect(page.locator("[data-offline-banner]")).to_be_hidden()
    assert result(draft, 1).note == "Chi bộ họp định kỳ hằng tháng, có biên bản"
    assert (result(draft, 2).self_result, result(draft, 2).note) == (Result.NOT_MET, "Thiếu loa ở thôn Mới")
    assert page.evaluate("Object.keys(localStorage).filter(k => k.includes(':unsaved:')).length") == 0
    expect(page.get_by_test_id("answered-count")).to_have_text("Đã đánh giá 2/16 tiêu chí")


def test_a_conflict_shows_both_values_and_loses_neither(new_page, shot, draft_page):
    draft, officer = draft_page
    page = open_form(new_page, draft, officer)
    colleague = factories.officer(draft.unit)
    first = result(draft, 1)
    services.assessment_save_criterion(assessment=draft, actor=colleague, version=1, criterion_id=first.criterion_id,
                                       self_result=Result.MET, note="Bản của đồng nghiệp")
    card(page, 1).locator("textarea").fill("Bản của tôi")
    conflict = card(page, 1).locator("[data-conflict]")
    expect(conflict).to_be_visible()
    expect(conflict.get_by_test_id("conflict-server")).to_contain_text("Đạt – Bản của đồng nghiệp")
    expect(conflict.get_by_test_id("conflict-yours")).to_contain_text("Chưa đánh giá – Bản của tôi")
    expect(card(page, 1).locator("textarea")).to_have_value("Bản của tôi")
    shot(page, "22-conflict", element=card(page, 1))
    # A criterion nobody else touched is saved on the newer version without asking.
    card(page, 4).locator("input[value=met]").check()
    expect(state(page, 4)).to_have_text(SAVED)
    conflict.get_by_role("button", name="Giữ bản của tôi").click()
    expect(state(page, 1)).to_have_text(SAVED)
    expect(conflict).to_be_hidden()
    assert result(draft, 1).note == "Bản của tôi" and result(draft, 4).self_result == Result.MET


def test_files_upload_one_by_one_and_a_delete_keeps_unsaved_fields(new_page, shot, draft_page):
    draft, officer = draft_page
    kept = services.evidence_add(result=result(draft, 2), actor=officer, upload=files.upload("giữ lại.pdf", files.PDF))
    services.evidence_add(result=result(draft, 1), actor=officer, upload=files.upload("xóa đi.pdf", files.PDF))
    page = open_form(new_page, draft, officer, 375)

    # One good file and one bad one on criterion 3: the good one is listed, the bad one says why.
    card(page, 3).locator("input[type=file]").set_input_files(files=[
        {"name": "ảnh camera.png", "mimeType": "image/png", "buffer": files.PNG},
        {"name": "virus.exe", "mimeType": "application/octet-stream", "buffer": b"MZ\x90\x00"},
    ])
    expect(card(page, 3).get_by_role("link", name="ảnh camera.png")).to_be_visible()
    error = card(page, 3).locator("[data-uploads] li[data-state=error]")
    expect(error).to_contain_text("virus.exe")
    expect(error.get_by_role("button", name="Thử lại")).to_be_visible()
    shot(page, "23-phone-upload-error", element=card(page, 3))
    assert list(result(draft, 3).evidence.values_list("original_name", flat=True)) == ["ảnh camera.png"]
    error.get_by_role("button", name="Bỏ qua").click()
    expect(error).to_have_count(0)

    # A note that cannot be saved yet, then a file deleted: the note stays, only that file goes.
    page.route("**/criterion/", lambda route: route.abort())
    card(page, 5).locator("textarea").fill("Có 3 tổ hòa giải")
    expect(state(page, 5).get_by_role("button", name="Lỗi – thử lại")).to_be_visible()
    url = page.url
    card(page, 1).get_by_role("button", name="Xóa tệp “xóa đi.pdf”").click()
    expect(card(page, 1).get_by_role("link", name="xóa đi.pdf")).to_have_count(0)
    expect(card(page, 1).get_by_text("Chưa có tệp minh chứng.")).to_be_visible()
    assert page.url == url
    expect(card(page, 5).locator("textarea")).to_have_value("Có 3 tổ hòa giải")
    assert set(Evidence.objects.values_list("original_name", flat=True)) == {"giữ lại.pdf", "ảnh camera.png"}
    assert Evidence.objects.filter(pk=kept.pk).exists()
    page.unroute("**/criterion/")
    # Network failures are retried on their own (with a growing pause) and at once when the browser is online.
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(state(page, 5)).to_have_text(SAVED)
    assert result(draft, 5).note == "Có 3 tổ hòa giải"


def test_a_failed_submit_is_summarised_at_the_top(new_page, shot, draft_page):
    draft, officer = draft_page
    values = {r.criterion_id: {"self_result": Result.MET, "note": ""} for r in draft.results.all()}
    values[result(draft, 7).criterion_id]["self_result"] = Result.NOT_YET
    services.assessment_save_self(assessment=draft, actor=officer, version=draft.version, values=values)
    page = open_form(new_page, draft, officer, 375)
    expect(page.get_by_test_id("answered-count")).to_have_text("Đã đánh giá 15/16 tiêu chí")
    page.get_by_role("button", name="Gửi lên cấp trên").click()
    page.wait_for_load_state()
    summary = page.get_by_test_id("error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    link = summary.get_by_role("link", name=re.compile("Tiêu chí 7"))
    expect(link).to_have_attribute("href", "#criterion-7")
    expect(page.get_by_test_id("answered-count")).to_have_text("Đã đánh giá 15/16 tiêu chí")
    shot(page, "24-phone-error-summary", full=False)
    link.click()
    assert page.url.endswith("#criterion-7")
    expect(card(page, 7).get_by_text("Chưa đánh giá tiêu chí này.")).to_be_visible()


def test_without_scripts_a_bad_file_is_summarised_at_the_top(browser, live_server, shot, draft_page):
    draft, officer = draft_page
    context = browser.new_context(viewport={"width": 375, "height": 812}, locale="vi-VN", base_url=live_server.url,
                                  java_script_enabled=False)
    try:
        page = context.new_page()
        sign_in(page, officer)
        page.goto(f"/assessments/{draft.pk}/")
        card(page, 9).locator("input[value=met]").check()
        card(page, 9).locator("textarea").fill("Ghi chú không được mất")
        card(page, 9).locator("input[type=file]").set_input_files(
            files=[{"name": "virus.exe", "mimeType": "application/octet-stream", "buffer": b"MZ\x90\x00"}])
        page.get_by_role("button", name="Lưu nháp").click()
        page.wait_for_load_state()
        summary = page.get_by_test_id("error-summary")
        expect(summary).to_contain_text("virus.exe")
        expect(summary.get_by_role("link", name=re.compile("Tiêu chí 9"))).to_have_attribute("href", "#criterion-9")
        expect(card(page, 9).locator("textarea")).to_have_value("Ghi chú không được mất")
        shot(page, "25-phone-no-js-bad-file", full=False)
        assert not Evidence.objects.exists() and result(draft, 9).note == ""
    finally:
        context.close()


def test_jump_list_shows_each_state_and_filters_at_375px(new_page, shot, draft_page):
    draft, officer = draft_page
    draft.results.filter(criterion__number=3).update(reviewer_comment="Bổ sung ảnh camera")
    services.evidence_add(result=result(draft, 4), actor=officer, upload=files.upload("bien-ban.pdf", files.PDF))
    page = open_form(new_page, draft, officer, 375)
    jump = page.get_by_role("navigation", name="Danh sách tiêu chí")
    expect(jump.locator("[data-jump]")).to_have_count(16)
    expect(jump.get_by_role("link", name="Tiêu chí 3: Chưa đánh giá, có ý kiến của cấp trên")).to_be_visible()
    expect(jump.get_by_role("link", name="Tiêu chí 4: Chưa đánh giá, có tệp minh chứng")).to_be_visible()
    card(page, 1).locator("input[value=met]").check()
    card(page, 2).locator("input[value=not_met]").check()
    expect(jump.get_by_role("link", name="Tiêu chí 1: Đạt", exact=True)).to_be_visible()
    expect(jump.get_by_role("link", name="Tiêu chí 2: Chưa đạt", exact=True)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    shot(page, "26-phone-jump-list", full=False)

    page.get_by_role("group", name="Lọc tiêu chí").get_by_role("button", name="Có ý kiến của cấp trên").click()
    expect(page.locator("[data-criterion]:visible")).to_have_count(1)
    expect(card(page, 3)).to_be_visible()
    page.get_by_role("group", name="Lọc tiêu chí").get_by_role("button", name="Chưa đánh giá").click()
    expect(page.locator("[data-criterion]:visible")).to_have_count(14)
    expect(card(page, 1)).to_be_hidden()
    shot(page, "27-phone-filter-not-yet", full=False)
    page.get_by_role("group", name="Lọc tiêu chí").get_by_role("button", name="Tất cả").click()
    expect(page.locator("[data-criterion]:visible")).to_have_count(16)
    jump.get_by_role("link", name=re.compile(r"^Tiêu chí 12:")).click()
    assert page.url.endswith("#criterion-12")
    # The sticky list stays on screen as the officer moves down the form.
    expect(jump).to_be_in_viewport()


def test_start_from_last_year_then_submit_and_recall(new_page, shot, draft_page):
    draft, officer = draft_page
    from tests.conftest import record

    record(draft.unit, draft.year - 1, 14)
    page = open_form(new_page, draft, officer, 375)
    page.get_by_role("button", name="Lấy kết quả năm trước").click()
    expect(page.get_by_text("Đã lấy kết quả và ghi chú năm trước cho 16 tiêu chí")).to_be_visible()
    expect(page.get_by_text("Lấy từ năm trước – cần xác nhận")).to_have_count(16)
    expect(page.get_by_test_id("answered-count")).to_have_text("Đã đánh giá 16/16 tiêu chí")
    shot(page, "28-phone-prefilled", full=False)
    # Ticking "confirm" saves the criterion as it stands and drops the mark; changing one does too.
    card(page, 1).get_by_label("Xác nhận kết quả này").check()
    expect(state(page, 1)).to_have_text(SAVED)
    expect(card(page, 1).get_by_text("Lấy từ năm trước – cần xác nhận")).to_have_count(0)
    card(page, 16).locator("input[value=met]").check()
    expect(state(page, 16)).to_have_text(SAVED)
    expect(card(page, 16).get_by_text("Lấy từ năm trước – cần xác nhận")).to_have_count(0)
    assert draft.results.filter(from_previous_year=True).count() == 14

    page.get_by_role("button", name="Gửi lên cấp trên").click()
    page.get_by_text("Đã gửi đánh giá năm").wait_for()
    page.get_by_label("Lý do rút lại").fill("Quên đính kèm biên bản tiêu chí 5")
    page.get_by_role("button", name="Rút lại").click()
    page.get_by_text("Đã rút lại đánh giá").wait_for()
    draft.refresh_from_db()
    assert draft.status == "draft"
    expect(page.get_by_test_id("timeline")).to_contain_text("Quên đính kèm biên bản tiêu chí 5")
    shot(page, "29-phone-recalled", full=False)
