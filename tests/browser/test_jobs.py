"""Background jobs seen in the browser: the progress bar moves without a reload, then an export's file
appears, or an import's page (the preview, the imported counts) opens; the page passes axe (WCAG 2.1 AA)."""

import pytest
from django.urls import reverse

from data_exchange.jobs import data_export
from jobs import services
from jobs.models import Job, State
from tests import factories
from tests.jobs.conftest import run_worker

from .test_accessibility import AXE, RUN_AXE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def axe_serious(page) -> list:
    page.add_script_tag(path=str(AXE))
    return [v for v in page.evaluate(RUN_AXE) if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("width", [375, 1280])
def test_the_progress_bar_moves_and_the_file_appears(browser, live_server, settings, shot, width):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # queued; the test is the worker
    district = factories.DistrictFactory()
    for _ in range(5):
        factories.RegistrationFactory(unit=factories.UnitFactory(district=district), year=2023)
    reviewer = factories.reviewer(district, username=f"bar_{width}")
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="vi-VN",
                                  base_url=live_server.url, bypass_csp=True)  # only for injecting axe
    context.set_default_timeout(15000)
    try:
        page = context.new_page()
        page.goto("/accounts/login/")
        page.fill("input[name=username]", reviewer.username)
        page.fill("input[name=password]", factories.PASSWORD)
        page.click("button[type=submit]")
        page.goto(reverse("data_exchange:import"))
        page.select_option("#id_export-kind", "registrations")
        page.select_option("#id_export-format", "csv")
        page.get_by_role("button", name="Xuất", exact=True).click()
        page.wait_for_url("**/jobs/*/")
        status = page.get_by_test_id("job-status")
        assert "Đang chờ đến lượt xử lý" in status.inner_text()
        assert page.get_by_role("progressbar", name="Tiến độ xử lý").get_attribute("value") is None  # indeterminate
        assert not axe_serious(page)

        job = services.job_claim(job_id=Job.objects.get().pk)  # the worker takes it …
        progress = services.Progress(job)
        progress.start(5)
        progress.advance(2)
        progress.flush()
        page.wait_for_function("document.querySelector('[data-testid=job-status]').textContent.includes('2/5')")
        bar = page.get_by_role("progressbar", name="Tiến độ xử lý")
        assert (bar.get_attribute("value"), bar.get_attribute("max")) == ("2", "5")
        assert status.inner_text() == "Đang xử lý 2/5 dòng"
        assert page.get_by_test_id("job-result").is_hidden()
        shot(page, f"issue19-job-running-{width}")

        services.job_finish(job=job, output=data_export(job, progress))  # … and finishes it
        result = page.get_by_test_id("job-result")
        result.wait_for(state="visible")
        assert status.inner_text() == "Hoàn tất: tệp đã sẵn sàng để tải về."
        assert bar.get_attribute("value") == bar.get_attribute("max") == "5"
        shot(page, f"issue19-job-done-{width}")
        assert not axe_serious(page)
        with page.expect_download() as download:
            result.click()
        assert download.value.suggested_filename.startswith("registrations-")
        assert Job.objects.get().state == State.DONE
        # "Tác vụ của tôi" is now in the navigation.
        page.goto("/")
        assert page.get_by_test_id("nav-jobs").count() == 1
    finally:
        context.close()


def test_an_import_shows_its_progress_then_opens_the_preview_and_the_result(browser, live_server, settings, tmp_path):
    """The check job's bar moves, its page opens the preview by itself when done; the confirm's too."""
    from assessments.models import Assessment
    from data_exchange.jobs import import_check
    from data_exchange.models import PendingImport
    from tests.data_exchange.conftest import assessment_row, csv_bytes

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # queued; the test is the worker
    factories.CriteriaSetFactory()
    district = factories.DistrictFactory()
    units = [factories.UnitFactory(district=district) for _ in range(5)]
    reviewer = factories.reviewer(district, username="import_bar")
    upload = tmp_path / "ket-qua.csv"
    upload.write_bytes(csv_bytes([assessment_row(unit, 2024, met=14) for unit in units]))
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN", base_url=live_server.url,
                                  bypass_csp=True)
    context.set_default_timeout(15000)
    try:
        page = context.new_page()
        page.goto("/accounts/login/")
        page.fill("input[name=username]", reviewer.username)
        page.fill("input[name=password]", factories.PASSWORD)
        page.click("button[type=submit]")
        page.goto(reverse("data_exchange:import"))
        page.get_by_label("Tệp dữ liệu (.xlsx hoặc .csv)").set_input_files(str(upload))
        page.get_by_role("button", name="Tải lên và xem trước").click()
        page.wait_for_url("**/jobs/*/")
        assert "Đang chờ đến lượt xử lý" in page.get_by_test_id("job-status").inner_text()

        job = services.job_claim(job_id=Job.objects.get().pk)  # the worker takes the check …
        progress = services.Progress(job)
        progress.report(2, 5)
        progress.flush()
        page.wait_for_function("document.querySelector('[data-testid=job-status]').textContent.includes('2/5')")
        bar = page.get_by_role("progressbar", name="Tiến độ xử lý")
        assert (bar.get_attribute("value"), bar.get_attribute("max")) == ("2", "5")
        assert not axe_serious(page)
        services.job_finish(job=job, output=import_check(job, progress))  # … and finishes it
        page.wait_for_url("**/data/preview/**")  # opened by the job's page itself
        assert "Sẽ tạo mới 5, cập nhật 0, giữ nguyên 0." in page.content()

        page.get_by_role("button", name="Xác nhận nhập dữ liệu").click()
        page.wait_for_url("**/jobs/*/")
        assert not Assessment.objects.exists()
        run_worker()
        page.wait_for_url("**/data/preview/**")
        assert page.get_by_test_id("import-done").is_visible()
        assert "Đã tạo mới 5, cập nhật 0, giữ nguyên 0." in page.content()
        assert Assessment.objects.count() == 5 and PendingImport.objects.get().consumed_at
    finally:
        context.close()
