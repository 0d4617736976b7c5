"""Two-factor sign-in (xác thực hai lớp): enrolment, the code step, recovery codes, the admin's reset,
django-axes on the second step, and roles that must use it reaching nothing else until they do."""

import os
import re
import subprocess
import sys
import time
from base64 import b32decode
from pathlib import Path

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import checks
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import two_factor
from accounts.models import TwoFactorEvent, User
from tests import factories
from tests.factories import PASSWORD, totp_code

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
LOGIN, CODE, SETUP = reverse("accounts:login"), reverse("accounts:login_code"), reverse("accounts:two_factor")


def password_step(client, user, password=PASSWORD):
    return client.post(LOGIN, {"username": user.username, "password": password})


def signed_in(client) -> bool:
    return SESSION_KEY in client.session


@pytest.fixture
def officer(db):
    return factories.officer(factories.UnitFactory(), username="xa_2fa")


@pytest.fixture
def enrolled(officer):
    """An officer with an authenticator (the test key) and recovery codes."""
    factories.enrol_two_factor(officer)
    officer.recovery_codes = two_factor.two_factor_recovery_codes_regenerate(user=officer)
    return officer


def page_key(page: str) -> tuple[str, str]:
    """The signed token and the hex secret of an enrolment page, as an authenticator app would read them."""
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    manual = re.search(r'data-testid="manual-key">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")
    return token, b32decode(manual + "=" * (-len(manual) % 8)).hex()


# ---------------------------------------------------------------- enrolment


def test_the_enrolment_page_shows_a_qr_code_drawn_here_and_writes_nothing(client, officer):
    client.force_login(officer)
    response = client.get(SETUP)
    page = response.content.decode()
    assert response.status_code == 200
    assert re.search(r'<img class="two-factor-qr[^>]+src="data:image/svg\+xml[;,]', page)  # no external service
    assert 'alt="Mã QR để thêm tài khoản vào ứng dụng xác thực"' in page
    assert not TOTPDevice.objects.exists() and not StaticDevice.objects.exists()
    assert not TwoFactorEvent.objects.exists()
    assert "style=" not in page.split("<main")[1]  # the CSP allows no inline styles
    assert response.headers["Content-Security-Policy"].count("img-src 'self' data:") == 1


def test_enrolment_with_the_apps_code_shows_recovery_codes_once(client, officer):
    client.force_login(officer)
    token, key = page_key(client.get(SETUP).content.decode())
    # A wrong code: refused, nothing stored, the same secret kept (the app already holds it).
    response = client.post(SETUP, {"token": token, "code": "000000" if totp_code(key) != "000000" else "111111"})
    assert response.status_code == 400 and "Mã không đúng" in response.content.decode()
    assert page_key(response.content.decode())[1] == key and not two_factor.is_enrolled(officer)
    response = client.post(SETUP, {"token": token, "code": totp_code(key)})
    page = response.content.decode()
    assert response.status_code == 200 and "Đã bật xác thực hai lớp" in page
    codes = re.findall(r"<li>([a-z2-7]{8})</li>", page)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert set(StaticToken.objects.filter(device__user=officer).values_list("token", flat=True)) == set(codes)
    device = TOTPDevice.objects.get(user=officer)
    assert device.confirmed and device.key == key
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id  # this session passed it
    assert TwoFactorEvent.objects.get().kind == TwoFactorEvent.Kind.ENROLLED
    # A second click enrols nothing more and shows no codes again.
    response = client.post(SETUP, {"token": token, "code": totp_code(key)})
    assert response.status_code == 302 and TOTPDevice.objects.count() == 1 and TwoFactorEvent.objects.count() == 1
    assert not re.findall(r"<li>([a-z2-7]{8})</li>", client.get(SETUP).content.decode())


def test_an_enrolment_page_of_another_user_or_a_forged_one_is_refused(client, officer):
    other = factories.officer(factories.UnitFactory())
    client.force_login(other)
    token, key = page_key(client.get(SETUP).content.decode())
    client.force_login(officer)
    response = client.post(SETUP, {"token": token, "code": totp_code(key)})
    assert response.status_code == 400 and "không hợp lệ" in response.content.decode()
    response = client.post(SETUP, {"token": token[:-2] + "xx", "code": totp_code(key)})
    assert response.status_code == 400
    assert not TOTPDevice.objects.exists()


# ---------------------------------------------------------------- the code step


def test_sign_in_with_the_apps_code(client, enrolled, django_user_model):
    response = password_step(client, enrolled)
    assert response.status_code == 302 and response["Location"] == CODE
    assert not signed_in(client)  # the password alone signs nobody in
    assert client.get(reverse("home"))["Location"].startswith(LOGIN)
    page = client.get(CODE).content.decode()
    assert "Xác thực hai lớp" in page and enrolled.username in page
    response = client.post(CODE, {"code": totp_code()})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert signed_in(client) and client.session[DEVICE_ID_SESSION_KEY]
    assert client.get(reverse("assessments:officer_home")).status_code == 200
    # The same code cannot be used again (a replay from another browser).
    other = type(client)()
    password_step(other, enrolled)
    response = other.post(CODE, {"code": totp_code()})
    assert response.status_code == 400 and "Mã không đúng hoặc đã được dùng" in response.content.decode()
    assert not signed_in(other)


def test_sign_in_with_a_recovery_code_which_works_once(client, enrolled):
    first, second = enrolled.recovery_codes[:2]
    password_step(client, enrolled)
    typed = f"{first[:4].upper()}-{first[4:].upper()}"  # as read from a printout
    response = client.post(CODE, {"code": typed}, follow=True)
    assert signed_in(client)
    assert "Bạn vừa dùng một mã dự phòng; còn 9 mã" in response.content.decode()
    client.post(reverse("accounts:logout"))
    password_step(client, enrolled)
    response = client.post(CODE, {"code": first})
    assert response.status_code == 400 and not signed_in(client)
    client.post(CODE, {"code": second})
    assert signed_in(client) and two_factor.recovery_codes_left(enrolled) == 8


def test_the_next_page_survives_both_steps(client, enrolled):
    client.post(LOGIN + "?next=/notifications/", {"username": enrolled.username, "password": PASSWORD,
                                                    "next": "/notifications/"})
    assert client.post(CODE, {"code": totp_code()})["Location"] == "/notifications/"


def test_the_code_step_without_a_password_step_or_after_too_long(client, enrolled, settings, monkeypatch):
    assert client.get(CODE)["Location"] == LOGIN
    assert client.post(CODE, {"code": totp_code()})["Location"] == LOGIN
    password_step(client, enrolled)
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + settings.PORTAL_2FA_PENDING_MINUTES * 60 + 5)
    response = client.post(CODE, {"code": totp_code(at=real())})
    assert response["Location"] == LOGIN and not signed_in(client)


