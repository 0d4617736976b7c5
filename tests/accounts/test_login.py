import pytest
from django.urls import reverse

from tests.factories import PASSWORD


def test_login_page_is_vietnamese_and_utf8(client, db):
    response = client.get(reverse("accounts:login"))
    page = response.content.decode()
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert '<meta charset="utf-8">' in page
    assert "Đăng nhập" in page and "Tên đăng nhập" in page and "Mật khẩu" in page
    assert '<html lang="vi">' in page


def test_english_is_available(client, db):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("accounts:login")).content.decode()
    assert '<html lang="en">' in page


def test_anonymous_is_sent_to_login(client, db):
    response = client.get("/")
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_wrong_password_gives_a_vietnamese_message(client, province_user):
    response = client.post(reverse("accounts:login"), {"username": province_user.username, "password": "sai"})
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()


def test_repeated_failures_lock_the_account(client, province_user, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": province_user.username, "password": "sai"})
    # Even the right password is refused while locked.
    response = client.post(reverse("accounts:login"), {"username": province_user.username, "password": PASSWORD})
    assert response.status_code == 429
    assert "tạm bị khóa" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("role", ["province_user", "admin_user"])
def test_signed_in_user_and_role_are_shown(client, request, role):
    user = request.getfixturevalue(role)
    client.force_login(user)
    page = client.get(reverse("accounts:password_change")).content.decode()
    assert user.username in page and user.get_role_display() in page


def test_vietnamese_even_when_the_browser_prefers_english(client, db):
    page = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="vi">' in page and "Đăng nhập" in page
