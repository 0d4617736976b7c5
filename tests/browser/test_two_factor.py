"""Two-factor sign-in in a real browser: a role that requires it is sent to enrolment after the password, scans
the QR code the app draws, types the code, keeps the recovery codes; next time a recovery code signs in. axe-core
finds no serious or critical violation on these pages (and on the read-only review page) at 375 and 1280 px."""

import re
from base64 import b32decode

import pytest

from assessments.models import Assessment
from tests import factories
from tests.conftest import record

from .test_accessibility import AXE, RUN_AXE
from .test_journeys import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def axe_violations(page) -> list:
    page.add_script_tag(path=str(AXE))
    return [(page.url, v["id"], v["impact"], v["help"], v["targets"]) for v in page.evaluate(RUN_AXE)
            if v["impact"] in ("serious", "critical")]


def test_enrolment_journey_then_a_recovery_code(browser, live_server, shot, transactional_db):
    assert AXE.exists(), "npm install (axe-core is a pinned devDependency)"
    viewer = factories.province_viewer(username="tinh_2fa")
    found = []
    for width in (375, 1280):
        context = browser.new_context(viewport={"width": width, "height": 900}, locale="vi-VN",
                                      base_url=live_server.url, bypass_csp=True)
        context.set_default_timeout(15000)
        try:
            page = context.new_page()
            page.goto("/accounts/login/")
            page.get_by_label("Tên đăng nhập").fill(viewer.username)
            page.get_by_label("Mật khẩu").fill(factories.PASSWORD)
            page.get_by_role("button", name="Đăng nhập").click()
            page.wait_for_load_state()
            if width == 375:
                # Not enrolled: whatever page was asked for, the portal shows enrolment.
                assert "/accounts/me/two-factor/" in page.url
                page.goto("/reports/")
                assert "/accounts/me/two-factor/" in page.url
                qr = page.get_by_role("img", name="Mã QR để thêm tài khoản vào ứng dụng xác thực")
                assert qr.is_visible()
                assert page.evaluate("() => document.querySelector('img.two-factor-qr').naturalWidth") > 100
                assert page.get_by_text("bắt buộc xác thực hai lớp").is_visible()
                found += axe_violations(page)
                shot(page, "2fa-01-enrolment-375")
                manual = page.get_by_test_id("manual-key").inner_text().replace(" ", "")
                key = b32decode(manual + "=" * (-len(manual) % 8)).hex()
                page.get_by_label("Mã 6 chữ số trong ứng dụng").fill("12345" if factories.totp_code(key) != "12345"
                                                                     else "54321")
                page.get_by_role("button", name="Bật xác thực hai lớp").click()
                page.wait_for_load_state()
                assert page.get_by_test_id("enrol-error").is_visible()  # a wrong code: a clear message
                found += axe_violations(page)
                page.get_by_label("Mã 6 chữ số trong ứng dụng").fill(factories.totp_code(key))
                page.get_by_role("button", name="Bật xác thực hai lớp").click()
                page.wait_for_load_state()
                codes = page.get_by_test_id("recovery-codes").locator("li").all_inner_texts()
                assert len(codes) == 10 and all(re.fullmatch(r"[a-z2-7]{8}", c) for c in codes)
                found += axe_violations(page)
                shot(page, "2fa-02-recovery-codes-375")
                page.get_by_role("link", name="Đã cất mã, tiếp tục").click()
                page.wait_for_load_state()
                page.goto("/accounts/me/")
                assert page.get_by_text("Đang bật").is_visible()
                found += axe_violations(page)
                shot(page, "2fa-03-account-375")
            else:
                # Enrolled: the code step. The app's code was just used, so a recovery code it is.
                assert "/accounts/login/code/" in page.url
                found += axe_violations(page)
                shot(page, "2fa-04-code-step-1280")
                page.get_by_label("Mã xác thực").fill(codes[0].upper())
                page.get_by_role("button", name="Xác nhận").click()
                page.wait_for_load_state()
                assert page.get_by_text("Bạn vừa dùng một mã dự phòng; còn 9 mã").is_visible()
                page.goto("/accounts/me/two-factor/")
                assert page.get_by_role("button", name="Tạo mã dự phòng mới").is_visible()
                found += axe_violations(page)
        finally:
            context.close()
    report = "\n".join(" | ".join(str(part) for part in row) for row in found)
    assert not found, f"serious/critical axe violations:\n{report}"


def test_the_review_page_is_read_only_until_started(browser, live_server, shot, transactional_db):
    factories.CriteriaSetFactory()
    district = factories.DistrictFactory()
    unit = factories.UnitFactory(district=district, name="Xã Đọc Trước")
    submitted = record(unit, 2025, 12, stage="self")
    reviewer = factories.reviewer(district, username="thamdinh_doc")
    found = []
    for width in (375, 1280):
        context = browser.new_context(viewport={"width": width, "height": 900}, locale="vi-VN",
                                      base_url=live_server.url, bypass_csp=True)
        try:
            page = context.new_page()
            sign_in(page, reviewer)
            page.goto(f"/assessments/{submitted.pk}/review/")
            assert page.get_by_test_id("review-not-started").is_visible()
            assert page.locator("#criterion-1 input[type=radio]").first.is_disabled()
            assert Assessment.objects.get(pk=submitted.pk).review_opened_at is None
            shot(page, f"review-read-only-{width}")
            found += axe_violations(page)
        finally:
            context.close()
    assert not found, found
