"""Tài khoản của tôi: a user's own e-mail address and reminders on/off."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from tests import factories

pytestmark = pytest.mark.django_db
URL = reverse("accounts:account")


@pytest.fixture
def user(db):
    return factories.officer(factories.UnitFactory(), email="old@example.vn")


def test_anonymous_users_are_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def test_shows_the_current_settings(client, user):
    client.force_login(user)
    page = client.get(URL).content.decode()
    assert "Tài khoản của tôi" in page and 'value="old@example.vn"' in page
    assert 'name="reminders_enabled"' in page and "checked" in page


def test_saves_then_redirects_with_a_message(client, user):
    client.force_login(user)
    response = client.post(URL, {"email": "can.bo@CONGAN.GOV.VN"})  # the box unticked: reminders off
    assert response.status_code == 302 and response["Location"] == URL
    user.refresh_from_db()
    # The new address waits for its confirmation link (tests/accounts/test_email_change.py); the old one is kept.
    assert (user.email, user.pending_email) == ("old@example.vn", "can.bo@congan.gov.vn")
    assert user.reminders_enabled is False
    page = client.get(URL).content.decode()
    assert "Đã lưu thông tin tài khoản." in page and "Đã gửi thư xác nhận đến can.bo@congan.gov.vn" in page
    client.post(URL, {"email": "", "reminders_enabled": "on"})
    user.refresh_from_db()
    assert user.email == "" and user.reminders_enabled is True


def test_a_bad_address_changes_nothing(client, user):
    client.force_login(user)
    response = client.post(URL, {"email": "không phải e-mail", "reminders_enabled": ""})
    assert response.status_code == 400 and "e-mail" in response.content.decode().lower()
    user.refresh_from_db()
    assert user.email == "old@example.vn" and user.reminders_enabled is True


def test_the_post_needs_the_csrf_token(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.post(URL, {"email": "x@example.vn"}).status_code == 403
    assert User.objects.get(pk=user.pk).email == "old@example.vn"


def test_the_navigation_links_to_the_account(client, user):
    client.force_login(user)
    assert f'href="{URL}"' in client.get(reverse("assessments:officer_home")).content.decode()
