"""The import page: who may use it, template and export downloads, upload → check job → preview → confirm job."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from assessments.models import Assessment, Registration
from data_exchange.models import PendingImport
from jobs.models import Job
from tests import factories
from tests.conftest import record
from tests.exports import download_via_job
from tests.imports import job_of, result_of

from .conftest import assessment_row, csv_bytes

pytestmark = pytest.mark.django_db

IMPORT = reverse("data_exchange:import")


@pytest.fixture(autouse=True)
def _criteria(criteria_set):
    return criteria_set


def upload(client, kind, data, name="data.csv"):
    file = io.BytesIO(data)
    file.name = name
    return client.post(IMPORT, {"upload-kind": kind, "upload-file": file})


@pytest.mark.parametrize("who, status", [
    ("anonymous", 302), ("officer_user", 403), ("reviewer_user", 200), ("province_user", 200), ("admin_user", 200),
])
@pytest.mark.parametrize("url", [
    IMPORT,
    reverse("data_exchange:template") + "?template-kind=assessments&template-year=2024",
    reverse("data_exchange:export") + "?export-kind=assessments&export-format=csv&export-year=",
])
def test_permission_matrix(client, request, who, status, url):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    response = client.get(url)
    assert response.status_code == status
    if who == "anonymous":
        assert reverse("accounts:login") in response["Location"]


def test_nav_links_the_import_page(client, reviewer_user, officer_user):
    client.force_login(reviewer_user)
    assert f'href="{IMPORT}"' in client.get(IMPORT).content.decode()
    client.force_login(officer_user)
    response = client.get("/", follow=True)
    assert f'href="{IMPORT}"' not in response.content.decode()


def test_template_download_for_the_reviewers_district(client, reviewer_user, unit, other_unit):
    client.force_login(reviewer_user)
    response = client.get(reverse("data_exchange:template"), {"template-kind": "assessments", "template-year": 2025})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [row[0] for row in sheet.iter_rows(min_row=3, values_only=True)] == [unit.code]


def test_bad_template_parameters_are_a_message_not_a_500(client, reviewer_user):
    client.force_login(reviewer_user)
    response = client.get(reverse("data_exchange:template"), {"template-kind": "x", "template-year": "abc"})
    assert response.status_code == 302


def test_preview_then_confirm(client, reviewer_user, unit):
    client.force_login(reviewer_user)
    response = upload(client, "assessments", csv_bytes([assessment_row(unit, 2024, met=14)]))
    check = job_of(response)  # the upload started the check job; its page shows the progress
    pending = PendingImport.objects.get()
    assert (check.kind, check.owner, pending.check_job) == ("import_check", reviewer_user, check)
    preview = result_of(client, response)
    assert preview == reverse("data_exchange:preview", args=[pending.pk])
    assert client.get(reverse("jobs:status", args=[check.pk])).json()["message"] == (
        "Đã kiểm tra xong: tệp hợp lệ. Hãy xem trước rồi xác nhận để nhập.")
    assert not Assessment.objects.exists()  # nothing before confirm
    page = client.get(preview).content.decode()
    assert unit.district.name in page and "Sẽ tạo mới 1, cập nhật 0, giữ nguyên 0." in page
    assert not Assessment.objects.exists()
    response = client.post(reverse("data_exchange:confirm", args=[pending.pk]))
    job = job_of(response)
    assert job.kind == "import_confirm" and result_of(client, response) == preview
    assert client.get(reverse("jobs:status", args=[job.pk])).json()["message"] == (
        "Đã nhập dữ liệu từ tệp data.csv: 1 tạo mới, 0 cập nhật, 0 giữ nguyên.")
    page = client.get(preview).content.decode()
    assert "Đã tạo mới 1, cập nhật 0, giữ nguyên 0." in page and 'data-testid="import-done"' in page
    assert reverse("data_exchange:confirm", args=[pending.pk]) not in page
    assessment = Assessment.objects.get()
    assert assessment.verified_met_count == 14 and assessment.verified_by == reviewer_user
    assert assessment.history.get().history_change_reason == "Nhập dữ liệu từ tệp data.csv"
    pending.refresh_from_db()
    assert bytes(pending.data) == b"" and pending.consumed_at and pending.imported["created"] == 1
    # A second click on confirm imports nothing more: it opens the same job.
    again = client.post(reverse("data_exchange:confirm", args=[pending.pk]))
    assert job_of(again) == job
    assert Assessment.objects.count() == 1 and assessment.transitions.count() == 1


def test_errors_are_listed_in_vietnamese_and_there_is_no_confirm(client, reviewer_user, unit, other_unit):
    client.force_login(reviewer_user)
    response = upload(client, "registrations", csv_bytes([[unit.code, 2024], [other_unit.code, 2024]],
                                                         header=["commune_code", "year"]))
    # The check itself succeeded: its job is done and says the file has an error.
    assert client.get(reverse("jobs:status", args=[job_of(response).pk])).json()["message"] == (
        "Đã kiểm tra xong: tệp có 1 lỗi, không có dữ liệu nào được ghi.")
    page = client.get(result_of(client, response)).content.decode()
    assert f"Dòng 3, cột commune_code: {other_unit.name} (mã {other_unit.code}) nằm ngoài phạm vi" in page
    assert reverse("data_exchange:confirm", args=[PendingImport.objects.get().pk]) not in page
    # Posting the confirm anyway starts nothing and writes nothing.
    response = client.post(reverse("data_exchange:confirm", args=[PendingImport.objects.get().pk]))
    assert response["Location"] == reverse("data_exchange:preview", args=[PendingImport.objects.get().pk])
    assert not Registration.objects.exists() and not Job.objects.filter(kind="import_confirm").exists()


def test_confirm_checks_again(client, reviewer_user, unit):
    client.force_login(reviewer_user)
    upload(client, "registrations", csv_bytes([[unit.code, 2024]], header=["commune_code", "year"]))
    pending = PendingImport.objects.get()
    factories.RegistrationFactory(unit=unit, year=2024)  # the data changed after the preview: now unchanged
    response = client.post(reverse("data_exchange:confirm", args=[pending.pk]))
    assert Registration.objects.count() == 1
    assert "0 tạo mới, 0 cập nhật, 1 giữ nguyên" in client.get(
        reverse("jobs:status", args=[job_of(response).pk])).json()["message"]


def test_another_users_upload_and_jobs_are_not_found(client, reviewer_user, province_user, unit):
    client.force_login(province_user)
    check = job_of(upload(client, "registrations", csv_bytes([[unit.code, 2024]], header=["commune_code", "year"])))
    pending = PendingImport.objects.get()
    client.force_login(reviewer_user)
    assert client.get(reverse("data_exchange:preview", args=[pending.pk])).status_code == 404
    assert client.post(reverse("data_exchange:confirm", args=[pending.pk])).status_code == 404
    assert client.get(reverse("jobs:detail", args=[check.pk])).status_code == 404
    assert client.get(reverse("jobs:status", args=[check.pk])).status_code == 404
    assert not Registration.objects.exists()
    client.force_login(province_user)
    confirm = job_of(client.post(reverse("data_exchange:confirm", args=[pending.pk])))
    client.force_login(reviewer_user)
    assert client.get(reverse("jobs:status", args=[confirm.pk])).status_code == 404
    assert client.post(reverse("jobs:retry", args=[confirm.pk])).status_code == 404


def test_wrong_extension_is_refused_on_the_form(client, reviewer_user):
    client.force_login(reviewer_user)
    response = upload(client, "assessments", b"x", name="data.pdf")
    assert response.status_code == 200 and "Chỉ nhận tệp .csv hoặc .xlsx." in response.content.decode()
    assert not PendingImport.objects.exists()


def test_export_download_is_scoped(client, reviewer_user, unit, other_unit):
    factories.RegistrationFactory(unit=unit, year=2023)
    factories.RegistrationFactory(unit=other_unit, year=2023)
    client.force_login(reviewer_user)
    response = download_via_job(client, reverse("data_exchange:export"),
                                {"export-kind": "registrations", "export-format": "csv", "export-year": ""})
    assert response.content.decode("utf-8-sig").splitlines() == [
        "commune_code,year,programme", f"{unit.code},2023,nq12_commune"]


def test_page_loads_the_busy_script_and_no_inline_script(client, reviewer_user):
    client.force_login(reviewer_user)
    page = client.get(IMPORT).content.decode()
    assert "data_exchange/busy.js" in page and "<script>" not in page and "data-busy-button" in page


def test_problems_are_shown_in_english_when_chosen(client, reviewer_user, other_unit):
    client.force_login(reviewer_user)
    client.cookies["django_language"] = "en"
    response = upload(client, "registrations", csv_bytes([[other_unit.code, 2024]], header=["commune_code", "year"]))
    page = client.get(result_of(client, response), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Row 2, column commune_code:" in page and "is outside your scope" in page


def test_csv_export_is_read_in_batches(client, reviewer_user, unit, monkeypatch):
    monkeypatch.setattr("data_exchange.selectors.EXPORT_BATCH", 1)  # several batches of assessments
    record(unit, 2023, 16)
    record(unit, 2024, 9, stage="self")
    client.force_login(reviewer_user)
    response = download_via_job(client, reverse("data_exchange:export"),
                                {"export-kind": "assessments", "export-format": "csv", "export-year": ""})
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines == [
        ",".join(["commune_code", "year", "stage"] + [f"c{n}" for n in range(1, 17)] + ["programme", "status"]),
        ",".join([str(unit.code), "2023", "verified"] + ["1"] * 16 + ["nq12_commune", ""]),
        ",".join([str(unit.code), "2024", "self"] + ["1"] * 9 + ["0"] * 7 + ["nq12_commune", ""]),
    ]


@pytest.mark.parametrize("url, data", [
    (reverse("data_exchange:template") + "?template-kind=assessments&template-year=2024", None),
    (reverse("data_exchange:export"), {"export-kind": "assessments", "export-format": "csv", "export-year": ""}),
    (reverse("data_exchange:export"), {"export-kind": "recognitions", "export-format": "xlsx", "export-year": 2024}),
])
def test_downloads_are_not_cached(client, reviewer_user, url, data):
    client.force_login(reviewer_user)
    response = client.get(url) if data is None else download_via_job(client, url, data)
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
