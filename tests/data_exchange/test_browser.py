"""A district reviewer imports a filled template in a real browser, on a 375 px phone screen."""

import io

import pytest
from openpyxl import load_workbook

from assessments.models import Assessment, Status
from tests import factories
from tests.browser.conftest import browser, new_page, shot  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reviewer_imports_a_filled_template(new_page, shot, transactional_db, tmp_path):  # noqa: F811
    factories.CriteriaSetFactory()
    district = factories.DistrictFactory(name="Huyện Lạc Sơn")
    unit = factories.UnitFactory(district=district, name="Xã Tân Lập")
    factories.UnitFactory(district=district, name="Xã Văn Sơn")
    reviewer = factories.reviewer(district, username="thamdinh_huyen")

    page = new_page(375, 800)
    page.goto("/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(reviewer.username)
    page.get_by_label("Mật khẩu").fill(factories.PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_load_state()
    page.goto("/data/")
    assert page.get_by_role("heading", name="Nhập, xuất dữ liệu").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    shot(page, "data-01-import-page-375")

    # Download the template for 2024 and fill one unit's row.
    page.get_by_label("Năm", exact=True).first.select_option("2024")
    with page.expect_download() as download:
        page.get_by_role("button", name="Tải biểu mẫu").click()
    workbook = load_workbook(io.BytesIO(open(download.value.path(), "rb").read()))
    sheet = workbook.active
    row = next(r for r in range(3, sheet.max_row + 1) if sheet.cell(r, 1).value == unit.code)
    sheet.cell(row, 4, "verified")
    for column in range(5, 21):
        sheet.cell(row, column, "đạt" if column < 18 else "không đạt")
    filled = tmp_path / "bieu-mau-lac-son.xlsx"
    workbook.save(filled)

    # Upload: the button is disabled with a spinner while the server works.
    page.get_by_label("Tệp dữ liệu (.xlsx hoặc .csv)").set_input_files(str(filled))
    # Record what busy.js did to the button at submit time (sessionStorage survives the navigation).
    page.evaluate("""() => document.querySelector("form[data-busy]").addEventListener("submit", () => {
        const b = document.querySelector("form[data-busy] [data-busy-button]");
        sessionStorage.setItem("busy", [b.getAttribute("aria-busy"), b.innerText.trim(),
            b.querySelector("[data-busy-spinner]").classList.contains("d-none")].join("|"));
    })""")
    page.get_by_role("button", name="Tải lên và xem trước").click()
    # The check is a background job (run at once by the tests' task backend): its page, then the preview.
    page.wait_for_url("**/jobs/*/")
    assert page.evaluate("sessionStorage.getItem('busy')") == "true|Đang tải lên…|false"
    assert page.get_by_test_id("job-status").inner_text() == "Đã kiểm tra xong: tệp hợp lệ. Hãy xem trước rồi xác nhận để nhập."
    page.get_by_role("link", name="Xem trước dữ liệu nhập").click()
    page.wait_for_url("**/data/preview/**")
    assert "Sẽ tạo mới 1, cập nhật 0, giữ nguyên 0." in page.content()
    assert not Assessment.objects.exists()
    shot(page, "data-02-preview-375")

    page.get_by_role("button", name="Xác nhận nhập dữ liệu").click()
    page.wait_for_url("**/jobs/*/")
    assert page.get_by_test_id("job-status").inner_text().startswith("Đã nhập dữ liệu từ tệp bieu-mau-lac-son.xlsx")
    page.get_by_role("link", name="Xem kết quả nhập").click()
    page.wait_for_url("**/data/preview/**")
    assert "Đã tạo mới 1, cập nhật 0, giữ nguyên 0." in page.content()
    assessment = Assessment.objects.get()
    assert (assessment.unit, assessment.status, assessment.verified_met_count) == (unit, Status.VERIFIED, 13)
