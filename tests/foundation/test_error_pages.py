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