def test_django_otps_back_off_is_explained(client, enrolled, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = settings.OTP_STATIC_THROTTLE_FACTOR = 60
    password_step(client, enrolled)
    client.post(CODE, {"code": "000000" if totp_code() != "000000" else "111111"})
    response = client.post(CODE, {"code": totp_code()})
    assert response.status_code == 400 and "hãy chờ vài giây" in response.content.decode()
    assert not signed_in(client)


# ---------------------------------------------------------------- lockout (django-axes) on the second step


def test_wrong_codes_lock_the_account_like_wrong_passwords(client, enrolled, settings):
    wrong = "000000" if totp_code() != "000000" else "111111"
    password_step(client, enrolled, password="sai")  # a wrong password and wrong codes count together
    password_step(client, enrolled)
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(CODE, {"code": wrong})
    assert response.status_code == 429 and "tạm bị khóa" in response.content.decode()
    # Locked: the pending sign-in is gone, the right code does nothing, the password is refused.
    assert client.post(CODE, {"code": totp_code()})["Location"] == LOGIN and not signed_in(client)
    assert password_step(client, enrolled).status_code == 429
    from axes.models import AccessAttempt

    attempt = AccessAttempt.objects.get(username=enrolled.username)
    assert attempt.failures_since_start >= settings.AXES_FAILURE_LIMIT
    assert wrong not in attempt.post_data and "code=****" in attempt.post_data  # masked like a password


def test_a_locked_account_cannot_try_codes(client, enrolled, settings):
    password_step(client, enrolled)  # this browser is at the code step …
    other = type(client)()
    for _attempt in range(settings.AXES_FAILURE_LIMIT):  # … when someone else locks the account
        password_step(other, enrolled, password="sai")
    response = client.post(CODE, {"code": totp_code()})
    assert response.status_code == 429 and not signed_in(client)
    assert client.get(CODE)["Location"] == LOGIN  # the pending step was dropped


def test_a_successful_sign_in_clears_earlier_failures(client, enrolled, settings):
    wrong = "000000" if totp_code() != "000000" else "111111"
    password_step(client, enrolled)
    client.post(CODE, {"code": wrong})
    client.post(CODE, {"code": totp_code()})
    assert signed_in(client)
    from axes.models import AccessAttempt

    assert not AccessAttempt.objects.filter(username=enrolled.username).exists()


# ---------------------------------------------------------------- roles that must use it


EVERY_PAGE = ["/", "/assessments/", "/assessments/review/", "/reports/", "/reports/national/", "/reports/current/",
              "/reports/completeness/", "/notifications/", "/data/", "/accounts/me/", "/accounts/password/",
              "/admin/", "/admin/accounts/user/", "/inventory/"]


@pytest.mark.parametrize("role", ["admin", "province_viewer", "national_viewer"])
def test_a_required_role_reaches_nothing_but_enrolment(client, role):
    user = factories.UserFactory(role=role, province=factories.ProvinceFactory() if role == "province_viewer"
                                 else None)
    response = password_step(client, user)
    assert response.status_code == 302 and signed_in(client)
    for path in EVERY_PAGE:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(SETUP + "?next="), (path, response["Location"])
    # Nor does a form post get through.
    client.post(reverse("accounts:account"), {"email": "x@example.vn", "reminders_enabled": "on"})
    assert User.objects.get(pk=user.pk).pending_email == ""
    page = client.get(SETUP).content.decode()
    assert "bắt buộc xác thực hai lớp" in page
    # Enrolled: the portal opens.
    token, key = page_key(page)
    client.post(SETUP, {"token": token, "code": totp_code(key)})
    assert client.get(reverse("accounts:account")).status_code == 200


def test_an_enrolled_user_whose_session_has_not_passed_the_code_is_sent_to_it(client, admin_user):
    password_step(client, admin_user)  # not enrolled yet: signed in, held at enrolment
    factories.enrol_two_factor(admin_user)  # enrolled meanwhile (e.g. in another browser)
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith(CODE + "?next=")
    response = client.post(response["Location"], {"code": totp_code()})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_officers_and_reviewers_are_not_forced(client, officer):
    reviewer = factories.reviewer(factories.DistrictFactory())
    for user in (officer, reviewer):
        client.post(reverse("accounts:logout"))
        password_step(client, user)
        assert client.get(reverse("accounts:account")).status_code == 200
        assert "Chưa bật. Nên bật" in client.get(reverse("accounts:account")).content.decode()


def test_the_setting_adds_reviewers(client, settings):
    settings.PORTAL_2FA_REQUIRED = ["province_viewer", "district_reviewer"]
    reviewer = factories.reviewer(factories.DistrictFactory())
    password_step(client, reviewer)
    assert client.get("/assessments/review/")["Location"].startswith(SETUP)
    # Administrators are always required, listed or not.
    assert two_factor.is_required(factories.administrator())


def test_an_unknown_role_in_the_setting_is_a_startup_error(settings):
    settings.PORTAL_2FA_REQUIRED = ["admin", "provincial_viewer"]
    errors = [e for e in checks.run_checks() if e.id == "accounts.E001"]
    assert errors and "provincial_viewer" in errors[0].msg


def test_the_demo_exempts_everyone_and_production_never_does(client, admin_user, settings):
    settings.PORTAL_2FA_DEMO_EXEMPT = True
    password_step(client, admin_user)
    assert client.get("/admin/").status_code == 200
    env = {**os.environ, "PORTAL_DEMO": "1", "SECRET_KEY": "k" * 30 + "Zq8-" * 10, "ALLOWED_HOSTS": "a.vn"}
    env.pop("PORTAL_2FA_REQUIRED", None)
    script = ("from criteria_portal.settings import dev, prod; "
              "print(dev.PORTAL_2FA_DEMO_EXEMPT, prod.PORTAL_2FA_DEMO_EXEMPT, prod.PORTAL_2FA_REQUIRED)")
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=60)
    assert result.stdout.strip().split(maxsplit=2) == ["True", "False", "['admin', 'province_viewer', 'national_viewer']"]


