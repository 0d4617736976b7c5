import pytest
from django.urls import reverse

from accounts.models import User

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("length", [151, 256, 5000])
def test_a_very_long_username_is_a_clear_message_not_a_500(client, length):
    response = client.post(reverse("accounts:login"), {"username": "a" * length, "password": "x"})
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()
    assert not User.objects.exists()
