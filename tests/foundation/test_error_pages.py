import logging
import sys

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse


def test_forbidden_page_is_a_vietnamese_portal_page(client, officer_user):
    client.force_login(officer_user)
    response = client.get(reverse("data_exchange:import"))
    assert response.status_code == 403
    page = response.content.decode()
    assert "Bạn không có quyền thực hiện thao tác này" in page
    assert "Đăng xuất" in page  # the normal layout, with navigation


def test_not_found_page_explains_scope(client, officer_user):
    client.force_login(officer_user)
    response = client.get("/assessments/999999/")
    assert response.status_code == 404
    assert "ngoài phạm vi tài khoản" in response.content.decode()


def test_officer_navigation_links_to_own_unit_history(client, officer_user):
    client.force_login(officer_user)
    page = client.get(reverse("accounts:password_change")).content.decode()
    assert reverse("reports:unit", args=[officer_user.unit.pk]) in page


def test_too_many_fields_give_a_vietnamese_400_page(client, db, settings):
    fields = {f"f{n}": "x" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
    response = client.post(reverse("accounts:login"), fields)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Yêu cầu không hợp lệ" in page and "Bad Request" not in page
    assert '<html lang="vi">' in page and '<meta charset="utf-8">' in page


def test_too_many_files_give_the_same_page(client, db, settings):
    files = [SimpleUploadedFile(f"f{n}.txt", b"x") for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FILES + 1)]
    response = client.post(reverse("accounts:login"), {"file": files})
    assert response.status_code == 400 and "Yêu cầu không hợp lệ" in response.content.decode()


def test_an_unknown_host_gets_the_400_page_not_a_500(client, db):
    response = client.get("/", HTTP_HOST="unknown.invalid")
    assert response.status_code == 400 and "Yêu cầu không hợp lệ" in response.content.decode()


@pytest.mark.parametrize("url, status", [(reverse("data_exchange:import"), 403), ("/assessments/999999/", 404)])
def test_forbidden_and_not_found_are_logged_as_one_line(client, officer_user, caplog, url, status):
    client.force_login(officer_user)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.get(url).status_code == status
    records = [r for r in caplog.records if r.name == "django.request"]
    assert len(records) == 1 and records[0].levelno == logging.WARNING
    assert records[0].exc_info is None and "Traceback" not in caplog.text
    assert url in records[0].getMessage()


def test_server_errors_keep_their_traceback():
    from criteria_portal.log_filters import ClientErrorsWithoutTraceback

    def record(status):
        try:
            raise ValueError("x")
        except ValueError:
            made = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "m", (), sys.exc_info())
        made.status_code = status
        return made

    error, forbidden = record(500), record(403)
    log_filter = ClientErrorsWithoutTraceback()
    assert log_filter.filter(error) and error.exc_info is not None
    assert log_filter.filter(forbidden) and forbidden.exc_info is None
