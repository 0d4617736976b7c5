"""The everyday journeys in a real browser: officer submits → reviewer returns → officer fixes and
resubmits → reviewer verifies → reviewer records a commune-level recognition; plus 375 px layout."""

import pytest
from django.utils import timezone

from assessments.models import Assessment, Level, Recognition, Status
from tests import factories
from tests.assessments import files

from . import signin

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people(transactional_db):
    criteria_set = factories.CriteriaSetFactory()
    district = factories.DistrictFactory(name="Huyện Lạc Sơn")
    unit = factories.UnitFactory(district=district, name="Xã Tân Lập")
    factories.UnitFactory(district=district, name="Xã Văn Sơn")
    officer = factories.officer(unit, username="canbo_xa", first_name="An", last_name="Nguyễn Văn")
    reviewer = factories.reviewer(district, username="thamdinh_huyen", first_name="Bình", last_name="Trần Thị")
    return criteria_set, unit, officer, reviewer


def sign_in(page, user, shot=None, name=None):
    signin.prepare(user)
    page.goto("/")
    assert "/accounts/login/" in page.url
    assert page.locator("html").get_attribute("lang") == "vi"
    assert page.get_by_role("heading", name="Đăng nhập").is_visible()
    page.get_by_label("Tên đăng nhập").fill(user.username)
    page.get_by_label("Mật khẩu").fill(factories.PASSWORD)
    if shot:
        shot(page, name)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_load_state()
    signin.second_step(page)