# ---------------------------------------------------------------- managing it


def test_new_recovery_codes_replace_the_old_ones(client, enrolled):
    client.force_login(enrolled)
    client.post(CODE, {"code": totp_code()})  # an officer's force_login is not verified: pass the step
    response = client.post(reverse("accounts:recovery_codes"))
    codes = re.findall(r"<li>([a-z2-7]{8})</li>", response.content.decode())
    assert len(codes) == 10 and not set(codes) & set(enrolled.recovery_codes)
    assert not StaticToken.objects.filter(token__in=enrolled.recovery_codes).exists()
    assert TwoFactorEvent.objects.filter(user=enrolled, kind=TwoFactorEvent.Kind.RECOVERY_CODES).exists()


def test_managing_it_needs_a_session_that_passed_the_code(client, enrolled):
    password_step(client, enrolled)
    client.post(CODE, {"code": totp_code()})
    client2 = type(client)()
    client2.force_login(enrolled)  # signed in before enrolling, say: not verified
    response = client2.post(reverse("accounts:recovery_codes"))
    assert response.status_code == 302 and response["Location"].startswith(CODE)
    assert set(StaticToken.objects.filter(device__user=enrolled).values_list("token", flat=True)) == set(
        enrolled.recovery_codes)


def test_an_officer_turns_it_off_with_the_password_and_a_required_role_cannot(client, enrolled, province_user):
    password_step(client, enrolled)
    client.post(CODE, {"code": totp_code()})
    url = reverse("accounts:two_factor_disable")
    response = client.post(url, {"password": "sai"})
    assert response.status_code == 400 and two_factor.is_enrolled(enrolled)
    client.post(url, {"password": PASSWORD})
    assert not two_factor.is_enrolled(enrolled) and not StaticDevice.objects.filter(user=enrolled).exists()
    assert TwoFactorEvent.objects.filter(user=enrolled, kind=TwoFactorEvent.Kind.DISABLED).exists()
    client.force_login(province_user)
    assert "Tắt xác thực hai lớp" not in client.get(SETUP).content.decode()
    client.post(url, {"password": PASSWORD})
    assert two_factor.is_enrolled(province_user)


