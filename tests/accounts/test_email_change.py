"""E-mail that works: only addresses the mailer can send to, and a new address is used only once the link
sent to it has been followed (the old one keeps receiving until then)."""

import re
import smtplib

import pytest
from django.core import mail, signing
from django.core.mail.backends.locmem import EmailBackend
from django.urls import reverse

from accounts import services
from accounts.email_addresses import is_deliverable
from accounts.models import User
from tests import factories

pytestmark = pytest.mark.django_db
URL = reverse("accounts:account")


@pytest.fixture
def user(db):
    return factories.officer(factories.UnitFactory(), username="xa_moi", email="old@example.vn")


def confirmation_link(message) -> str:
    return re.search(r"http://portal\.test(/accounts/me/email/confirm/[^/\s]+/)", message.body).group(1)


@pytest.mark.parametrize("address", [
    '"a\x01b"@example.vn',  # quoted, with a control character: what the review found accepted
    '"ab"@example.vn',  # any quoted local part
    "a b@example.vn", "ab\t@example.vn", "ab@exam\nple.vn", "ab@example.vn\r\nBcc: x@y.vn", "a\x7fb@example.vn",
    "cán.bộ@example.vn",  # non-ASCII local part: needs SMTPUTF8, which the mailer does not use
    "a..b@example.vn", ".ab@example.vn", "ab.@example.vn",
    "ab@[10.0.0.1]", "ab@localhost", "ab@-x.vn", "ab@x..vn", "@example.vn", "ab@", "ab",
    "a@b@example.vn", "x" * 65 + "@example.vn", "a@" + "b" * 250 + ".vn",
])
def test_addresses_the_mailer_would_refuse_are_refused(client, user, address):
    client.force_login(user)
    response = client.post(URL, {"email": address, "reminders_enabled": "on"})
    assert response.status_code == 400
    assert 'class="invalid-feedback' in response.content.decode()
    user.refresh_from_db()
    assert (user.email, user.pending_email) == ("old@example.vn", "")
    assert mail.outbox == []
    assert not is_deliverable(address)


@pytest.mark.parametrize("address", ["can.bo@congan.gov.vn", "a+b_c-d@x.vn", "ab@công-an.vn", "O'Neil@x.vn"])
def test_ordinary_addresses_are_accepted_and_the_mailer_sends_to_them(address):
    assert is_deliverable(address)
    # What the SMTP backend does before sending (raises ValueError for what it cannot encode).
    from django.core.mail.backends.smtp import EmailBackend as SMTPBackend

    SMTPBackend(alias="check", host="localhost").prep_address(address)


def test_a_new_address_is_used_only_after_its_link_is_followed(client, user):
    client.force_login(user)
    response = client.post(URL, {"email": "moi@congan.gov.vn", "reminders_enabled": "on"}, follow=True)
    page = response.content.decode()
    assert "Đã gửi thư xác nhận đến moi@congan.gov.vn" in page and "vẫn gửi đến old@example.vn" in page
    assert 'data-testid="email-pending"' in page
    user.refresh_from_db()
    assert (user.email, user.pending_email) == ("old@example.vn", "moi@congan.gov.vn")
    [message] = mail.outbox
    assert message.to == ["moi@congan.gov.vn"] and "Xác nhận địa chỉ e-mail" in message.subject
    link = confirmation_link(message)

    # Opening the link (a mail scanner may) changes nothing; the button does.
    page = client.get(link).content.decode()
    assert "moi@congan.gov.vn" in page and "Xác nhận địa chỉ" in page
    assert User.objects.get(pk=user.pk).email == "old@example.vn"
    response = client.post(link, follow=True)
    assert "Đã xác nhận: thư nhắc hạn từ nay gửi đến moi@congan.gov.vn" in response.content.decode()
    user.refresh_from_db()
    assert (user.email, user.pending_email) == ("moi@congan.gov.vn", "")
    # The link is spent.
    response = client.post(link)
    assert response.status_code == 400 and "không còn dùng được" in response.content.decode()