def no_horizontal_overflow(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 375


def test_officer_reviewer_journey(new_page, shot, people):
    criteria_set, unit, officer, reviewer = people
    year = timezone.localdate().year

    # 1. The officer signs in on the Vietnamese login page and lands on the commune.
    o = new_page()
    sign_in(o, officer, shot, "01-login")
    assert "Xã Tân Lập" in o.locator("h1").inner_text()
    assert f"30/11/{year}" in o.content()
    shot(o, "02-officer-home")
    o.get_by_role("button", name=f"Bắt đầu tự đánh giá năm {year}").click()
    o.wait_for_load_state()
    cards = o.locator("[data-criterion]")
    assert cards.count() == 16
    # Evidence guidance is folded away until asked for.
    assert not cards.first.get_by_text("Minh chứng cho tiêu chí 1").is_visible()

    # 2. Answers, a note and an evidence file; save the draft, then submit.
    for i in range(16):
        cards.nth(i).locator("input[value=met]").check()
    cards.nth(2).locator("input[value=not_met]").check()
    cards.nth(0).locator("textarea").fill("Chi bộ họp định kỳ hằng tháng")
    cards.nth(0).locator("input[type=file]").set_input_files(
        files=[{"name": "biên bản họp.pdf", "mimeType": "application/pdf", "buffer": files.PDF}])
    # The page waits for autosaves and uploads in flight before it posts the whole form.
    o.get_by_role("button", name="Lưu nháp").click()
    o.get_by_text("Đã lưu nháp.").wait_for()
    assert o.get_by_role("link", name="biên bản họp.pdf").is_visible()
    shot(o, "03-officer-draft-saved")
    o.get_by_role("button", name="Gửi lên cấp trên").click()
    o.get_by_text("Đã gửi đánh giá năm").wait_for()
    assessment = Assessment.objects.get(unit=unit, year=year)
    assert assessment.status == Status.SUBMITTED and assessment.self_met_count == 15
    shot(o, "04-officer-submitted")

    # 3. The reviewer finds it in the inbox and returns it with a reason.
    r = new_page()
    sign_in(r, reviewer)
    assert "Xã Văn Sơn" in r.locator("[data-testid=unit-table]").inner_text()
    shot(r, "05-reviewer-inbox")
    r.locator("[data-testid=inbox]").get_by_role("link", name="Xã Tân Lập").click()
    r.wait_for_load_state()
    # Reading is not reviewing: the page is read-only until the reviewer starts (the officer may still recall).
    assert r.get_by_text("vẫn có thể rút lại").is_visible() and r.get_by_role("button", name="Trả lại").count() == 0
    assessment.refresh_from_db()
    assert assessment.review_opened_at is None
    r.get_by_role("button", name="Bắt đầu thẩm định").click()
    r.wait_for_load_state()
    third = r.locator("#criterion-3")
    third.locator("textarea").fill("Chưa có camera an ninh ở 2 thôn")
    r.get_by_role("button", name="Trả lại").click()
    r.wait_for_load_state()
    assert r.locator("[data-testid=reason-error]").inner_text() == "Cần ghi lý do trả lại."  # reason is required
    shot(r, "06-reviewer-return-needs-reason")
    shot(r, "06b-reviewer-reason-field", full=False)
    r.get_by_label("Lý do trả lại (bắt buộc khi trả lại)").fill("Bổ sung minh chứng tiêu chí 3 (camera an ninh).")
    r.get_by_role("button", name="Trả lại").click()
    r.wait_for_load_state()
    assert r.get_by_text("Đã trả lại đánh giá của Xã Tân Lập.").is_visible()
    assessment.refresh_from_db()
    assert assessment.status == Status.RETURNED

    # 4. The officer sees the highlighted reason, fixes criterion 3 and resubmits.
    o.goto("/assessments/")
    assert "Bổ sung minh chứng tiêu chí 3" in o.locator(".returned-reason").first.inner_text()
    o.get_by_role("link", name="Mở và tiếp tục đánh giá").click()
    o.wait_for_load_state()
    reason = o.locator("[data-testid=return-reason]")
    assert reason.is_visible() and "camera an ninh" in reason.inner_text()
    assert "Chưa có camera an ninh ở 2 thôn" in o.locator("#criterion-3 .alert-info").inner_text()
    shot(o, "07-officer-returned")
    shot(o, "07b-officer-returned-top", full=False)
    card3 = o.locator("#criterion-3")
    card3.locator("input[value=met]").check()
    card3.locator("textarea").fill("Đã lắp camera an ninh ở 2 thôn còn thiếu")
    card3.locator("input[type=file]").set_input_files(
        files=[{"name": "anh-camera.png", "mimeType": "image/png", "buffer": files.PNG}])
    o.get_by_role("button", name="Gửi lên cấp trên").click()
    o.get_by_text("Đã gửi đánh giá năm").wait_for()
    assessment.refresh_from_db()
    assert assessment.status == Status.SUBMITTED and assessment.self_met_count == 16

    # 5. The reviewer verifies; the assessment is locked and the timeline tells the story.
    r.goto(f"/assessments/{assessment.pk}/review/")
    r.get_by_role("button", name="Bắt đầu thẩm định").click()
    r.wait_for_load_state()
    r.get_by_role("button", name="Xác nhận thẩm định").click()
    r.wait_for_load_state()
    assert r.get_by_text("Đã xác nhận thẩm định").is_visible()
    assessment.refresh_from_db()
    assert assessment.status == Status.VERIFIED and assessment.verified_met_count == 16
    o.goto(f"/assessments/{assessment.pk}/")
    timeline = o.locator("[data-testid=timeline]").inner_text()
    for expected in ("Đang soạn → Đã gửi", "Đã gửi → Bị trả lại", "Bị trả lại → Đã gửi", "Đã gửi → Đã thẩm định",
                     "Bổ sung minh chứng tiêu chí 3", "Tiêu chí 3 – Tự đánh giá: Chưa đạt → Đạt",
                     "Bình Trần Thị", "An Nguyễn Văn"):
        assert expected in timeline, expected
    assert o.get_by_role("button", name="Lưu nháp").count() == 0
    shot(o, "08-officer-verified")
    shot(o, "08b-timeline", element=o.locator("[data-testid=timeline]"))

    # 6. The reviewer records the commune-level recognition with a scanned decision.
    r.goto("/assessments/recognitions/")
    r.locator("[data-testid=recognition-form] summary").click()
    r.get_by_label("Đơn vị").select_option(label="Xã Tân Lập")
    r.get_by_label("Cấp công nhận").select_option(label="Cấp xã")
    r.get_by_label("Số quyết định").fill("125/QĐ-UBND")
    r.get_by_label("Ngày ký").fill(timezone.localdate().isoformat())
    r.get_by_label("Cơ quan ban hành").fill("UBND huyện Lạc Sơn")
    r.get_by_label("Bản quét quyết định (không bắt buộc)").set_input_files(
        files=[{"name": "qd-125.pdf", "mimeType": "application/pdf", "buffer": files.PDF}])
    shot(r, "09-reviewer-recognition-form")
    r.get_by_role("button", name="Ghi nhận quyết định").click()
    r.wait_for_load_state()
    assert r.get_by_text("Đã ghi nhận quyết định công nhận Xã Tân Lập").is_visible()
    assert "125/QĐ-UBND" in r.locator("[data-testid=recognition-table]").inner_text()
    shot(r, "10-reviewer-recognitions")
    recognition = Recognition.objects.get()
    assert recognition.level == Level.COMMUNE and recognition.scan_name == "qd-125.pdf"


def test_officer_pages_fit_a_375px_phone(new_page, shot, people):
    criteria_set, unit, officer, reviewer = people
    page = new_page(375, 812)
    sign_in(page, officer)
    assert no_horizontal_overflow(page)
    shot(page, "11-phone-officer-home")
    page.get_by_role("button", name="Bắt đầu tự đánh giá").click()
    page.wait_for_load_state()
    page.locator("#criterion-1 details summary").click()
    page.locator("#criterion-1 input[value=met]").check()
    # The counter counts what the server has: it moves once the answer is saved.
    page.get_by_text("Đã đánh giá 1/16 tiêu chí").wait_for()
    assert page.locator("#criterion-1 [data-save-state]").inner_text().startswith("Đã lưu lúc")
    assert no_horizontal_overflow(page), page.evaluate("document.documentElement.scrollWidth")
    # The save and submit buttons stay within reach at the bottom of the screen.
    assert page.get_by_role("button", name="Lưu nháp").is_visible()
    assert page.get_by_role("button", name="Gửi lên cấp trên").is_visible()
    shot(page, "12-phone-assessment-form")
    shot(page, "12b-phone-assessment-form-top", full=False)
    page.get_by_role("button", name="Lưu nháp").click()
    page.get_by_text("Đã lưu nháp.").wait_for()
    assert no_horizontal_overflow(page)
    r = new_page(375, 812)
    sign_in(r, reviewer)
    assert no_horizontal_overflow(r), r.evaluate("document.documentElement.scrollWidth")
    shot(r, "13-phone-reviewer-inbox")