def test_an_administrator_resets_a_lost_phone_and_it_is_audited(client, admin_user):
    viewer = factories.province_viewer(username="tinh_mat_dt")
    viewer_client = type(client)()
    viewer_client.force_login(viewer)  # enrolled and verified
    two_factor.two_factor_recovery_codes_regenerate(user=viewer)
    assert viewer_client.get("/notifications/").status_code == 200
    client.force_login(admin_user)
    changelist = reverse("admin:accounts_user_changelist")
    data = {"action": "two_factor_reset", "_selected_action": [viewer.pk]}
    response = client.post(changelist, data)
    assert response.status_code == 200 and "tinh_mat_dt" in response.content.decode()  # asks first
    assert two_factor.is_enrolled(viewer)
    response = client.post(changelist, {**data, "confirm": "yes"}, follow=True)
    assert "Đã đặt lại xác thực hai lớp của 1 người dùng" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=viewer).exists() and not StaticDevice.objects.filter(user=viewer).exists()
    event = TwoFactorEvent.objects.get(user=viewer, kind=TwoFactorEvent.Kind.RESET)
    assert event.actor == admin_user and event.at is not None
    log = client.get(reverse("admin:accounts_twofactorevent_changelist")).content.decode()
    assert "tinh_mat_dt" in log and admin_user.username in log
    assert admin_user.username in client.get(reverse("admin:accounts_user_change", args=[viewer.pk])).content.decode()
    # The viewer's session lost its device: back to enrolment.
    assert viewer_client.get("/notifications/")["Location"].startswith(SETUP)
    # The log cannot be edited or deleted, and authenticators are not edited by hand.
    assert client.get(reverse("admin:accounts_twofactorevent_delete", args=[event.pk])).status_code == 403
    assert "otp_totp" not in client.get(reverse("admin:index")).content.decode()


def test_the_admin_site_needs_the_verified_second_factor(client, admin_user):
    factories.enrol_two_factor(admin_user)
    password_step(client, admin_user)  # the code step not done
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith(LOGIN) and response.status_code == 200
    assert not signed_in(client)


def test_add_user_makes_an_administrator_who_must_enrol(client, monkeypatch, db):
    from django.core.management import call_command

    monkeypatch.setenv("PORTAL_PASSWORD", "Mat-khau-dai-2026!")
    call_command("add_user", "quan_tri_moi", "--role", "admin")
    user = User.objects.get(username="quan_tri_moi")
    client.post(LOGIN, {"username": user.username, "password": "Mat-khau-dai-2026!"})
    assert client.get("/admin/")["Location"].startswith(SETUP)