def test_a_forged_link_is_refused_with_a_clear_message(client, user):
    client.force_login(user)
    client.post(URL, {"email": "moi@congan.gov.vn", "reminders_enabled": "on"})
    link = confirmation_link(mail.outbox[0])
    forged = services.email_confirmation_token(user=user, email="moi@congan.gov.vn")[:-3] + "abc"
    for bad in (reverse("accounts:email_confirm", args=[forged]), reverse("accounts:email_confirm", args=["x"]),
                # Signed with a key the portal does not hold: someone choosing their own address.
                reverse("accounts:email_confirm", args=[signing.dumps({"u": user.pk, "e": "moi@congan.gov.vn"},
                                                                      key="k" * 50, salt=services.EMAIL_CONFIRM_SALT)])):
        for method in (client.get, client.post):
            response = method(bad)
            assert response.status_code == 400
            assert "Liên kết xác nhận không hợp lệ" in response.content.decode()
    assert User.objects.get(pk=user.pk).email == "old@example.vn"
    assert client.post(link).status_code == 302  # the real one still works


def test_an_expired_link_is_refused(client, user, monkeypatch, settings):
    client.force_login(user)
    client.post(URL, {"email": "moi@congan.gov.vn", "reminders_enabled": "on"})
    link = confirmation_link(mail.outbox[0])
    real = signing.time.time
    monkeypatch.setattr(signing.time, "time", lambda: real() + settings.PORTAL_EMAIL_CONFIRM_DAYS * 86400 + 60)
    response = client.post(link)
    assert response.status_code == 400 and "Liên kết xác nhận đã hết hạn" in response.content.decode()
    assert User.objects.get(pk=user.pk).email == "old@example.vn"


def test_the_link_is_for_its_own_account_and_its_latest_address(client, user):
    client.force_login(user)
    client.post(URL, {"email": "moi@congan.gov.vn", "reminders_enabled": "on"})
    first = confirmation_link(mail.outbox[0])
    # Another officer who gets the link (the mailbox is theirs) cannot confirm it for their account.
    other = factories.officer(factories.UnitFactory(), email="khac@example.vn")
    client.force_login(other)
    response = client.post(first)
    assert response.status_code == 400 and "dành cho một tài khoản khác" in response.content.decode()
    assert User.objects.get(pk=other.pk).email == "khac@example.vn"
    # A newer request makes the older link useless.
    client.force_login(user)
    client.post(URL, {"email": "moi2@congan.gov.vn", "reminders_enabled": "on"})
    assert client.post(first).status_code == 400
    assert client.post(confirmation_link(mail.outbox[-1])).status_code == 302
    assert User.objects.get(pk=user.pk).email == "moi2@congan.gov.vn"


def test_cancel_and_clearing_the_address(client, user):
    client.force_login(user)
    client.post(URL, {"email": "moi@congan.gov.vn", "reminders_enabled": "on"})
    client.post(reverse("accounts:email_change_cancel"))
    user.refresh_from_db()
    assert (user.email, user.pending_email) == ("old@example.vn", "")
    assert client.post(confirmation_link(mail.outbox[0])).status_code == 400
    # Removing the address needs no confirmation: it stops e-mail at once.
    client.post(URL, {"email": "", "reminders_enabled": "on"})
    user.refresh_from_db()
    assert (user.email, user.pending_email) == ("", "")
    assert len(mail.outbox) == 1


def test_an_address_the_mail_server_refuses_is_a_form_error(client, user, monkeypatch):
    def refuse(self, messages):
        raise smtplib.SMTPRecipientsRefused({"moi@congan.gov.vn": (550, b"No such user")})

    monkeypatch.setattr(EmailBackend, "send_messages", refuse)
    client.force_login(user)
    response = client.post(URL, {"email": "moi@congan.gov.vn", "reminders_enabled": ""})
    assert response.status_code == 400 and "Máy chủ thư từ chối địa chỉ moi@congan.gov.vn" in response.content.decode()
    user.refresh_from_db()
    assert (user.email, user.pending_email, user.reminders_enabled) == ("old@example.vn", "", True)


def test_the_admin_cannot_store_an_undeliverable_address(client, admin_user, user):
    client.force_login(admin_user)
    url = reverse("admin:accounts_user_change", args=[user.pk])
    response = client.post(url, {"username": user.username, "role": "commune_officer", "unit": user.unit_id,
                                 "email": '"a\x01b"@example.vn', "is_active": "on", "reminders_enabled": "on",
                                 "date_joined_0": "2026-01-01", "date_joined_1": "00:00:00"})
    assert response.status_code == 200 and "ký tự điều khiển" in response.content.decode()
    assert User.objects.get(pk=user.pk).email == "old@example.vn"
